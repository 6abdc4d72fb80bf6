#include "amqp/subtask_codec.h"

#include <algorithm>
#include <charconv>
#include <random>

#include "ayeaye/json_input.h"
#include "ayeaye/registry.h"

namespace fossa::amqp {

std::string encode_subtask_body(const ayeaye::TaskSpec& spec) {
  const ayeaye::Json body = {{"model_class", spec.model_class},
                             {"method", spec.method},
                             {"method_kwargs", spec.method_kwargs},
                             {"resolver_context", spec.resolver_context.to_json()},
                             {"model_construction_kwargs", spec.model_construction_kwargs},
                             {"partition_initialise_kwargs", spec.partition_initialise_kwargs}};
  return body.dump();
}

ayeaye::Result<SubtaskDelivery> decode_subtask(std::string_view body, std::string_view reply_to,
                                               std::string_view correlation_id,
                                               const std::vector<std::string>& secret_keys) {
  using R = ayeaye::Result<SubtaskDelivery>;
  if (reply_to.empty()) return R::fail("the message has no reply_to property, so its result could not be returned");
  if (correlation_id.empty()) return R::fail("the message has no correlation_id property");
  auto parsed = ayeaye::parse_json(body);
  if (!parsed) return R::fail("the body is not JSON: " + parsed.error());
  ayeaye::Json json = std::move(parsed).value();
  if (json.is_object() && json.contains("resolver_context_secrets")) {
    return R::fail("the body has a field 'resolver_context_secrets'; secret keys travel in the " +
                   std::string(kSecretKeysHeader) + " header");
  }
  if (json.is_object() && !secret_keys.empty()) json["resolver_context_secrets"] = secret_keys;
  auto spec = ayeaye::parse_task_spec(json);
  if (!spec) return R::fail("the body is not a task: " + spec.error());
  if (ayeaye::ModelRegistry::instance().find(spec->model_class) == nullptr) {
    return R::fail("unknown model '" + spec->model_class + "' (this node cannot run it)");
  }
  SubtaskDelivery delivery{std::move(spec).value(), std::string(reply_to), std::string(correlation_id)};
  delivery.spec.task_id = delivery.correlation_id + "::" + delivery.reply_to;
  return delivery;
}

std::string new_pool_id() {
  static thread_local std::mt19937 generator{std::random_device{}()};
  std::uniform_int_distribution<int> letter(0, 25);
  std::string id;
  for (int i = 0; i < 5; ++i) id += static_cast<char>('a' + letter(generator));
  return id;
}

std::string make_correlation_id(std::string_view pool_id, std::size_t subtask_number) {
  return std::string(pool_id) + ":" + std::to_string(subtask_number);
}

ayeaye::Result<CorrelationId> parse_correlation_id(std::string_view correlation_id) {
  using R = ayeaye::Result<CorrelationId>;
  const auto colon = correlation_id.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    return R::fail("correlation id '" + std::string(correlation_id) + "' is not <pool id>:<subtask number>");
  }
  CorrelationId out;
  out.pool_id = std::string(correlation_id.substr(0, colon));
  const std::string_view number = correlation_id.substr(colon + 1);
  auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), out.subtask_number);
  if (error != std::errc() || end != number.data() + number.size() || number.empty()) {
    return R::fail("correlation id '" + std::string(correlation_id) + "' does not end in a subtask number");
  }
  return out;
}

std::string encode_cancellation(std::string_view pool_id) {
  return ayeaye::Json{{"pool_id", std::string(pool_id)}}.dump();
}

ayeaye::Result<std::string> decode_cancellation(std::string_view body) {
  using R = ayeaye::Result<std::string>;
  const ayeaye::Json json = ayeaye::parse_json_or_null(body);
  const auto field = json.is_object() ? json.find("pool_id") : json.end();
  if (field == json.end() || !field->is_string()) return R::fail("a cancellation without a pool_id string");
  const std::string pool_id = field->get<std::string>();
  const bool letters = std::all_of(pool_id.begin(), pool_id.end(), [](char c) { return c >= 'a' && c <= 'z'; });
  if (pool_id.empty() || pool_id.size() > 32 || !letters) {
    return R::fail("a cancellation whose pool_id is not 1 to 32 lowercase letters");
  }
  return pool_id;
}

}  // namespace fossa::amqp
