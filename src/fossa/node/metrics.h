// Metrics: the node's counters and task duration histogram, rendered in the Prometheus text
// exposition format for GET /metrics. Not thread-safe by itself: the Governor guards it.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>

namespace fossa::node {

struct Metrics {
  static constexpr std::array<double, 14> kDurationBuckets = {0.01, 0.025, 0.05, 0.1,  0.25, 0.5,  1,
                                                              2.5,  5,     10,   30,   60,   300, 3600};
  std::uint64_t accepted = 0;
  std::map<std::string, std::uint64_t> rejected;  // by reason: capacity, invalid, model, stopping
  std::uint64_t completed = 0;
  std::uint64_t failed = 0;
  std::uint64_t subtasks_completed = 0;
  std::uint64_t subtasks_failed = 0;
  std::array<std::uint64_t, kDurationBuckets.size()> duration_counts{};  // per bucket, not cumulative
  std::uint64_t duration_count = 0;
  double duration_sum = 0;
  int running_peak = 0;
  // Task processes at work (see TaskSupervisor::set_at_work), counted apart from the slots so that
  // the slots' promise can be checked against what really ran.
  int task_processes_running = 0;
  int task_processes_peak = 0;

  void observe_duration(double seconds);
  std::string render(int capacity, int running, int used_slots, int running_subtasks) const;
};

}  // namespace fossa::node
