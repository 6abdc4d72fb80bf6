// fossa::main: the `fossa` command line. Parses options into each command's typed options and
// hands over; the commands live in their own files.
#include "fossa/main.h"

#include <CLI/CLI.hpp>

#include <cstring>
#include <map>
#include <set>
#include <iostream>

#include "ayeaye/registry.h"
#include "cli/cluster_command.h"
#include "cli/models_command.h"
#include "cli/run_command.h"
#include "cli/submit_command.h"
#include "node/node.h"
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
  run_cmd->add_option("--context,-c", run.context, "Resolver context key=value (repeatable; printed first)");
  run_cmd->add_option("--secret", run.secrets,
                      "Resolver context key=value the model gets, shown and logged only as *** (repeatable)");
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

  node::NodeConfig node_flags;
  std::string accepted_models;
  long time_limit = 0;
  std::string log_format;
  auto* node_cmd = app.add_subcommand(
      "node", "Run a worker node: the Fossa HTTP API and pages; each task in its own process. Flags override the "
              "FOSSA_* environment variables named below");
  node_cmd->add_option("--port,-p", node_flags.port, "HTTP port; 0 picks a free one [FOSSA_HTTP_PORT]")
      ->capture_default_str();
  node_cmd->add_option("--bind", node_flags.bind, "Address to listen on [FOSSA_BIND]")->capture_default_str();
  node_cmd->add_option("--max-concurrent-tasks", node_flags.max_concurrent_tasks,
                       "Capacity: tasks running at once (default: ceil(CPUs x cpu-task-ratio)) [FOSSA_MAX_CONCURRENT_TASKS]")
      ->check(CLI::PositiveNumber);
  node_cmd->add_option("--cpu-task-ratio", node_flags.cpu_task_ratio,
                       "Tasks per CPU when no capacity is given [FOSSA_CPU_TASK_RATIO]")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  node_cmd->add_option("--accepted-models", accepted_models,
                       "Comma-separated models this node runs (default: every model of this program) [FOSSA_ACCEPTED_MODELS]");
  node_cmd->add_option("--history", node_flags.history_size, "Finished tasks remembered [FOSSA_TASK_HISTORY]")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  node_cmd->add_option("--subtask-documents", node_flags.subtask_documents,
                       "Subtask documents a finished parent keeps, besides failed ones [FOSSA_SUBTASK_DOCUMENTS]")
      ->capture_default_str();
  node_cmd->add_option("--task-time-limit", time_limit,
                       "Seconds a task may run before it is killed and failed; 0: no limit [FOSSA_TASK_TIME_LIMIT]")
      ->check(CLI::NonNegativeNumber);
  node_cmd->add_option("--max-body-bytes", node_flags.max_body_bytes,
                       "Largest request body accepted [FOSSA_MAX_BODY_BYTES]")
      ->capture_default_str()
      ->check(CLI::Range(64, 1 << 30));
  node_cmd->add_option("--log-format", log_format, "text or json [FOSSA_LOG_FORMAT]")
      ->check(CLI::IsMember({"text", "json"}));
  node_cmd->add_option("--node-ident", node_flags.node_ident,
                       "This node's name in answers (default: <hostname>:<pid>) [FOSSA_NODE_IDENT]");
  long drain_seconds = 0;
  node_cmd->add_option("--drain-seconds", drain_seconds,
                       "On SIGTERM, seconds running tasks may go on to finish (no new work is taken); "
                       "then they are stopped. 0: stop them at once [FOSSA_DRAIN_SECONDS]")
      ->check(CLI::NonNegativeNumber);
  std::string consume_subtasks;
  long subtask_timeout = 0;
  node_cmd->add_option("--rabbitmq-url", node_flags.rabbitmq_url,
                       "Run subtasks across nodes through this broker, amqp:// or amqps:// [RABBITMQ_URL]");
  node_cmd->add_option("--consume-subtasks", consume_subtasks,
                       "1: also run subtasks from the queue; 0: a coordinator only [FOSSA_CONSUME_SUBTASKS]")
      ->check(CLI::IsMember({"0", "1"}));
  node_cmd->add_option("--subtask-retries", node_flags.subtask_retries,
                       "Times a failed subtask is sent again [FOSSA_SUBTASK_RETRIES]")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  node_cmd->add_option("--subtask-timeout", subtask_timeout,
                       "Seconds after which an unanswered subtask is sent again; 0: never [FOSSA_SUBTASK_TIMEOUT]")
      ->check(CLI::NonNegativeNumber);
  node_cmd->add_option("--subtasks-in-flight", node_flags.subtasks_in_flight,
                       "Capacity offered to a partitioned model over RabbitMQ [FOSSA_SUBTASKS_IN_FLIGHT]")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);

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
    std::set<std::string> given;
    const std::pair<const char*, const char*> flags[] = {
        {"--port", "port"}, {"--bind", "bind"}, {"--max-concurrent-tasks", "max_concurrent_tasks"},
        {"--cpu-task-ratio", "cpu_task_ratio"}, {"--accepted-models", "accepted_models"}, {"--history", "history_size"},
        {"--subtask-documents", "subtask_documents"},
        {"--task-time-limit", "task_time_limit"}, {"--drain-seconds", "drain"}, {"--max-body-bytes", "max_body_bytes"},
        {"--log-format", "log_format"}, {"--node-ident", "node_ident"}, {"--rabbitmq-url", "rabbitmq_url"},
        {"--consume-subtasks", "consume_subtasks"}, {"--subtask-retries", "subtask_retries"},
        {"--subtask-timeout", "subtask_timeout"}, {"--subtasks-in-flight", "subtasks_in_flight"}};
    for (const auto& [flag, field] : flags) {
      if (node_cmd->count(flag) > 0) given.insert(field);
    }
    std::map<std::string, std::string> environment = node::fossa_environment();
    // Flags given as text go through the same parsing as their variables.
    if (given.count("accepted_models") > 0) environment["FOSSA_ACCEPTED_MODELS"] = accepted_models;
    if (given.count("log_format") > 0) environment["FOSSA_LOG_FORMAT"] = log_format;
    if (given.count("task_time_limit") > 0) environment["FOSSA_TASK_TIME_LIMIT"] = std::to_string(time_limit);
    if (given.count("consume_subtasks") > 0) environment["FOSSA_CONSUME_SUBTASKS"] = consume_subtasks;
    if (given.count("subtask_timeout") > 0) environment["FOSSA_SUBTASK_TIMEOUT"] = std::to_string(subtask_timeout);
    if (given.count("drain") > 0) environment["FOSSA_DRAIN_SECONDS"] = std::to_string(drain_seconds);
    given.erase("drain");
    if (given.count("rabbitmq_url") > 0) environment["RABBITMQ_URL"] = node_flags.rabbitmq_url;
    given.erase("consume_subtasks");
    given.erase("subtask_timeout");
    given.erase("rabbitmq_url");
    given.erase("accepted_models");
    given.erase("log_format");
    given.erase("task_time_limit");
    auto config = node::resolve_node_config(node_flags, given, environment);
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
