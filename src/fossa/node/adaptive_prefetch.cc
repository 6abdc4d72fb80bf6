#include "node/adaptive_prefetch.h"

#include <algorithm>

namespace fossa::node {

AdaptivePrefetch::AdaptivePrefetch(int capacity, Options options)
    : capacity_(std::clamp(capacity, 1, 65535)), options_(options) {
  options_.most_beyond_slots = std::clamp(options_.most_beyond_slots, 0, 65535 - capacity_);
}

void AdaptivePrefetch::observe(Duration run_time) {
  recent_[observed_ % kRecentRuns] = std::max(run_time, Duration::zero());
  ++observed_;
}

std::optional<AdaptivePrefetch::Duration> AdaptivePrefetch::estimate(Duration longest_running) const {
  std::optional<Duration> median;
  if (observed_ > 0) {
    const std::size_t count = std::min(observed_, kRecentRuns);
    std::array<Duration, kRecentRuns> sorted = recent_;
    std::nth_element(sorted.begin(), sorted.begin() + count / 2, sorted.begin() + count);
    median = sorted[count / 2];
  }
  // A subtask that has already run longer than the window says more than the past does.
  if (longest_running > options_.cover) return median ? std::max(*median, longest_running) : longest_running;
  return median;
}

int AdaptivePrefetch::wanted(Duration longest_running) const {
  const auto estimated = estimate(longest_running);
  if (!estimated) return capacity_;
  const long long most = options_.most_beyond_slots;
  long long beyond = most;
  if (estimated->count() > 0) {
    beyond = std::min<long long>(most, capacity_ * options_.cover.count() / estimated->count());
  }
  return capacity_ + static_cast<int>(beyond);
}

std::optional<int> AdaptivePrefetch::change_from(int current, Duration longest_running) const {
  const int want = wanted(longest_running);
  if (want == current) return std::nullopt;
  const int now_beyond = std::max(current - capacity_, 0);
  const int want_beyond = want - capacity_;
  // To or from none beyond the slots always; otherwise up when it at least doubles, down when it
  // falls to a quarter: run times of short subtasks wander by a factor of 2 on a loaded machine.
  if (now_beyond == 0 || want_beyond == 0 || current < capacity_) return want;
  if (want_beyond >= 2 * now_beyond || 4 * want_beyond <= now_beyond) return want;
  return std::nullopt;
}

}  // namespace fossa::node
