// The ECS WorkerStarter (worker_starter.h): raises the worker service's desired count to at least
// one worker, and at least the fossa:min-workers its tags give, with UpdateService on that one
// service (the only ECS call the gateway may make that changes anything). A service that already
// asks for as many is left alone, so asking again while a job waits does nothing.
#pragma once

#include <memory>
#include <string>

#include "aws/json_api.h"
#include "discovery/discovery.h"
#include "gateway.h"
#include "scaling/worker_service.h"
#include "jobs/worker_starter.h"

namespace fossa::gateway {

class EcsWorkerStarter : public WorkerStarter {
 public:
  // `only_cluster`: the gateway's --ecs-cluster ("" allows any cluster of the account).
  EcsWorkerStarter(std::shared_ptr<const aws::AwsJsonApi> ecs, std::string only_cluster, std::string service)
      : ecs_(std::move(ecs)), only_cluster_(std::move(only_cluster)), service_(std::move(service)) {}

  std::optional<std::string> start_workers(const std::string& cluster) override;

 private:
  std::shared_ptr<const aws::AwsJsonApi> ecs_;
  std::string only_cluster_;
  std::string service_;
};

// Whether `cluster` (a name or an ARN) is `only` (a name or an ARN); any is, when `only` is "".
bool is_cluster(const std::string& cluster, const std::string& only);

// Starts the wake-up's starter with ECS discovery (nullptr with local discovery, or when the
// --worker-group is no service). run_gateway gives it to the jobs API (jobs_api.h).
std::unique_ptr<WorkerStarter> make_worker_starter(const GatewayConfig& config, Discovery& discovery);

}  // namespace fossa::gateway
