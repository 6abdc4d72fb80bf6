#include "node/node_config.h"

#include <unistd.h>

#include <charconv>
#include <cstring>
#include <optional>
#include <sstream>
#include <type_traits>

#include "ayeaye/registry.h"
#include "local/local_process_pool.h"

extern char** environ;

namespace fossa::node {
namespace {

template <class T>
ayeaye::Result<T> parse_number(const std::string& where, const std::string& text, T minimum) {
  T value{};
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end) return ayeaye::Result<T>::fail(where + ": '" + text + "' is not a number");
  if (value < minimum) {
    std::ostringstream out;
    out << where << ": must be at least " << minimum << ", got " << text;
    return ayeaye::Result<T>::fail(out.str());
  }
  return value;
}

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "localhost";
  return name;
}

}  // namespace

std::map<std::string, std::string> fossa_environment() {
  std::map<std::string, std::string> found;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string text(*entry);
    if (text.rfind("FOSSA_", 0) != 0 && text.rfind("RABBITMQ_URL=", 0) != 0) continue;
    const auto eq = text.find('=');
    if (eq != std::string::npos) found[text.substr(0, eq)] = text.substr(eq + 1);
  }
  return found;
}

ayeaye::Result<NodeConfig> resolve_node_config(NodeConfig config, const std::set<std::string>& set_by_flags,
                                               const std::map<std::string, std::string>& environment) {
  using R = ayeaye::Result<NodeConfig>;
  auto from_env = [&](const char* field, const char* variable) -> const std::string* {
    if (set_by_flags.count(field) > 0) return nullptr;
    const auto found = environment.find(variable);
    return found == environment.end() ? nullptr : &found->second;
  };

  // A numeric variable (unless its flag was given) into `target`; the first error is kept.
  std::optional<std::string> problem;
  auto number = [&](const char* field, const char* variable, auto minimum, auto& target) {
    const auto* v = from_env(field, variable);
    if (v == nullptr || problem) return;
    auto value = parse_number<decltype(minimum)>(variable, *v, minimum);
    if (!value) {
      problem = value.error();
    } else {
      target = static_cast<std::remove_reference_t<decltype(target)>>(*value);
    }
  };
  // Seconds, where 0 means "none".
  auto seconds = [&](const char* field, const char* variable, std::optional<std::chrono::seconds>& target) {
    long count = target ? static_cast<long>(target->count()) : 0;
    number(field, variable, 0L, count);
    target.reset();
    if (count > 0) target = std::chrono::seconds(count);
  };

  if (const auto* v = from_env("bind", "FOSSA_BIND")) config.bind = *v;
  number("port", "FOSSA_HTTP_PORT", 0, config.port);
  if (problem) return R::fail(*problem);
  if (config.port > 65535) return R::fail("port must be at most 65535, got " + std::to_string(config.port));
  number("cpu_task_ratio", "FOSSA_CPU_TASK_RATIO", 0.0, config.cpu_task_ratio);
  if (problem) return R::fail(*problem);
  if (!(config.cpu_task_ratio > 0)) return R::fail("cpu task ratio must be above 0");
  number("max_concurrent_tasks", "FOSSA_MAX_CONCURRENT_TASKS", 1, config.max_concurrent_tasks);
  if (problem) return R::fail(*problem);
  if (config.max_concurrent_tasks < 0) return R::fail("max concurrent tasks must be at least 1");
  if (config.max_concurrent_tasks == 0) config.max_concurrent_tasks = default_capacity(config.cpu_task_ratio);
  number("history_size", "FOSSA_TASK_HISTORY", std::size_t{1}, config.history_size);
  number("subtask_documents", "FOSSA_SUBTASK_DOCUMENTS", std::size_t{0}, config.subtask_documents);
  seconds("task_time_limit", "FOSSA_TASK_TIME_LIMIT", config.task_time_limit);
  seconds("drain", "FOSSA_DRAIN_SECONDS", config.drain);
  number("max_body_bytes", "FOSSA_MAX_BODY_BYTES", std::size_t{64}, config.max_body_bytes);
  if (problem) return R::fail(*problem);
  if (const auto* v = from_env("log_format", "FOSSA_LOG_FORMAT")) {
    if (*v == "json") {
      config.log_format = LogFormat::kJson;
    } else if (*v == "text") {
      config.log_format = LogFormat::kText;
    } else {
      return R::fail("FOSSA_LOG_FORMAT: expected text or json, got '" + *v + "'");
    }
  }
  if (const auto* v = from_env("rabbitmq_url", "RABBITMQ_URL")) config.rabbitmq_url = *v;
  if (!config.rabbitmq_url.empty() && config.rabbitmq_url.rfind("amqp://", 0) != 0 &&
      config.rabbitmq_url.rfind("amqps://", 0) != 0) {
    return R::fail("RABBITMQ_URL: expected amqp://... or amqps://..., got '" + config.rabbitmq_url + "'");
  }
  if (const auto* v = from_env("consume_subtasks", "FOSSA_CONSUME_SUBTASKS")) {
    if (*v != "0" && *v != "1") return R::fail("FOSSA_CONSUME_SUBTASKS: expected 0 or 1, got '" + *v + "'");
    config.consume_subtasks = *v == "1";
  }
  number("subtask_retries", "FOSSA_SUBTASK_RETRIES", 0, config.subtask_retries);
  seconds("subtask_timeout", "FOSSA_SUBTASK_TIMEOUT", config.subtask_timeout);
  number("subtasks_in_flight", "FOSSA_SUBTASKS_IN_FLIGHT", 1, config.subtasks_in_flight);
  long heartbeat = static_cast<long>(config.amqp_heartbeat.count());
  number("amqp_heartbeat", "FOSSA_AMQP_HEARTBEAT", 1L, heartbeat);
  config.amqp_heartbeat = std::chrono::seconds(heartbeat);
  if (problem) return R::fail(*problem);
  if (const auto* v = from_env("node_ident", "FOSSA_NODE_IDENT")) config.node_ident = *v;
  if (config.node_ident.empty()) config.node_ident = host_name() + ":" + std::to_string(::getpid());

  const auto& registry = ayeaye::ModelRegistry::instance();
  if (const auto* v = from_env("accepted_models", "FOSSA_ACCEPTED_MODELS")) {
    config.accepted_models.clear();
    std::stringstream list(*v);
    std::string name;
    while (std::getline(list, name, ',')) {
      name.erase(0, name.find_first_not_of(" \t"));
      name.erase(name.find_last_not_of(" \t") + 1);
      if (!name.empty()) config.accepted_models.insert(name);
    }
  }
  for (const auto& name : config.accepted_models) {
    if (registry.find(name) == nullptr) {
      std::string known;
      for (const auto& n : registry.names()) known += (known.empty() ? "" : ", ") + n;
      return R::fail("accepted model '" + name + "' is not a model of this program; it has: " + known);
    }
  }
  if (config.accepted_models.empty()) {
    for (const auto& name : registry.names()) config.accepted_models.insert(name);
  }
  return config;
}

}  // namespace fossa::node
