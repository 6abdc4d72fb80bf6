#include "node/task_record.h"

#include <algorithm>
#include <ctime>

namespace fossa::node {
namespace {

// Whether `json` dumps to at most `budget` bytes, taking what it costs from `budget`. It stops
// counting once past, so measuring a megabyte costs no more than the budget. Escapes are counted
// at their longest (\u00XX), so it never says "within" for a value that is not.
bool dumps_within(const ayeaye::Json& json, std::size_t& budget) {
  const auto take = [&budget](std::size_t bytes) {
    if (bytes > budget) return false;
    budget -= bytes;
    return true;
  };
  const auto string_within = [&](const std::string& text) {
    if (!take(2) || text.size() > budget) return false;  // no shorter than its length
    std::size_t bytes = 0;
    for (const unsigned char c : text) bytes += c < 0x20 ? 6 : (c == '"' || c == '\\') ? 2 : 1;
    return take(bytes);
  };
  switch (json.type()) {
    case ayeaye::Json::value_t::object:
      if (!take(2)) return false;
      for (const auto& [key, value] : json.items()) {
        if (!string_within(key) || !take(2) || !dumps_within(value, budget)) return false;  // ':' and ','
      }
      return true;
    case ayeaye::Json::value_t::array:
      if (!take(2)) return false;
      for (const auto& value : json) {
        if (!take(1) || !dumps_within(value, budget)) return false;
      }
      return true;
    case ayeaye::Json::value_t::string:
      return string_within(json.get_ref<const std::string&>());
    case ayeaye::Json::value_t::binary:
      return false;
    default:
      return take(json.dump().size());  // a number, a boolean, null: a few bytes
  }
}

// `text` cut to at most `bytes` (at a character's start) and "…", when longer.
std::string cut(std::string text, std::size_t bytes) {
  if (text.size() <= bytes) return text;
  while (bytes > 0 && (static_cast<unsigned char>(text[bytes]) & 0xC0) == 0x80) --bytes;  // not inside a UTF-8 character
  text.resize(bytes);
  return text + "…";
}

// `value` emptied, keeping its type where it has an empty form.
ayeaye::Json emptied(const ayeaye::Json& value) {
  if (value.is_object()) return ayeaye::Json::object();
  if (value.is_array()) return ayeaye::Json::array();
  if (value.is_string()) return "";
  return nullptr;
}

// Empties each field of `object` over kSummaryFieldBytes, naming it `prefix` + its key.
void keep_small_fields(ayeaye::Json& object, const std::string& prefix, ayeaye::Json& omitted) {
  for (auto& [key, value] : object.items()) {
    std::size_t budget = kSummaryFieldBytes;
    if (dumps_within(value, budget)) continue;
    value = emptied(value);
    omitted.push_back(prefix + key);
  }
}

}  // namespace

const char* to_string(TaskStatus status) {
  switch (status) {
    case TaskStatus::kRunning:
      return "running";
    case TaskStatus::kComplete:
      return "complete";
    case TaskStatus::kFailed:
      return "failed";
    case TaskStatus::kCancelled:
      return "cancelled";
  }
  return "unknown";
}

void TaskRecord::add_log(std::string line) {
  log_tail.push_back(std::move(line));
  while (log_tail.size() > kLogTailLines) log_tail.pop_front();
}

TimeSplit split_span(double span_seconds, const amqp::SubtaskTimes& times) {
  const double span = std::max(0.0, span_seconds);
  const double run = std::chrono::duration<double>(times.ended - times.started).count();
  TimeSplit split;
  split.run_seconds = std::clamp(run, 0.0, span);
  split.queue_wait_seconds = span - split.run_seconds;
  return split;
}

void SubtaskTimeTotals::add(double span_seconds, const std::optional<amqp::SubtaskTimes>& times) {
  if (!times) {
    ++untimed_attempts;
    untimed_seconds += std::max(0.0, span_seconds);
    return;
  }
  const TimeSplit split = split_span(span_seconds, *times);
  run_seconds += split.run_seconds;
  queue_wait_seconds += split.queue_wait_seconds;
}

double TaskRecord::duration_seconds(Clock::time_point now) const {
  return std::chrono::duration<double>(finished.value_or(now) - started).count();
}

std::string iso_time(TaskRecord::Clock::time_point time) {
  const auto since_epoch = time.time_since_epoch();
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - seconds).count();
  const std::time_t t = seconds.count();
  std::tm utc{};
  ::gmtime_r(&t, &utc);
  char text[40];
  const std::size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(text + n, sizeof text - n, ".%03dZ", static_cast<int>(millis));
  return text;
}

ayeaye::Json to_json(const TaskRecord& record, TaskRecord::Clock::time_point now) {
  ayeaye::Json doc = ayeaye::to_display_json(record.spec);
  doc["task_id"] = record.spec.task_id;
  doc["started"] = iso_time(record.started);
  doc["status"] = to_string(record.status);
  doc["duration_seconds"] = record.duration_seconds(now);
  if (record.finished) doc["finished"] = iso_time(*record.finished);
  if (record.result) doc["results"] = ayeaye::to_json(*record.result);
  if (record.status == TaskStatus::kRunning && record.pid > 0) doc["pid"] = record.pid;
  if (record.parent_task_id) {
    doc["parent_task_id"] = *record.parent_task_id;
    doc["attempts"] = record.attempts;
    doc["sent"] = doc["started"];
    if (record.finished) {
      // null: the node that ran it did not say (a Python worker); nothing is guessed.
      const auto& times = record.run_times;
      doc["taken"] = times ? ayeaye::Json(iso_time(times->taken)) : ayeaye::Json();
      doc["run_started"] = times ? ayeaye::Json(iso_time(times->started)) : ayeaye::Json();
      doc["run_ended"] = times ? ayeaye::Json(iso_time(times->ended)) : ayeaye::Json();
      const auto split = times ? std::optional(split_span(record.duration_seconds(now), *times)) : std::nullopt;
      doc["queue_wait_seconds"] = split ? ayeaye::Json(split->queue_wait_seconds) : ayeaye::Json();
      doc["run_seconds"] = split ? ayeaye::Json(split->run_seconds) : ayeaye::Json();
    }
  }
  if (record.reply_to) doc["reply_to"] = *record.reply_to;
  if (!record.pool_id.empty()) doc["pool_id"] = record.pool_id;
  if (!record.node.empty()) doc["node"] = record.node;
  if (record.subtasks) {
    doc["subtasks"] = {{"total", record.subtasks->total},     {"done", record.subtasks->done},
                       {"failed", record.subtasks->failed},   {"running", record.subtasks->running},
                       {"retried", record.subtasks->retried}, {"cancelled", record.subtasks->cancelled},
                       {"log_lines_dropped", record.subtasks->log_lines_dropped},
                       {"run_seconds", record.subtasks->times.run_seconds},
                       {"queue_wait_seconds", record.subtasks->times.queue_wait_seconds},
                       {"untimed_attempts", record.subtasks->times.untimed_attempts},
                       {"untimed_seconds", record.subtasks->times.untimed_seconds}};
  }
  doc["log_tail"] = record.log_tail;
  return doc;
}

ayeaye::Json to_summary_json(const TaskRecord& record, TaskRecord::Clock::time_point now) {
  ayeaye::Json summary = to_json(record, now);
  summary.erase("log_tail");
  ayeaye::Json omitted = ayeaye::Json::array();
  if (auto results = summary.find("results"); results != summary.end() && results->is_object()) {
    if (auto payload = results->find("payload"); payload != results->end() && payload->is_object()) {
      if (auto trace = payload->find("traceback"); trace != payload->end() && trace->is_array() && !trace->empty()) {
        ayeaye::Json last = trace->back();
        if (last.is_string()) last = cut(last.get<std::string>(), kSummaryFieldBytes / 2);
        *trace = ayeaye::Json::array({std::move(last)});
      }
      keep_small_fields(*payload, "results.payload.", omitted);
    }
  }
  ayeaye::Json results = summary.contains("results") ? std::move(summary["results"]) : ayeaye::Json();
  summary.erase("results");
  keep_small_fields(summary, "", omitted);
  if (!results.is_null()) summary["results"] = std::move(results);
  if (!omitted.empty()) summary["omitted_fields"] = std::move(omitted);
  return summary;
}

}  // namespace fossa::node
