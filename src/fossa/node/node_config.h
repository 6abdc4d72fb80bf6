// NodeConfig: how a worker node runs, from `fossa node` flags over FOSSA_* environment variables
// over defaults (docs/node.md lists them). Validated here: a bad value is an error naming the flag
// or variable and what it got, before anything starts.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "ayeaye/error.h"

namespace fossa::node {

enum class LogFormat { kText, kJson };

struct NodeConfig {
  std::string bind = "0.0.0.0";
  int port = 2345;  // 0: any free port (the ready log line names it)
  double cpu_task_ratio = 1.0;
  int max_concurrent_tasks = 0;             // resolved: never 0 after resolve()
  std::set<std::string> accepted_models;    // resolved: every registered model when none given
  std::size_t history_size = 100;           // finished tasks kept for GET /task/<id> and node_info
  std::size_t subtask_documents = 1000;     // subtask documents a finished parent keeps (and failed ones)
  std::optional<std::chrono::seconds> task_time_limit;
  std::optional<std::chrono::seconds> drain;  // on SIGTERM, running tasks may finish within this
  std::size_t max_body_bytes = 1 << 20;
  LogFormat log_format = LogFormat::kText;
  std::string node_ident;                   // resolved: "<hostname>:<pid>" when none given
  std::string executable = "/proc/self/exe";

  // Distribution over RabbitMQ (docs/node.md). Without a URL, partitioned models run on this node.
  std::string rabbitmq_url;                             // RABBITMQ_URL: amqp:// or amqps://
  bool consume_subtasks = true;                         // take subtasks from fossa_task_queue
  int subtask_retries = 1;                              // times a failed subtask is sent again
  std::optional<std::chrono::seconds> subtask_timeout;  // re-send a subtask unanswered this long
  int subtasks_in_flight = 64;                          // capacity offered to a model's partition plea
  std::chrono::seconds amqp_heartbeat{30};              // proposed to the broker (it may lower it)
};

// Fills the fields flags left unset from the environment (`environment` maps FOSSA_* names to
// values), then resolves defaults. `set_by_flags` names the fields the command line gave.
ayeaye::Result<NodeConfig> resolve_node_config(NodeConfig from_flags, const std::set<std::string>& set_by_flags,
                                               const std::map<std::string, std::string>& environment);

// The FOSSA_* variables of this process's environment.
std::map<std::string, std::string> fossa_environment();

}  // namespace fossa::node
