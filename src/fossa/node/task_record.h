// TaskRecord: what a node knows of one task — the task document of GET /api/0.01/task/<id>
// (docs/protocol.md): the protocol's fields, plus ours (pid, parent_task_id, subtasks, log_tail,
// duration_seconds). Owned by the Governor; copied out for readers.
#pragma once

#include <chrono>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "ayeaye/json.h"
#include "ayeaye/subtask_ledger.h"
#include "ayeaye/task_message.h"
#include "ayeaye/task_spec.h"

namespace fossa::node {

enum class TaskStatus { kRunning, kComplete, kFailed };
const char* to_string(TaskStatus status);

// A parent's document shows its ledger's counts (ayeaye::SubtaskLedger), and what the node adds.
struct SubtaskCounts : ayeaye::SubtaskCounts {
  std::size_t log_lines_dropped = 0;  // subtask log lines the parent read too slowly to be given
};

struct TaskRecord {
  using Clock = std::chrono::system_clock;
  static constexpr std::size_t kLogTailLines = 50;

  ayeaye::TaskSpec spec;  // spec.task_id is the task's id
  TaskStatus status = TaskStatus::kRunning;
  Clock::time_point started;
  std::optional<Clock::time_point> finished;
  std::optional<ayeaye::TaskMessage> result;  // TaskComplete or TaskFailed once finished
  pid_t pid = 0;
  std::optional<std::string> parent_task_id;  // for a subtask
  std::optional<SubtaskCounts> subtasks;      // for a parent that handed subtasks to the node
  std::vector<std::string> subtask_ids;       // started subtasks, in index order of first start
  int attempts = 0;
  std::deque<std::string> log_tail;
  // A subtask taken from fossa_task_queue: where its result goes (its parent is on some node).
  std::optional<std::string> reply_to;
  // A subtask sent over RabbitMQ: the node that answered for it, when it said.
  std::string node;

  void add_log(std::string line);
  double duration_seconds(Clock::time_point now) const;
};

// "2026-11-25T10:11:12.345Z"
std::string iso_time(TaskRecord::Clock::time_point time);

ayeaye::Json to_json(const TaskRecord& record, TaskRecord::Clock::time_point now);

}  // namespace fossa::node
