// Command: one command of `fossa` (run, models, node, submit, jobs, cancel, cluster). Each command's file adds
// its subcommand with its options to the program's command line and returns what runs it once the
// line has chosen it, so fossa::main is only the table of commands (src/fossa/cli/main.cc).
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace fossa::cli {

struct Command {
  CLI::App* subcommand = nullptr;
  std::function<int()> run;  // the exit code
};

Command add_run_command(CLI::App& app);
Command add_models_command(CLI::App& app);
Command add_node_command(CLI::App& app);
Command add_submit_command(CLI::App& app);
Command add_cluster_command(CLI::App& app);
Command add_jobs_command(CLI::App& app);
Command add_cancel_command(CLI::App& app);

}  // namespace fossa::cli
