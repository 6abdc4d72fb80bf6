// `fossa submit`: posts a task to a node (or through fossa-gateway) and, with --wait, follows it
// to its end with a progress bar, printing its result.
#pragma once

#include <string>
#include <vector>

namespace fossa::cli {

struct SubmitOptions {
  std::string model_class;
  std::vector<std::string> context;  // key=value
  std::vector<std::string> secrets;  // key=value, never shown
  std::string method = "go";
  std::string kwargs = "{}";
  std::string node_url;  // default: $FOSSA_NODE_URL, else http://127.0.0.1:2345
  bool wait = false;
  bool show_subtasks = false;  // with wait: each subtask, and the node that ran it
};

// Exit codes: 0 submitted (or, with --wait, complete); 1 the task failed; 2 bad options or the
// node refused the task (4xx, 503); 3 the node could not be reached or answered nonsense.
int submit_command(const SubmitOptions& options);

}  // namespace fossa::cli
