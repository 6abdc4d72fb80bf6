// NodeConfig: how a worker node runs, from `fossa node` flags over FOSSA_* environment variables
// over defaults. Every setting is one row of node_settings(): its flag, its variable, its default,
// its help and its check. The command line, the environment reading and the table in
// docs/node.md all come from those rows, so adding a setting touches one place. A bad value is an
// error naming the flag or variable and what it got, before anything starts.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "ayeaye/error.h"
#include "net/http_limits.h"
#include "node/context_secrets.h"

namespace fossa::node {

enum class LogFormat { kText, kJson };
// On ECS: protect the task from scale-in while it runs anything (node/scale_in_protection.h).
enum class ProtectionMode { kAuto, kOn, kOff };

// Python Fossa's RuntimeKnowledge.cpu_task_ratio: two tasks per CPU unless told otherwise.
inline constexpr double kDefaultCpuTaskRatio = 2.0;

// The HTTP server's limits (net/http_limits.h) with the node's names in its refusals.
inline net::HttpLimits node_http_limits() {
  net::HttpLimits limits;
  limits.who = "this node";
  limits.body_limit_setting = "FOSSA_MAX_BODY_BYTES";
  return limits;
}

struct NodeConfig {
  std::string bind = "127.0.0.1";  // loopback unless told otherwise: a node has no token by default
  std::vector<std::string> allowed_hosts;  // names (lower case) it answers to besides IPs and localhost
  int port = 2345;  // 0: any free port (the ready log line names it)
  double cpu_task_ratio = kDefaultCpuTaskRatio;
  int max_concurrent_tasks = 0;             // resolved: never 0 after resolve_node_config()
  std::set<std::string> accepted_models;    // resolved: every registered model when none given
  std::size_t history_size = 100;           // finished tasks kept for GET /task/<id> and node_info
  std::size_t subtask_documents = 1000;     // subtask documents a finished parent keeps (and failed ones)
  std::optional<std::chrono::seconds> task_time_limit;
  std::optional<std::chrono::seconds> drain;  // on SIGTERM, running tasks may finish within this
  net::HttpLimits http = node_http_limits();  // what a client may send, and how many at once
  std::string api_token;  // when set, every path but /healthz and /readyz asks for `Bearer <token>`
  LogFormat log_format = LogFormat::kText;
  std::size_t log_model_lines = 1000;       // the model's own lines each task relays to the node's log
  std::string node_ident;                   // resolved: "<hostname>:<pid>" when none given
  std::string host_name;                    // resolved: this machine's, in lower case; it answers to it too
  std::string executable = "/proc/self/exe";

  // Distribution over RabbitMQ (docs/node.md). Without a URL, partitioned models run on this node.
  std::string rabbitmq_url;                             // RABBITMQ_URL: amqp:// or amqps://
  bool consume_subtasks = true;                         // take subtasks from fossa_task_queue
  int subtask_retries = 1;                              // times a failed subtask is sent again
  std::optional<std::chrono::seconds> subtask_timeout;  // re-send a subtask unanswered this long
  int subtasks_in_flight = 64;                          // capacity offered to a model's partition plea
  int amqp_prefetch = 0;                                // subtasks taken at most; 0: adaptive (node/adaptive_prefetch.h)
  std::chrono::seconds amqp_heartbeat{30};              // proposed to the broker (it may lower it)
  // A subtask for a model this node lacks is handed back for another node until it was first
  // refused this long ago, or this many times (amqp/refused_subtask.h); then answered failed.
  std::chrono::seconds refused_subtask_limit{120};
  long long refused_subtask_refusals = 300;

  // FOSSA_SECRET_<KEY> variables: secrets every task run here gets in its context (never shown).
  ContextSecrets context_secrets;

  // On ECS (the agent's URI is set by ECS in every task's environment).
  std::string ecs_agent_uri;
  ProtectionMode scale_in_protection = ProtectionMode::kAuto;  // auto: on when ecs_agent_uri is set
};

// One setting of `fossa node`.
struct NodeSetting {
  std::string flag;          // "--max-concurrent-tasks"; "" for a variable without a flag
  std::string short_flag;    // "-p", or ""
  std::string variable;      // "FOSSA_MAX_CONCURRENT_TASKS"
  std::string default_text;  // the default as a reader sees it: "ceil(CPUs × ratio)"
  std::string help;          // one line: what it sets
  // Checks `text` and stores it; else says what is wrong with it ("must be at least 1, got 0").
  std::function<std::optional<std::string>(NodeConfig&, const std::string& text)> apply;
};

// Every setting, in the order of `fossa node --help` and of docs/node.md.
const std::vector<NodeSetting>& node_settings();

// The configuration from `flags` (the values given on the command line, by their setting's
// variable name) over `environment` (variable → value) over the defaults, then resolved: the
// capacity from the CPUs, the node's name, the accepted models checked against this program's.
ayeaye::Result<NodeConfig> resolve_node_config(const std::map<std::string, std::string>& flags,
                                               const std::map<std::string, std::string>& environment);

// The variables of node_settings() that this process's environment sets, and its FOSSA_SECRET_*.
std::map<std::string, std::string> node_environment();

// The Markdown table of node_settings(), as docs/node.md shows it (a unit test keeps them equal).
std::string node_settings_markdown();

}  // namespace fossa::node
