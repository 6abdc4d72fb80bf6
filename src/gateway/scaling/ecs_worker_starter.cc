#include "scaling/ecs_worker_starter.h"

#include "discovery/ecs_discovery.h"
#include "scaling/scaler.h"

namespace fossa::gateway {
namespace {

std::string last_part(const std::string& name_or_arn) { return name_or_arn.substr(name_or_arn.rfind('/') + 1); }

}  // namespace

bool is_cluster(const std::string& cluster, const std::string& only) {
  if (only.empty() || cluster == only) return true;
  // An ARN ends in cluster/<name>; a name is only that.
  return last_part(cluster) == last_part(only) &&
         (cluster.find(":cluster/") == std::string::npos || only.find(":cluster/") == std::string::npos);
}

std::optional<std::string> EcsWorkerStarter::start_workers(const std::string& cluster) {
  if (!is_cluster(cluster, only_cluster_)) return "this gateway starts the workers of the cluster " + only_cluster_ + " only";
  EcsWorkerService service(ecs_, cluster, service_);
  auto state = service.describe();
  if (!state) return "cannot start workers: " + state.error();
  const int wanted = workers_to_wake(state->tags);
  if (state->desired >= wanted) return std::nullopt;  // already asked for: ECS is starting them
  if (auto failed = service.set_desired(wanted)) return "cannot start workers: " + *failed;
  return std::nullopt;
}

std::unique_ptr<WorkerStarter> make_worker_starter(const GatewayConfig& config, Discovery& discovery) {
  auto* ecs = dynamic_cast<EcsDiscovery*>(&discovery);
  const std::string service = service_of_group(config.worker_group);
  if (ecs == nullptr || service.empty()) return nullptr;
  return std::make_unique<EcsWorkerStarter>(ecs->ecs(), ecs->only_cluster(), service);
}

}  // namespace fossa::gateway
