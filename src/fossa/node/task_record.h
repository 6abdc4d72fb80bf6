// TaskRecord: what a node knows of one task — the task document of GET /api/0.01/task/<id>
// (docs/protocol.md): the protocol's fields, plus ours (pid, parent_task_id, subtasks, log_tail,
// duration_seconds, and a subtask's times: sent, taken, run_started, run_ended, queue_wait_seconds,
// run_seconds). Owned by the Governor; copied out for readers.
#pragma once

#include <chrono>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "amqp/subtask_codec.h"
#include "ayeaye/json.h"
#include "ayeaye/subtask_ledger.h"
#include "ayeaye/task_message.h"
#include "ayeaye/task_spec.h"

namespace fossa::node {

// kCancelled: stopped on request (fossa cancel), its result a TaskFailed of fossa::Cancelled.
enum class TaskStatus { kRunning, kComplete, kFailed, kCancelled };
const char* to_string(TaskStatus status);

// How one answered attempt of a subtask divides its span — from when the parent sent it (or, run
// here, started it) to its answer — into queue wait and run. The run is the node's that ran it
// (started to ended, on that node's clock: only a difference of its own times is used, so the two
// nodes' clocks need not agree), held within the span; the queue wait is the rest of the span: in
// the queue, waiting there for a slot, and the answer's way back (milliseconds).
struct TimeSplit {
  double queue_wait_seconds = 0;
  double run_seconds = 0;
};
TimeSplit split_span(double span_seconds, const amqp::SubtaskTimes& times);

// What a parent's subtasks took, over every answered attempt (retries too: they held a slot).
// An attempt answered without times (by a Python worker) is not split: it is counted whole, as
// the time it kept the parent waiting, apart from the others.
struct SubtaskTimeTotals {
  double run_seconds = 0;
  double queue_wait_seconds = 0;
  std::size_t untimed_attempts = 0;
  double untimed_seconds = 0;  // their spans
  void add(double span_seconds, const std::optional<amqp::SubtaskTimes>& times);
};

// A parent's document shows its ledger's counts (ayeaye::SubtaskLedger), and what the node adds.
struct SubtaskCounts : ayeaye::SubtaskCounts {
  std::size_t log_lines_dropped = 0;  // subtask log lines the parent read too slowly to be given
  SubtaskTimeTotals times;
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
  // A parent whose subtasks went over RabbitMQ: its run's pool id (amqp/subtask_codec.h). In its
  // document, so that the gateway can have another node pass a cancel of them on when this one is
  // silent (docs/node.md, "Cancel").
  std::string pool_id;
  int attempts = 0;
  std::deque<std::string> log_tail;
  // A subtask taken from fossa_task_queue: where its result goes (its parent is on some node).
  std::optional<std::string> reply_to;
  // A subtask sent over RabbitMQ: the node that answered for it, when it said.
  std::string node;
  // A subtask, once answered: when the node that ran it took it, started and ended it — when it
  // said (a Python worker does not: its document says "not known", null). With `started` (when
  // this node sent it) and `finished` (when the answer came) they make the document's
  // queue_wait_seconds and run_seconds (split_span).
  std::optional<amqp::SubtaskTimes> run_times;

  void add_log(std::string line);
  double duration_seconds(Clock::time_point now) const;
};

// "2026-11-25T10:11:12.345Z"
std::string iso_time(TaskRecord::Clock::time_point time);

ayeaye::Json to_json(const TaskRecord& record, TaskRecord::Clock::time_point now);

// What node_info says of a task: a summary of bounded size whatever the task's context, so that a
// node with many large tasks still answers node_info within what a reader (fossa-gateway's
// --node-max-bytes) takes. The document's fields, keys and types unchanged, except: no `log_tail`;
// a failure's `traceback` is its last line; and a field whose JSON is over kSummaryFieldBytes
// (kwargs, context, a return value, ...) is emptied — {} for an object, "" for a string, [] for
// an array, null else — and its path named in `omitted_fields` ("resolver_context",
// "results.payload.return_value"). The whole document is GET /api/0.01/task/<id>.
inline constexpr std::size_t kSummaryFieldBytes = 512;
// What a summary's JSON stays within, whatever its task (tests/unit/task_record_test.cc).
inline constexpr std::size_t kSummaryBytes = 10 * 1024;
ayeaye::Json to_summary_json(const TaskRecord& record, TaskRecord::Clock::time_point now);

}  // namespace fossa::node
