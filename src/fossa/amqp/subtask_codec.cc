#include "amqp/subtask_codec.h"

#include <algorithm>
#include <charconv>
#include <chrono>
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

namespace {

// `value` as `width` decimal digits at `out`, zeros in front.
void put_digits(char* out, long long value, int width) {
  for (int i = width - 1; i >= 0; --i, value /= 10) out[i] = static_cast<char>('0' + value % 10);
}

// The number written in text[at, at + width), or -1 unless each of those is a digit.
int read_digits(std::string_view text, std::size_t at, int width) {
  int value = 0;
  for (std::size_t i = at; i < at + static_cast<std::size_t>(width); ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

// The three times in the exact form encode_subtask_times writes, read without a JSON parser (one
// header a reply, on the parent's busiest path); nullopt for any other form of the same JSON.
std::optional<SubtaskTimes> read_own_times_form(std::string_view header) {
  SubtaskTimes times;
  for (auto [before, field] : {std::pair{std::string_view(R"({"ended":")"), &times.ended},
                               {std::string_view(R"(","started":")"), &times.started},
                               {std::string_view(R"(","taken":")"), &times.taken}}) {
    if (header.substr(0, before.size()) != before) return std::nullopt;
    header.remove_prefix(before.size());
    const std::size_t quote = header.find('"');
    if (quote == std::string_view::npos) return std::nullopt;
    const auto time = decode_utc_time(header.substr(0, quote));
    if (!time) return std::nullopt;
    *field = *time;
    header.remove_prefix(quote);
  }
  if (header != R"("})") return std::nullopt;
  return times;
}

}  // namespace

std::string encode_utc_time(SubtaskTimes::Clock::time_point time) {
  using namespace std::chrono;
  const auto micros = floor<microseconds>(time);
  const auto day = floor<days>(micros);
  const year_month_day date{day};
  const hh_mm_ss clock{micros - day};
  std::string text = "YYYY-MM-DDTHH:MM:SS.uuuuuuZ";
  put_digits(&text[0], static_cast<int>(date.year()), 4);
  put_digits(&text[5], static_cast<unsigned>(date.month()), 2);
  put_digits(&text[8], static_cast<unsigned>(date.day()), 2);
  put_digits(&text[11], clock.hours().count(), 2);
  put_digits(&text[14], clock.minutes().count(), 2);
  put_digits(&text[17], clock.seconds().count(), 2);
  put_digits(&text[20], clock.subseconds().count(), 6);
  return text;
}

// "YYYY-MM-DDTHH:MM:SS[.fraction]Z", the fraction of 1 to 9 digits; a date that does not exist
// (February 30th), an hour past 23 or a minute past 59 is not a time.
std::optional<SubtaskTimes::Clock::time_point> decode_utc_time(std::string_view text) {
  using namespace std::chrono;
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  const int y = read_digits(text, 0, 4);
  const int mo = read_digits(text, 5, 2);
  const int d = read_digits(text, 8, 2);
  const int h = read_digits(text, 11, 2);
  const int mi = read_digits(text, 14, 2);
  const int sec = read_digits(text, 17, 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60) return std::nullopt;
  const year_month_day date{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!date.ok()) return std::nullopt;
  std::string_view rest = text.substr(19);
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
  const auto since_epoch = sys_days(date).time_since_epoch() + hours(h) + minutes(mi) + seconds(sec) +
                           std::chrono::nanoseconds(nanoseconds);
  return SubtaskTimes::Clock::time_point(duration_cast<SubtaskTimes::Clock::duration>(since_epoch));
}

std::string encode_subtask_times(const SubtaskTimes& times) {
  // What nlohmann::json would write for the object (its keys in order), without building one.
  return R"({"ended":")" + encode_utc_time(times.ended) + R"(","started":")" + encode_utc_time(times.started) +
         R"(","taken":")" + encode_utc_time(times.taken) + R"("})";
}

ayeaye::Result<SubtaskTimes> decode_subtask_times(std::string_view header) {
  using R = ayeaye::Result<SubtaskTimes>;
  SubtaskTimes times;
  if (auto own = read_own_times_form(header)) {
    times = *own;
  } else {
    auto parsed = ayeaye::parse_json(header);
    if (!parsed) return R::fail(std::string(kTimesHeader) + " is not JSON: " + parsed.error());
    if (!parsed->is_object()) return R::fail(std::string(kTimesHeader) + " is not a JSON object");
    for (auto [key, field] : {std::pair{"taken", &times.taken}, {"started", &times.started}, {"ended", &times.ended}}) {
      const auto found = parsed->find(key);
      if (found == parsed->end() || !found->is_string()) {
        return R::fail(std::string(kTimesHeader) + " has no time '" + key + "'");
      }
      const auto time = decode_utc_time(found->get<std::string>());
      if (!time) return R::fail(std::string(kTimesHeader) + "'s '" + key + "' is not an ISO time in UTC: " + found->dump());
      *field = *time;
    }
  }
  if (times.taken > times.started || times.started > times.ended) {
    return R::fail(std::string(kTimesHeader) + "'s times are not in order (taken, started, ended)");
  }
  return times;
}

}  // namespace fossa::amqp
