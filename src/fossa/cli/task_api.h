// Where `fossa submit` and `fossa cancel` find the task API: a node's own (POST /api/0.01/task, GET
// /api/0.01/task/<id>), or fossa-gateway's jobs API for one of its clusters (POST
// /api/clusters/<c>/jobs, GET /api/clusters/<c>/jobs/<id>), which answers with the node's own task
// documents. Everything after choosing is one flow (submit_command.cc).
#pragma once

#include <string>
#include <variant>

#include "cli/api_client.h"
#include "cli/gateway_connection.h"

namespace fossa::cli {

struct TaskApi {
  ApiClient client;
  std::string who;          // "the node", "the gateway": for messages
  std::string submit_path;  // POST a task here
  std::string task_path;    // + "/<id>": a task's document, "<id>.<i>" its subtasks'

  std::string path_of(const std::string& id) const { return task_path + "/" + id; }
  std::string url_of(const std::string& id) const { return client.base_url() + path_of(id); }
};

// A node at `base_url` (normalized), with FOSSA_API_TOKEN's token when set.
TaskApi node_task_api(const std::string& base_url, const std::string& api_token);
TaskApi gateway_task_api(GatewayConnection connection);

// Which one, from the command line and the environment: --node or --gateway as given (not both),
// else FOSSA_GATEWAY_URL, else FOSSA_NODE_URL, else a node on this machine.
struct TaskApiChoice {
  enum class Kind { kNode, kGateway };
  Kind kind = Kind::kNode;
  std::string url;
  std::string error;  // both flags given
};
inline constexpr const char* kDefaultNodeUrl = "http://127.0.0.1:2345";
TaskApiChoice choose_task_api(const std::string& node_flag, const std::string& gateway_flag, const char* gateway_variable,
                              const char* node_variable);

// The API `fossa <command>` talks to, chosen as above from its --node and gateway options and the
// environment (connecting to the gateway: its password, its cluster); a node's token from
// FOSSA_API_TOKEN. Else the exit code (exit_codes.h), the reason printed on stderr.
std::variant<TaskApi, int> locate_task_api(const std::string& node_flag, const GatewayOptions& gateway,
                                           const std::string& command);

}  // namespace fossa::cli
