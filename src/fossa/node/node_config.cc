#include "node/node_config.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <sstream>
#include <type_traits>

#include "ayeaye/registry.h"
#include "local/local_process_pool.h"
#include "net/http.h"

namespace fossa::node {
namespace {

using Apply = decltype(NodeSetting::apply);
using Problem = std::optional<std::string>;

Problem parse_integer(const std::string& text, long long minimum, long long maximum, long long& value) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) return "expected a whole number, got '" + text + "'";
  if (value < minimum) return "must be at least " + std::to_string(minimum) + ", got " + text;
  if (value > maximum) return "must be at most " + std::to_string(maximum) + ", got " + text;
  return std::nullopt;
}

template <class T>
Apply integer(T NodeConfig::*field, long long minimum, long long maximum) {
  return [=](NodeConfig& config, const std::string& text) -> Problem {
    long long value = 0;
    if (auto problem = parse_integer(text, minimum, maximum, value)) return problem;
    config.*field = static_cast<T>(value);
    return std::nullopt;
  };
}

// A limit of the HTTP server: a number, or seconds for a time-out.
template <class T>
Apply http_limit(T net::HttpLimits::*field, long long minimum, long long maximum) {
  return [=](NodeConfig& config, const std::string& text) -> Problem {
    long long value = 0;
    if (auto problem = parse_integer(text, minimum, maximum, value)) return problem;
    if constexpr (std::is_same_v<T, std::chrono::milliseconds>) {
      config.http.*field = std::chrono::seconds(value);
    } else {
      config.http.*field = static_cast<T>(value);
    }
    return std::nullopt;
  };
}

// Seconds, 0 included.
Apply seconds_setting(std::chrono::seconds NodeConfig::*field) {
  return [=](NodeConfig& config, const std::string& text) -> Problem {
    long long value = 0;
    if (auto problem = parse_integer(text, 0, 365LL * 24 * 3600, value)) return problem;
    config.*field = std::chrono::seconds(value);
    return std::nullopt;
  };
}

// Seconds where 0 means "none".
Apply optional_seconds(std::optional<std::chrono::seconds> NodeConfig::*field) {
  return [=](NodeConfig& config, const std::string& text) -> Problem {
    long long value = 0;
    if (auto problem = parse_integer(text, 0, 365LL * 24 * 3600, value)) return problem;
    config.*field = value > 0 ? std::optional(std::chrono::seconds(value)) : std::nullopt;
    return std::nullopt;
  };
}

Apply plain_text(std::string NodeConfig::*field) {
  return [=](NodeConfig& config, const std::string& text) -> Problem {
    config.*field = text;
    return std::nullopt;
  };
}

Problem set_cpu_task_ratio(NodeConfig& config, const std::string& text) {
  double value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) return "expected a number, got '" + text + "'";
  if (!(value > 0) || value > 1024) return "must be above 0 and at most 1024, got " + text;
  config.cpu_task_ratio = value;
  return std::nullopt;
}

// The items of a comma-separated list, trimmed, the empty ones left out.
std::vector<std::string> list_items(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream list(text);
  std::string item;
  while (std::getline(list, item, ',')) {
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (!item.empty()) items.push_back(item);
  }
  return items;
}

std::string lower_case(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

Problem set_accepted_models(NodeConfig& config, const std::string& text) {
  const auto& registry = ayeaye::ModelRegistry::instance();
  config.accepted_models.clear();
  for (const auto& name : list_items(text)) {
    if (registry.find(name) == nullptr) {
      std::string known;
      for (const auto& n : registry.names()) known += (known.empty() ? "" : ", ") + n;
      return "'" + name + "' is not a model of this program; it has: " + known;
    }
    config.accepted_models.insert(name);
  }
  return std::nullopt;
}

Problem set_allowed_hosts(NodeConfig& config, const std::string& text) {
  config.allowed_hosts.clear();
  for (const auto& name : list_items(text)) {
    if (!net::valid_host(name) || name.find(':') != std::string::npos || name.front() == '[') {
      return "'" + name + "' is not a host name (letters, digits, '-' and '.', without a port)";
    }
    config.allowed_hosts.push_back(lower_case(name));
  }
  return std::nullopt;
}

Problem set_log_format(NodeConfig& config, const std::string& text) {
  if (text != "text" && text != "json") return "expected text or json, got '" + text + "'";
  config.log_format = text == "json" ? LogFormat::kJson : LogFormat::kText;
  return std::nullopt;
}

Problem set_rabbitmq_url(NodeConfig& config, const std::string& text) {
  if (!text.empty() && text.rfind("amqp://", 0) != 0 && text.rfind("amqps://", 0) != 0) {
    return "expected amqp://... or amqps://..., got '" + text + "'";
  }
  config.rabbitmq_url = text;
  return std::nullopt;
}

Problem set_consume_subtasks(NodeConfig& config, const std::string& text) {
  if (text != "0" && text != "1") return "expected 0 or 1, got '" + text + "'";
  config.consume_subtasks = text == "1";
  return std::nullopt;
}

Problem set_amqp_heartbeat(NodeConfig& config, const std::string& text) {
  long long value = 0;
  // AMQP carries the heartbeat in 16 bits.
  if (auto problem = parse_integer(text, 1, 65535, value)) return problem;
  config.amqp_heartbeat = std::chrono::seconds(value);
  return std::nullopt;
}

Problem set_scale_in_protection(NodeConfig& config, const std::string& text) {
  if (text == "auto") {
    config.scale_in_protection = ProtectionMode::kAuto;
  } else if (text == "on") {
    config.scale_in_protection = ProtectionMode::kOn;
  } else if (text == "off") {
    config.scale_in_protection = ProtectionMode::kOff;
  } else {
    return "expected auto, on or off, got '" + text + "'";
  }
  return std::nullopt;
}

Problem set_ecs_agent_uri(NodeConfig& config, const std::string& text) {
  if (!text.empty() && text.rfind("http://", 0) != 0 && text.rfind("https://", 0) != 0) {
    return "expected an http:// URL, got '" + text + "'";
  }
  config.ecs_agent_uri = text;
  return std::nullopt;
}

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "localhost";
  return name;
}

}  // namespace

const std::vector<NodeSetting>& node_settings() {
  static const std::vector<NodeSetting> settings = {
      {"--port", "-p", "FOSSA_HTTP_PORT", "2345", "HTTP port; 0 picks a free one (the ready log line names it)",
       integer(&NodeConfig::port, 0, 65535)},
      {"--bind", "", "FOSSA_BIND", "127.0.0.1",
       "address to listen on: loopback only unless told otherwise; `0.0.0.0` for every address (the worker image's "
       "setting)",
       plain_text(&NodeConfig::bind)},
      {"--allowed-hosts", "", "FOSSA_ALLOWED_HOSTS", "none",
       "comma-separated names the node answers to (in `Host`) besides IP addresses, `localhost` and its own host name; "
       "any other gets 421",
       set_allowed_hosts},
      {"--max-concurrent-tasks", "", "FOSSA_MAX_CONCURRENT_TASKS", "ceil(CPUs × ratio)",
       "capacity: tasks and subtask processes running at once", integer(&NodeConfig::max_concurrent_tasks, 1, 100'000)},
      {"--cpu-task-ratio", "", "FOSSA_CPU_TASK_RATIO", "2", "tasks per CPU when no capacity is given",
       set_cpu_task_ratio},
      {"--accepted-models", "", "FOSSA_ACCEPTED_MODELS", "every model of this program",
       "comma-separated models this node runs", set_accepted_models},
      {"--history", "", "FOSSA_TASK_HISTORY", "100", "finished tasks remembered for their documents and pages",
       integer(&NodeConfig::history_size, 1, 1'000'000)},
      {"--subtask-documents", "", "FOSSA_SUBTASK_DOCUMENTS", "1000",
       "subtask documents a finished parent keeps, besides every failed one",
       integer(&NodeConfig::subtask_documents, 0, 10'000'000)},
      {"--task-time-limit", "", "FOSSA_TASK_TIME_LIMIT", "0 (none)",
       "seconds a task may run before it is killed and failed", optional_seconds(&NodeConfig::task_time_limit)},
      {"--drain-seconds", "", "FOSSA_DRAIN_SECONDS", "0 (none)",
       "on SIGTERM, seconds running tasks may go on to finish before they are stopped",
       optional_seconds(&NodeConfig::drain)},
      {"--max-body-bytes", "", "FOSSA_MAX_BODY_BYTES", "1048576", "largest request body accepted",
       http_limit(&net::HttpLimits::max_body_bytes, 64, 1LL << 30)},
      {"--max-line-bytes", "", "FOSSA_MAX_LINE_BYTES", "8192",
       "longest request line (else 414) and header line (else 431)", http_limit(&net::HttpLimits::max_line_bytes, 256, 1 << 20)},
      {"--max-header-bytes", "", "FOSSA_MAX_HEADER_BYTES", "65536", "request line and headers together, at most (else 431)",
       http_limit(&net::HttpLimits::max_header_bytes, 1024, 1 << 24)},
      {"--max-headers", "", "FOSSA_MAX_HEADERS", "100", "header fields in a request, at most (else 431)",
       http_limit(&net::HttpLimits::max_header_count, 8, 10'000)},
      {"--request-timeout", "", "FOSSA_REQUEST_TIMEOUT", "10",
       "seconds a client has to send a whole request, from its first byte; then the connection closes",
       http_limit(&net::HttpLimits::request_timeout, 1, 3600)},
      {"--idle-timeout", "", "FOSSA_IDLE_TIMEOUT", "5", "seconds a kept-alive connection may wait for its next request",
       http_limit(&net::HttpLimits::idle_timeout, 1, 3600)},
      {"--max-connections", "", "FOSSA_MAX_CONNECTIONS", "4096",
       "HTTP connections open at once; beyond, a new one is answered 503 and closed",
       http_limit(&net::HttpLimits::max_connections, 16, 1'000'000)},
      {"--max-connections-per-address", "", "FOSSA_MAX_CONNECTIONS_PER_ADDRESS", "256",
       "HTTP connections open at once from one IP address; beyond, likewise",
       http_limit(&net::HttpLimits::max_connections_per_address, 1, 1'000'000)},
      {"", "", "FOSSA_API_TOKEN", "none",
       "when set, every request but `/healthz` and `/readyz` needs `Authorization: Bearer <token>` (else 401); "
       "a variable only, so it is not seen in the process list",
       plain_text(&NodeConfig::api_token)},
      {"--log-format", "", "FOSSA_LOG_FORMAT", "text", "`text`, or `json` (one JSON object per line)", set_log_format},
      {"--log-model-lines", "", "FOSSA_LOG_MODEL_LINES", "1000",
       "the model's own lines (log() and printed) each task or subtask relays to the node's log, with its job id; "
       "beyond, one line says how many more were not (its document's log_tail has its last ones)",
       integer(&NodeConfig::log_model_lines, 0, 100'000'000)},
      {"--node-ident", "", "FOSSA_NODE_IDENT", "`<hostname>:<pid>`", "this node's name in answers and pages",
       plain_text(&NodeConfig::node_ident)},
      {"--rabbitmq-url", "", "RABBITMQ_URL", "none",
       "run partitioned models' subtasks across nodes through this broker, `amqp://` or `amqps://`",
       set_rabbitmq_url},
      {"--consume-subtasks", "", "FOSSA_CONSUME_SUBTASKS", "1",
       "with a broker: 1 also runs subtasks from the queue; 0 a coordinator only", set_consume_subtasks},
      {"--subtask-retries", "", "FOSSA_SUBTASK_RETRIES", "1",
       "times a failed subtask is sent again before the model hears of it",
       integer(&NodeConfig::subtask_retries, 0, 100)},
      {"--subtask-timeout", "", "FOSSA_SUBTASK_TIMEOUT", "0 (never)",
       "seconds after which a subtask sent over the broker and unanswered is sent again",
       optional_seconds(&NodeConfig::subtask_timeout)},
      {"--subtasks-in-flight", "", "FOSSA_SUBTASKS_IN_FLIGHT", "64",
       "with a broker: the capacity offered to a model's partition plea",
       integer(&NodeConfig::subtasks_in_flight, 1, 100'000)},
      {"--amqp-heartbeat", "", "FOSSA_AMQP_HEARTBEAT", "30", "seconds between AMQP heartbeats proposed to the broker",
       set_amqp_heartbeat},
      {"--refused-subtask-limit", "", "FOSSA_REFUSED_SUBTASK_LIMIT", "120",
       "with a broker: seconds a subtask whose model this node lacks is handed back for another node, counted from "
       "its first refusal by any node; then this node answers its parent that no node could run it (0: at once)",
       seconds_setting(&NodeConfig::refused_subtask_limit)},
      {"--refused-subtask-refusals", "", "FOSSA_REFUSED_SUBTASK_REFUSALS", "300",
       "with a broker: refusals (by any nodes) after which such a subtask is answered failed, whatever the clocks say",
       integer(&NodeConfig::refused_subtask_refusals, 1, 1'000'000)},
      {"--amqp-prefetch", "", "FOSSA_AMQP_PREFETCH", "adaptive",
       "with a broker: subtasks taken from the queue at most (running, or waiting here for a slot); unset, the "
       "capacity plus about 20 ms of work a slot at the run time of the subtasks run here (at most 256 more)",
       integer(&NodeConfig::amqp_prefetch, 1, 65535)},
      {"--scale-in-protection", "", "FOSSA_SCALE_IN_PROTECTION", "auto",
       "on ECS: `on` protects the task from scale-in while it runs anything, `off` never, `auto` on when "
       "`ECS_AGENT_URI` is set",
       set_scale_in_protection},
      {"", "", "ECS_AGENT_URI", "set by ECS", "the ECS agent's endpoint, for scale-in protection", set_ecs_agent_uri},
      // A family of variables, read by its prefix in resolve_node_config() (node/context_secrets.h);
      // the row is here for --help and docs/node.md.
      {"", "", "FOSSA_SECRET_<KEY>", "none",
       "a secret every task and subtask run here gets in its resolver context as `<KEY>` (letters, digits, `_`); "
       "a task may not give that key; never shown, and removed from the environment models see",
       [](NodeConfig&, const std::string&) -> Problem { return std::nullopt; }},
  };
  return settings;
}

ayeaye::Result<NodeConfig> resolve_node_config(const std::map<std::string, std::string>& flags,
                                               const std::map<std::string, std::string>& environment) {
  NodeConfig config;
  for (const auto& setting : node_settings()) {
    const std::string* text = nullptr;
    const std::string* where = nullptr;
    if (const auto given = flags.find(setting.variable); given != flags.end()) {
      text = &given->second;
      where = &setting.flag;
    } else if (const auto set = environment.find(setting.variable); set != environment.end()) {
      text = &set->second;
      where = &setting.variable;
    }
    if (text == nullptr) continue;
    if (auto problem = setting.apply(config, *text)) return ayeaye::Result<NodeConfig>::fail(*where + ": " + *problem);
  }
  auto secrets = ContextSecrets::from_environment(environment);
  if (!secrets) return ayeaye::Result<NodeConfig>::fail(secrets.error());
  config.context_secrets = std::move(secrets).value();
  if (config.scale_in_protection == ProtectionMode::kOn && config.ecs_agent_uri.empty()) {
    return ayeaye::Result<NodeConfig>::fail(
        "FOSSA_SCALE_IN_PROTECTION=on needs ECS_AGENT_URI, which ECS sets in a task's environment");
  }
  if (config.scale_in_protection == ProtectionMode::kAuto) {
    config.scale_in_protection = config.ecs_agent_uri.empty() ? ProtectionMode::kOff : ProtectionMode::kOn;
  }
  if (config.max_concurrent_tasks == 0) config.max_concurrent_tasks = default_capacity(config.cpu_task_ratio);
  config.host_name = lower_case(host_name());
  if (config.node_ident.empty()) config.node_ident = host_name() + ":" + std::to_string(::getpid());
  if (config.accepted_models.empty()) {
    for (const auto& name : ayeaye::ModelRegistry::instance().names()) config.accepted_models.insert(name);
  }
  return config;
}

std::map<std::string, std::string> node_environment() {
  std::map<std::string, std::string> found;
  for (const auto& setting : node_settings()) {
    if (const char* value = std::getenv(setting.variable.c_str())) found[setting.variable] = value;
  }
  found.merge(context_secret_variables());
  return found;
}

std::string node_settings_markdown() {
  std::string table = "| flag | variable | default | meaning |\n| --- | --- | --- | --- |\n";
  for (const auto& s : node_settings()) {
    std::string flags = s.flag.empty() ? "" : "`" + s.flag + "`";
    if (!s.short_flag.empty()) flags += ", `" + s.short_flag + "`";
    table += "| " + flags + " | `" + s.variable + "` | " + s.default_text + " | " + s.help + " |\n";
  }
  return table;
}

}  // namespace fossa::node
