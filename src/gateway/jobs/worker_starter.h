// Waking a cluster from zero workers: what the gateway's jobs API asks when a job comes and no
// worker node runs. The jobs API (jobs.h) holds the job, shows it waiting and forwards it when a
// node is ready; a starter only asks for workers. The ECS one raises the worker service's desired
// count (ecs_worker_starter.h); with local discovery there is none, and a job with no node is refused.
#pragma once

#include <optional>
#include <string>

namespace fossa::gateway {

class WorkerStarter {
 public:
  virtual ~WorkerStarter() = default;
  // Asks for at least one running worker in `cluster` (as named in the gateway's paths). Returns
  // at once, before any worker runs: nothing when asked, else why not (no rights, no such
  // service, ...). Called again while a job waits: asking twice must do no harm.
  virtual std::optional<std::string> start_workers(const std::string& cluster) = 0;
};

}  // namespace fossa::gateway
