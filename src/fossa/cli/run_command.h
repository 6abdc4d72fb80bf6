// `fossa run`: runs a model here, its subtasks in local worker processes.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace fossa::cli {

struct RunOptions {
  std::string model_class;
  std::vector<std::string> context;  // key=value
  std::vector<std::string> secrets;  // key=value, never shown
  std::string method = "go";
  std::string kwargs = "{}";
  std::optional<int> workers;  // the capacity on offer; default ceil(CPUs × cpu_task_ratio)
  double cpu_task_ratio = 2.0;
  int retries = 1;
};

// Returns the exit code: 0 when the model completed, 1 when it failed, 2 for bad options.
int run_command(const RunOptions& options);

}  // namespace fossa::cli
