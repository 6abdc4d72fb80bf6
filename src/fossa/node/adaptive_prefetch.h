// AdaptivePrefetch: how many subtasks a node holds from fossa_task_queue at once (its consumer's
// prefetch), chosen from how long its subtasks have run here. Pure bookkeeping: no clock, no I/O;
// the supervisor feeds it run times and asks it, on its own thread.
//
// Why: a delivery is acknowledged only once its result is confirmed, and the broker sends the
// next one only after that acknowledgement. With a prefetch of only the slots, every slot waits a
// broker round trip between two subtasks — for no-op subtasks most of the time (bench/RESULTS.md).
// Deliveries held beyond the free slots hide that wait, but a long subtask held on a busy node
// waits there while another node may idle. So the deliveries beyond the slots cover only a short
// window of work: `cover` of it for each slot, at the run time estimated from what ran here —
// no-op subtasks get a deep prefetch, subtasks of 0.4 s none beyond the slots.
//
// The estimate is the median of the last kRecentRuns run times (one slow subtask among fast ones
// does not move it); a subtask still running for longer than `cover` counts as having run that
// long already, so a node that turns to long subtasks stops taking more at once, not after they
// end. Before anything has run here the node takes only its slots.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <optional>

namespace fossa::node {

class AdaptivePrefetch {
 public:
  using Duration = std::chrono::microseconds;
  static constexpr std::size_t kRecentRuns = 32;

  struct Options {
    // The work each slot may have waiting for it here, beyond the one it runs: a broker round trip
    // (acknowledgement → next delivery) is a few ms on loopback, tens under load.
    Duration cover = std::chrono::milliseconds(20);
    // Deliveries beyond the slots at most, however short the subtasks (each costs memory, and is
    // one more subtask a cancel or a shutdown hands back).
    int most_beyond_slots = 256;
  };

  explicit AdaptivePrefetch(int capacity) : AdaptivePrefetch(capacity, Options{}) {}
  AdaptivePrefetch(int capacity, Options options);

  // A subtask taken from the queue ran `run_time` here (from its start to its result).
  void observe(Duration run_time);
  // The estimated run time, given that the longest-running subtask here has run `longest_running`
  // so far (zero when none runs); nullopt when nothing has run yet and nothing runs long.
  std::optional<Duration> estimate(Duration longest_running) const;
  // The prefetch wanted now: the capacity, plus capacity × cover / estimate, within the bounds.
  int wanted(Duration longest_running) const;
  // What to change the prefetch to from `current`, or nullopt when the change is not worth a new
  // consumer: the deliveries beyond the slots would less than double, or shrink to no less than a
  // quarter, and neither side is none.
  std::optional<int> change_from(int current, Duration longest_running) const;

  int capacity() const { return capacity_; }
  const Options& options() const { return options_; }

 private:
  int capacity_;
  Options options_;
  std::array<Duration, kRecentRuns> recent_{};
  std::size_t observed_ = 0;  // in all; the last min(observed_, kRecentRuns) are in recent_
};

}  // namespace fossa::node
