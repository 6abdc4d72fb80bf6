#include "scaling/scaling.h"

#include <algorithm>

#include "text/duration.h"

namespace fossa::gateway {

ayeaye::Result<ScalingLimits> checked_scaling_limits(const ScalingLimits& limits) {
  if (limits.min_workers < 0) {
    return ayeaye::Result<ScalingLimits>::fail("min_workers must be 0 or more, got " + std::to_string(limits.min_workers));
  }
  if (limits.max_workers < 1 || limits.max_workers < limits.min_workers) {
    return ayeaye::Result<ScalingLimits>::fail("max_workers must be at least 1 and at least min_workers (" +
                                               std::to_string(limits.min_workers) + "), got " +
                                               std::to_string(limits.max_workers));
  }
  if (limits.slots_per_worker < 1) {
    return ayeaye::Result<ScalingLimits>::fail("slots_per_worker must be 1 or more, got " +
                                               std::to_string(limits.slots_per_worker));
  }
  if (limits.idle_before_min.count() < 0) {
    return ayeaye::Result<ScalingLimits>::fail("idle_minutes must be 0 or more");
  }
  return limits;
}

ScalingDecision decide_scaling(const WorkSnapshot& work, const ScalingLimits& limits) {
  const std::int64_t load = std::max<std::int64_t>(work.waiting, 0) + std::max<std::int64_t>(work.busy, 0);
  const int running = std::max(work.running_workers, 0);
  const auto clamp = [&](std::int64_t n) {
    return static_cast<int>(std::clamp<std::int64_t>(n, limits.min_workers, limits.max_workers));
  };
  ScalingDecision decision;
  decision.backlog_per_worker = static_cast<double>(load) / std::max(running, 1);

  if (load == 0) {
    if (work.idle_for >= limits.idle_before_min) {
      decision.desired_workers = limits.min_workers;
      decision.gateway_sets_count = running > limits.min_workers;
      decision.reason = "nothing waiting or running for " + text::human_duration(static_cast<double>(work.idle_for.count())) +
                        ": " + std::to_string(limits.min_workers) + " worker(s)";
    } else {
      decision.desired_workers = clamp(running);
      decision.reason = "idle for " + text::human_duration(static_cast<double>(work.idle_for.count())) + " of " +
                        text::human_duration(static_cast<double>(limits.idle_before_min.count())) +
                        ": keeping the workers";
    }
    return decision;
  }

  // Enough workers for every task waiting or running, and never fewer than run now: scaling in
  // while there is work would stop busy workers (scale-in waits for idle, above).
  const std::int64_t slots = limits.slots_per_worker;
  const std::int64_t needed = (load + slots - 1) / slots;
  decision.desired_workers = std::max(clamp(std::max<std::int64_t>(needed, running)), 1);
  decision.gateway_sets_count = running == 0;
  decision.reason = std::to_string(work.waiting) + " waiting, " + std::to_string(work.busy) + " running on " +
                    std::to_string(running) + " worker(s): " + std::to_string(decision.desired_workers) +
                    " worker(s)" + (decision.gateway_sets_count ? ", starting them" : "");
  return decision;
}

}  // namespace fossa::gateway
