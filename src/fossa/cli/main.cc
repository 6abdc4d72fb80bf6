// fossa::main: the `fossa` command line. Parses options into each command's typed options and
// hands over; the commands live in their own files.
#include "fossa/main.h"

#include <CLI/CLI.hpp>

#include <cstring>
#include <iostream>

#include "ayeaye/registry.h"
#include "cli/models_command.h"
#include "cli/run_command.h"
#include "process/worker_process.h"

namespace fossa {

int main(int argc, char** argv) {
  // A worker process of this same program (see process/worker_process.h): no option parsing.
  if (argc == 2 && std::strcmp(argv[1], "__worker") == 0) return run_worker_loop();

  const auto& problems = ayeaye::ModelRegistry::instance().problems();
  if (!problems.empty()) {
    for (const auto& problem : problems) std::cerr << "fossa: " << problem << "\n";
    return 2;
  }

  CLI::App app{"fossa: run partitioned ETL models; their subtasks run in parallel worker processes"};
  app.require_subcommand(1);
  app.set_version_flag("--version", FOSSA_VERSION);

  cli::RunOptions run;
  int workers = 0;
  auto* run_cmd = app.add_subcommand("run", "Run a model here; its subtasks run in local worker processes");
  run_cmd->add_option("model", run.model_class, "Model class name (see `fossa models`)")->required();
  run_cmd->add_option("--context,-c", run.context, "Resolver context key=value (repeatable)");
  run_cmd->add_option("--secret", run.secrets, "Resolver context key=value that is never logged or shown (repeatable)");
  run_cmd->add_option("--method", run.method, "Run only this method (default: go, the whole model)");
  run_cmd->add_option("--kwargs", run.kwargs, "The method's kwargs as a JSON object");
  run_cmd->add_option("--workers,-w", workers,
                      "Worker processes on offer (default: ceil(CPUs x cpu-task-ratio)); 1 runs subtasks in this process");
  run_cmd->add_option("--cpu-task-ratio", run.cpu_task_ratio, "Workers per CPU when --workers is not given")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  run_cmd->add_option("--retries", run.retries, "Times a failed subtask is run again before it fails the model")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);

  auto* models_cmd = app.add_subcommand("models", "List the models this program can run, with their subtask methods");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  if (run_cmd->parsed()) {
    if (run_cmd->count("--workers") > 0) run.workers = workers;
    return cli::run_command(run);
  }
  if (models_cmd->parsed()) return cli::models_command();
  return 2;
}

}  // namespace fossa
