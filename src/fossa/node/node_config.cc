#include "node/node_config.h"

#include <unistd.h>

#include <charconv>
#include <cstring>
#include <sstream>

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

  if (const auto* v = from_env("bind", "FOSSA_BIND")) config.bind = *v;
  if (const auto* v = from_env("port", "FOSSA_HTTP_PORT")) {
    auto port = parse_number<int>("FOSSA_HTTP_PORT", *v, 0);
    if (!port) return R::fail(port.error());
    config.port = *port;
  }
  if (config.port > 65535) return R::fail("port must be at most 65535, got " + std::to_string(config.port));
  if (const auto* v = from_env("cpu_task_ratio", "FOSSA_CPU_TASK_RATIO")) {
    auto ratio = parse_number<double>("FOSSA_CPU_TASK_RATIO", *v, 0.0);
    if (!ratio) return R::fail(ratio.error());
    config.cpu_task_ratio = *ratio;
  }
  if (!(config.cpu_task_ratio > 0)) return R::fail("cpu task ratio must be above 0");
  if (const auto* v = from_env("max_concurrent_tasks", "FOSSA_MAX_CONCURRENT_TASKS")) {
    auto max = parse_number<int>("FOSSA_MAX_CONCURRENT_TASKS", *v, 1);
    if (!max) return R::fail(max.error());
    config.max_concurrent_tasks = *max;
  }
  if (config.max_concurrent_tasks < 0) return R::fail("max concurrent tasks must be at least 1");
  if (config.max_concurrent_tasks == 0) config.max_concurrent_tasks = default_capacity(config.cpu_task_ratio);
  if (const auto* v = from_env("history_size", "FOSSA_TASK_HISTORY")) {
    auto size = parse_number<std::size_t>("FOSSA_TASK_HISTORY", *v, 1);
    if (!size) return R::fail(size.error());
    config.history_size = *size;
  }
  if (const auto* v = from_env("subtask_documents", "FOSSA_SUBTASK_DOCUMENTS")) {
    auto count = parse_number<std::size_t>("FOSSA_SUBTASK_DOCUMENTS", *v, 0);
    if (!count) return R::fail(count.error());
    config.subtask_documents = *count;
  }
  if (const auto* v = from_env("task_time_limit", "FOSSA_TASK_TIME_LIMIT")) {
    auto seconds = parse_number<long>("FOSSA_TASK_TIME_LIMIT", *v, 0);
    if (!seconds) return R::fail(seconds.error());
    if (*seconds > 0) config.task_time_limit = std::chrono::seconds(*seconds);
  }
  if (const auto* v = from_env("max_body_bytes", "FOSSA_MAX_BODY_BYTES")) {
    auto bytes = parse_number<std::size_t>("FOSSA_MAX_BODY_BYTES", *v, 64);
    if (!bytes) return R::fail(bytes.error());
    config.max_body_bytes = *bytes;
  }
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
  if (const auto* v = from_env("subtask_retries", "FOSSA_SUBTASK_RETRIES")) {
    auto retries = parse_number<int>("FOSSA_SUBTASK_RETRIES", *v, 0);
    if (!retries) return R::fail(retries.error());
    config.subtask_retries = *retries;
  }
  if (const auto* v = from_env("subtask_timeout", "FOSSA_SUBTASK_TIMEOUT")) {
    auto seconds = parse_number<long>("FOSSA_SUBTASK_TIMEOUT", *v, 0);
    if (!seconds) return R::fail(seconds.error());
    config.subtask_timeout.reset();
    if (*seconds > 0) config.subtask_timeout = std::chrono::seconds(*seconds);
  }
  if (const auto* v = from_env("subtasks_in_flight", "FOSSA_SUBTASKS_IN_FLIGHT")) {
    auto count = parse_number<int>("FOSSA_SUBTASKS_IN_FLIGHT", *v, 1);
    if (!count) return R::fail(count.error());
    config.subtasks_in_flight = *count;
  }
  if (const auto* v = from_env("amqp_heartbeat", "FOSSA_AMQP_HEARTBEAT")) {
    auto seconds = parse_number<long>("FOSSA_AMQP_HEARTBEAT", *v, 1);
    if (!seconds) return R::fail(seconds.error());
    config.amqp_heartbeat = std::chrono::seconds(*seconds);
  }
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
