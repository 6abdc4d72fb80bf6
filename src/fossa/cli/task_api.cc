#include "cli/task_api.h"

namespace fossa::cli {

TaskApi node_task_api(const std::string& base_url, const std::string& api_token) {
  return TaskApi{ApiClient(base_url, ApiAuth{api_token, "", ""}), "the node", "/api/0.01/task", "/api/0.01/task"};
}

TaskApi gateway_task_api(GatewayConnection connection) {
  const std::string jobs = connection.cluster_path + "/jobs";
  return TaskApi{std::move(connection.client), "the gateway", jobs, jobs};
}

TaskApiChoice choose_task_api(const std::string& node_flag, const std::string& gateway_flag, const char* gateway_variable,
                              const char* node_variable) {
  using Kind = TaskApiChoice::Kind;
  const auto set = [](const char* value) { return value != nullptr && *value != '\0'; };
  if (!node_flag.empty() && !gateway_flag.empty()) {
    return {Kind::kNode, "", "--node and --gateway: give one (a node directly, or the gateway in front of the nodes)"};
  }
  if (!gateway_flag.empty()) return {Kind::kGateway, gateway_flag, ""};
  if (!node_flag.empty()) return {Kind::kNode, node_flag, ""};
  if (set(gateway_variable)) return {Kind::kGateway, gateway_variable, ""};
  return {Kind::kNode, set(node_variable) ? node_variable : kDefaultNodeUrl, ""};
}

}  // namespace fossa::cli
