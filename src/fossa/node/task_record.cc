#include "node/task_record.h"

#include <ctime>

namespace fossa::node {

const char* to_string(TaskStatus status) {
  switch (status) {
    case TaskStatus::kRunning:
      return "running";
    case TaskStatus::kComplete:
      return "complete";
    case TaskStatus::kFailed:
      return "failed";
  }
  return "unknown";
}

void TaskRecord::add_log(std::string line) {
  log_tail.push_back(std::move(line));
  while (log_tail.size() > kLogTailLines) log_tail.pop_front();
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
  }
  if (record.reply_to) doc["reply_to"] = *record.reply_to;
  if (!record.node.empty()) doc["node"] = record.node;
  if (record.subtasks) {
    doc["subtasks"] = {{"total", record.subtasks->total},     {"done", record.subtasks->done},
                       {"failed", record.subtasks->failed},   {"running", record.subtasks->running},
                       {"retried", record.subtasks->retried}, {"cancelled", record.subtasks->cancelled},
                       {"log_lines_dropped", record.subtasks->log_lines_dropped}};
  }
  doc["log_tail"] = record.log_tail;
  return doc;
}

}  // namespace fossa::node
