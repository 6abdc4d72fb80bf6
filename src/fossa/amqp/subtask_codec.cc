#include "amqp/subtask_codec.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <ctime>
#include <optional>
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

std::string SubtaskForAnotherModel::reason() const {
  return "unknown model '" + task.spec.model_class + "' (this node cannot run it)";
}

DecodedSubtask decode_subtask(std::string_view body, std::string_view reply_to, std::string_view correlation_id,
                              const std::vector<std::string>& secret_keys) {
  if (reply_to.empty()) return NotASubtask{"the message has no reply_to property, so its result could not be returned"};
  if (correlation_id.empty()) return NotASubtask{"the message has no correlation_id property"};
  auto parsed = ayeaye::parse_json(body);
  if (!parsed) return NotASubtask{"the body is not JSON: " + parsed.error()};
  ayeaye::Json json = std::move(parsed).value();
  if (json.is_object() && json.contains("resolver_context_secrets")) {
    return NotASubtask{"the body has a field 'resolver_context_secrets'; secret keys travel in the " +
                       std::string(kSecretKeysHeader) + " header"};
  }
  if (json.is_object() && !secret_keys.empty()) json["resolver_context_secrets"] = secret_keys;
  auto spec = ayeaye::parse_task_spec(json);
  if (!spec) return NotASubtask{"the body is not a task: " + spec.error()};
  SubtaskDelivery delivery{std::move(spec).value(), std::string(reply_to), std::string(correlation_id)};
  delivery.spec.task_id = delivery.correlation_id + "::" + delivery.reply_to;
  if (ayeaye::ModelRegistry::instance().find(delivery.spec.model_class) == nullptr) {
    return SubtaskForAnotherModel{std::move(delivery)};
  }
  return delivery;
}

bool is_valid_job_id(std::string_view job_id) {
  const auto allowed = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == ':' || c == '-';
  };
  return !job_id.empty() && job_id.size() <= kMaxJobIdLength && std::all_of(job_id.begin(), job_id.end(), allowed);
}

std::string job_id_from_header(std::string_view header) {
  return is_valid_job_id(header) ? std::string(header) : std::string();
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

std::string encode_utc_time(SubtaskTimes::Clock::time_point time) {
  const auto since_epoch = std::chrono::duration_cast<std::chrono::microseconds>(time.time_since_epoch());
  const auto seconds = std::chrono::floor<std::chrono::seconds>(since_epoch);
  const std::time_t t = seconds.count();
  std::tm utc{};
  ::gmtime_r(&t, &utc);
  char text[48];
  const std::size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(text + n, sizeof text - n, ".%06dZ", static_cast<int>((since_epoch - seconds).count()));
  return text;
}

// "YYYY-MM-DDTHH:MM:SS[.fraction]Z", the fraction of 1 to 9 digits.
std::optional<SubtaskTimes::Clock::time_point> decode_utc_time(const std::string& text) {
  std::tm utc{};
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &utc.tm_year, &utc.tm_mon, &utc.tm_mday, &utc.tm_hour,
                  &utc.tm_min, &utc.tm_sec, &consumed) != 6 || consumed != 19) {
    return std::nullopt;
  }
  std::string_view rest = std::string_view(text).substr(19);
  long long nanoseconds = 0;
  if (!rest.empty() && rest.front() == '.') {
    rest.remove_prefix(1);
    int digits = 0;
    while (!rest.empty() && rest.front() >= '0' && rest.front() <= '9') {
      if (++digits > 9) return std::nullopt;
      nanoseconds = nanoseconds * 10 + (rest.front() - '0');
      rest.remove_prefix(1);
    }
    if (digits == 0) return std::nullopt;
    for (; digits < 9; ++digits) nanoseconds *= 10;
  }
  if (rest != "Z") return std::nullopt;
  utc.tm_year -= 1900;
  utc.tm_mon -= 1;
  const std::time_t seconds = ::timegm(&utc);
  return SubtaskTimes::Clock::time_point(std::chrono::duration_cast<SubtaskTimes::Clock::duration>(
      std::chrono::seconds(seconds) + std::chrono::nanoseconds(nanoseconds)));
}

std::string encode_subtask_times(const SubtaskTimes& times) {
  const ayeaye::Json json = {{"taken", encode_utc_time(times.taken)},
                             {"started", encode_utc_time(times.started)},
                             {"ended", encode_utc_time(times.ended)}};
  return json.dump();
}

ayeaye::Result<SubtaskTimes> decode_subtask_times(std::string_view header) {
  using R = ayeaye::Result<SubtaskTimes>;
  auto parsed = ayeaye::parse_json(header);
  if (!parsed) return R::fail(std::string(kTimesHeader) + " is not JSON: " + parsed.error());
  if (!parsed->is_object()) return R::fail(std::string(kTimesHeader) + " is not a JSON object");
  SubtaskTimes times;
  for (auto [key, field] : {std::pair{"taken", &times.taken}, {"started", &times.started}, {"ended", &times.ended}}) {
    const auto found = parsed->find(key);
    if (found == parsed->end() || !found->is_string()) {
      return R::fail(std::string(kTimesHeader) + " has no time '" + key + "'");
    }
    const auto time = decode_utc_time(found->get<std::string>());
    if (!time) return R::fail(std::string(kTimesHeader) + "'s '" + key + "' is not an ISO time in UTC: " + found->dump());
    *field = *time;
  }
  if (times.taken > times.started || times.started > times.ended) {
    return R::fail(std::string(kTimesHeader) + "'s times are not in order (taken, started, ended)");
  }
  return times;
}

}  // namespace fossa::amqp
