// Scaling the workers with the work: how many worker tasks the stack's fossa-worker service
// should run, from what the gateway sees. Pure: no I/O, no clock; the gateway's loop (still to
// come, see deploy/aws/README.md, "Scaling with the work") reads the queue and ECS, calls
// decide_scaling once a minute, publishes the metric and, only when the decision says so, sets
// the service's desired count itself.
//
// Who moves the count (deploy/aws/cluster/scaling.tf):
// - Application Auto Scaling tracks backlog_per_worker (target: slots_per_worker) and adds
//   workers while there is more work than slots. Its scale-in is off, so it never stops a worker.
// - The gateway sets the count where target tracking cannot: from zero (a metric per worker means
//   nothing with no worker, and 0 × anything stays 0), and down to min_workers once nothing has
//   waited or run for idle_before_min. Then no worker is busy, so none is stopped mid-task.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "ayeaye/error.h"

namespace fossa::gateway {

// The stack's settings (Terraform's min_workers, max_workers, the slots a worker runs and
// idle_minutes; the gateway reads them from the worker service's tags).
struct ScalingLimits {
  int min_workers = 0;
  int max_workers = 4;
  int slots_per_worker = 1;  // tasks one worker runs at once (its FOSSA_MAX_CONCURRENT_TASKS)
  std::chrono::seconds idle_before_min{std::chrono::minutes(15)};
};

// The limits, or what is wrong with them (a negative count, max below min, no slot).
ayeaye::Result<ScalingLimits> checked_scaling_limits(const ScalingLimits& limits);

// What the gateway sees at one moment.
struct WorkSnapshot {
  std::int64_t waiting = 0;  // tasks ready in fossa_task_queue, taken by no worker yet
  std::int64_t busy = 0;     // tasks and subtasks the workers are running now
  int running_workers = 0;   // the service's tasks that are RUNNING
  // How long waiting and busy have both been zero (0 while there is work).
  std::chrono::seconds idle_for{0};
};

struct ScalingDecision {
  int desired_workers = 0;  // what the work calls for, between the limits
  // The metric Application Auto Scaling tracks: tasks waiting or running per running worker (with
  // no worker, per the one that would start). At slots_per_worker every slot is in use.
  double backlog_per_worker = 0;
  // True when the gateway must set desired_workers itself (waking from zero, or back to
  // min_workers after idle): target tracking will not.
  bool gateway_sets_count = false;
  std::string reason;  // one line for the gateway's log
};

// Assumes limits passed checked_scaling_limits.
ScalingDecision decide_scaling(const WorkSnapshot& work, const ScalingLimits& limits);

}  // namespace fossa::gateway
