// `fossa submit`: posts a task to a node, or through fossa-gateway to a node of one of its
// clusters, and, with --wait, follows it to its end with a progress bar, printing its result.
// Where the API is (task_api.h) is chosen first; the rest is one flow.
#pragma once

#include <string>
#include <vector>

#include "cli/gateway_connection.h"

namespace fossa::cli {

struct SubmitOptions {
  std::string model_class;
  std::vector<std::string> context;  // key=value
  std::vector<std::string> secrets;  // key=value, never shown
  std::string method = "go";
  std::string kwargs = "{}";
  std::string node_url;  // --node; see choose_task_api for the defaults
  GatewayOptions gateway;
  bool wait = false;
  bool show_subtasks = false;  // with wait: each subtask, and the node that ran it
};

// Exit codes: cli/exit_codes.h (0 submitted or complete, 1 failed, 2 refused or bad options,
// 3 unreachable, 4 wrong password, 5 certificate refused).
int submit_command(const SubmitOptions& options);

}  // namespace fossa::cli
