// fossa::main: the `fossa` program — a table of commands, each in its own file (cli/command.h).
#include "fossa/main.h"

#include <cstring>
#include <iostream>

#include "ayeaye/registry.h"
#include "cli/cluster_command.h"
#include "cli/command.h"
#include "process/worker_process.h"

namespace fossa {

int main(int argc, char** argv) {
  // A worker process of this same program (see process/worker_process.h): no option parsing.
  if (argc == 2 && std::strcmp(argv[1], "__worker") == 0) return run_worker_loop();
  // The detached supervisor of `fossa cluster up` (see cli/cluster_command.h).
  if (argc >= 2 && std::strcmp(argv[1], "__cluster-supervisor") == 0) return cli::cluster_supervisor(argc, argv);

  const auto& problems = ayeaye::ModelRegistry::instance().problems();
  if (!problems.empty()) {
    for (const auto& problem : problems) std::cerr << "fossa: " << problem << "\n";
    return 2;
  }

  CLI::App app{"fossa: run partitioned ETL models, here (run) or on worker nodes (node, submit, jobs, cancel, cluster); subtasks run in parallel"};
  app.require_subcommand(1);
  app.set_version_flag("--version", FOSSA_VERSION);
  const cli::Command commands[] = {cli::add_run_command(app), cli::add_models_command(app), cli::add_node_command(app),
                                   cli::add_cluster_command(app), cli::add_submit_command(app),
                                   cli::add_jobs_command(app), cli::add_cancel_command(app)};
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  for (const auto& command : commands) {
    if (command.subcommand->parsed()) return command.run();
  }
  return 2;
}

}  // namespace fossa
