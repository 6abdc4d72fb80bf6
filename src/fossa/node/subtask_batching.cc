#include "node/subtask_batching.h"

#include <algorithm>

namespace fossa::node {

void SubtaskBatching::observe(std::optional<Duration> run_time) {
  recent_[observed_ % kRecentAnswers] = run_time ? std::optional(std::max(*run_time, Duration::zero())) : std::nullopt;
  ++observed_;
}

std::size_t SubtaskBatching::batch_size(std::size_t in_flight_most) const {
  const std::size_t most = std::min(options_.most, in_flight_most / 4);
  if (most < 2) return 1;
  std::array<Duration, kRecentAnswers> ours{};
  std::size_t n = 0;
  const std::size_t count = std::min(observed_, kRecentAnswers);
  for (std::size_t i = 0; i < count; ++i) {
    if (recent_[i]) ours[n++] = *recent_[i];
  }
  if (n < kRecentAnswers / 2) return 1;
  std::nth_element(ours.begin(), ours.begin() + n / 2, ours.begin() + n);
  const Duration median = std::max(ours[n / 2], Duration(1));
  const auto fits = static_cast<std::size_t>(options_.work.count() / median.count());
  return std::clamp<std::size_t>(fits, 1, most);
}

std::size_t SubtaskBatching::to_send(std::size_t batch, std::size_t room, std::size_t waiting, std::size_t in_flight) {
  const std::size_t whole = std::min(std::max<std::size_t>(batch, 1), waiting);
  if (room >= whole) return whole;
  return in_flight == 0 ? std::min(room, waiting) : 0;
}

}  // namespace fossa::node
