// fossa::main: the `fossa` command line. Parses options into each command's typed options and
// hands over; the commands live in their own files.
#include "fossa/main.h"

#include <CLI/CLI.hpp>

#include <cstring>
#include <map>
#include <vector>
#include <iostream>

#include "ayeaye/registry.h"
#include "cli/cluster_command.h"
#include "cli/models_command.h"
#include "cli/run_command.h"
#include "cli/submit_command.h"
#include "node/node.h"
#include "node/node_config.h"
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

  CLI::App app{"fossa: run partitioned ETL models, here (run) or on worker nodes (node, submit, cluster); subtasks run in parallel"};
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

  auto* node_cmd = app.add_subcommand(
      "node", "Run a worker node: the Fossa HTTP API and pages; each task in its own process. A flag overrides "
              "its environment variable (in brackets), which overrides the default (docs/node.md)");
  // One option per row of the settings table; each value is checked by its row, as the variable's is.
  const auto& settings = node::node_settings();
  std::vector<std::string> node_values(settings.size());
  for (std::size_t i = 0; i < settings.size(); ++i) {
    const auto& s = settings[i];
    if (s.flag.empty()) continue;
    node_cmd->add_option(s.flag + (s.short_flag.empty() ? "" : "," + s.short_flag), node_values[i],
                         s.help + " (default: " + s.default_text + ") [" + s.variable + "]");
  }

  cli::ClusterCommandOptions cluster;
  auto* cluster_cmd = app.add_subcommand("cluster", "A development cluster on this machine: its own RabbitMQ and N nodes");
  cluster_cmd->require_subcommand(1);
  cluster_cmd->add_option("--dir", cluster.directory,
                          "The cluster's run directory: state, logs, broker data (default: $TMPDIR/fossa-cluster)");
  auto* up_cmd = cluster_cmd->add_subcommand("up", "Start the broker and the nodes, print their URLs, and return");
  up_cmd->add_option("--workers,-w", cluster.workers, "Nodes to start")->capture_default_str()->check(CLI::PositiveNumber);
  up_cmd->add_option("--capacity", cluster.capacity, "Tasks per node (default: each node's, from its CPUs)")
      ->check(CLI::PositiveNumber);
  up_cmd->add_flag("--gateway", cluster.gateway,
                   "Also start a fossa-gateway for the cluster; prints its URL, user and a fresh password");
  auto* status_cmd = cluster_cmd->add_subcommand("status", "Show the cluster's broker and nodes; exit 1 if any is down");
  auto* down_cmd = cluster_cmd->add_subcommand("down", "Stop what `up` started, and nothing else");

  cli::SubmitOptions submit;
  auto* submit_cmd = app.add_subcommand("submit", "Post a task to a node; with --wait, follow it to its end");
  submit_cmd->add_option("model", submit.model_class, "Model class name")->required();
  submit_cmd->add_option("--context,-c", submit.context, "Resolver context key=value (repeatable)");
  submit_cmd->add_option("--secret", submit.secrets, "Resolver context key=value that is never shown (repeatable)");
  submit_cmd->add_option("--method", submit.method, "Run only this method (default: go, the whole model)");
  submit_cmd->add_option("--kwargs", submit.kwargs, "The method's kwargs as a JSON object");
  submit_cmd->add_option("--node,-n", submit.node_url,
                         "The node's (or gateway's) URL (default: $FOSSA_NODE_URL, else http://127.0.0.1:2345)");
  auto* wait_flag = submit_cmd->add_flag("--wait,-w", submit.wait,
                                         "Show progress until the task ends, print its result, exit by its status");
  submit_cmd->add_flag("--subtasks", submit.show_subtasks, "With --wait: list each subtask and the node that ran it")
      ->needs(wait_flag);

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
  if (node_cmd->parsed()) {
    std::map<std::string, std::string> given;
    for (std::size_t i = 0; i < settings.size(); ++i) {
      if (!settings[i].flag.empty() && node_cmd->count(settings[i].flag) > 0) given[settings[i].variable] = node_values[i];
    }
    auto config = node::resolve_node_config(given, node::node_environment());
    if (!config) {
      std::cerr << "fossa node: " << config.error() << "\n";
      return 2;
    }
    return node::run_node(*config);
  }
  if (submit_cmd->parsed()) return cli::submit_command(submit);
  if (up_cmd->parsed()) return cli::cluster_up(cluster);
  if (status_cmd->parsed()) return cli::cluster_status(cluster);
  if (down_cmd->parsed()) return cli::cluster_down(cluster);
  return 2;
}

}  // namespace fossa
