#include "cli/task_api.h"

#include <cstdlib>
#include <iostream>

#include "cli/exit_codes.h"

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

std::variant<TaskApi, int> locate_task_api(const std::string& node_flag, const GatewayOptions& gateway_options,
                                           const std::string& command) {
  const auto choice = choose_task_api(node_flag, gateway_options.url, std::getenv(kGatewayUrlVariable), std::getenv("FOSSA_NODE_URL"));
  if (!choice.error.empty()) {
    std::cerr << "fossa " << command << ": " << choice.error << "\n";
    return int{kExitRefused};
  }
  if (choice.kind == TaskApiChoice::Kind::kGateway) {
    GatewayOptions gateway = gateway_options;
    gateway.url = choice.url;
    auto connected = connect_to_gateway(gateway);
    if (auto* refused = std::get_if<GatewayRefusal>(&connected)) {
      std::cerr << "fossa " << command << ": " << refused->message << "\n";
      return refused->exit_code;
    }
    return gateway_task_api(std::get<GatewayConnection>(std::move(connected)));
  }
  const auto base = normalize_base_url(choice.url);
  if (!base) {
    std::cerr << "fossa " << command << ": --node must be an http:// or https:// URL, got '" << choice.url << "'\n";
    return int{kExitRefused};
  }
  // A node started with FOSSA_API_TOKEN asks for it; the same variable gives it here.
  const char* token = std::getenv("FOSSA_API_TOKEN");
  return node_task_api(*base, token != nullptr ? token : "");
}

}  // namespace fossa::cli
