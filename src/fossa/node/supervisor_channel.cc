// TaskSupervisor's side of the worker channel (see task_supervisor.h and process/worker_channel.h):
// what a task or subtask process prints and says — its output and log() lines into its document,
// the node's log and its parent's channel; a partitioned task's subtasks handed to the node; and
// its result, which ends its run.
#include "ayeaye/json_input.h"
#include "node/supervisor_runs.h"
#include "node/task_supervisor.h"
#include "process/worker_channel.h"

namespace fossa::node {
namespace {

// The most one read of a task's pipe takes before the loop goes round: a task that prints faster
// than the node reads must not keep the loop (a SIGTERM, the other tasks) waiting, nor fill its
// memory. More than a pipe holds (pipe-max-size is 1 MiB), so one read after a process ended
// takes all it left.
constexpr std::size_t kReadBudget = 1 << 20;

// A line of the model's own (its log() or what it printed, redacted) into the node's log too, with
// the task's and job's ids: on AWS the node's log is what reaches CloudWatch Logs, where the job's
// page finds its lines by job id (docs/node.md, "Operations"). At most `limit` for a run: a model
// may print millions, and each is a write to the node's stderr from its loop.
void relay_model_line(NodeLog& log, TaskSupervisor::Run& run, std::size_t limit, const std::string& level,
                      const std::string& line) {
  if (run.model_lines_relayed >= limit) {
    ++run.model_lines_not_relayed;
    return;
  }
  ++run.model_lines_relayed;
  const NodeLog::Fields fields = with_fields(task_fields(run.spec), {{"from", "model"}});
  if (level == "ERROR" || level == "CRITICAL") {
    log.error(line, fields);
  } else if (level == "WARNING") {
    log.warn(line, fields);
  } else {
    log.info(line, fields);
  }
}

}  // namespace

void TaskSupervisor::on_output(Run& run) {
  std::vector<std::string> lines;
  run.worker->output().read_available(lines, kReadBudget);
  if (lines.empty()) return;
  // What the model printed itself, unlike its log() lines, has not been redacted yet.
  for (auto& line : lines) line = run.spec.resolver_context.redact(line);
  for (const auto& line : lines) run.worker->remember_output(line);
  for (const auto& line : lines) relay_model_line(log_, run, config_.log_model_lines, "INFO", line);
  governor_.update(run.spec.task_id, [&](TaskRecord& r) {
    for (auto& line : lines) r.add_log(line);
  });
  if (Run* parent = listening_parent(run)) {
    for (const auto& line : lines) {
      parent->worker->queue_line(channel::subtask_log_line(run.subtask()->index, {line, "INFO"}),
                                 OutboundQueue::Kind::kDroppable);
    }
  }
}

void TaskSupervisor::on_messages(Run& run) {
  std::vector<std::string> lines;
  run.worker->messages().read_available(lines, kReadBudget);
  // What the task printed before these messages (its result, say) is in its output pipe now — at
  // most what a pipe holds, since the task blocked on a full one: pass it on first, in order.
  if (!lines.empty()) on_output(run);
  for (const auto& line : lines) {
    // Once the node has condemned the process (a protocol error, a time limit), nothing it says
    // afterwards counts: not even a TaskComplete already on its way.
    if (run.failure_class || run.finished) break;
    on_message(run, line);
  }
}

void TaskSupervisor::on_message(Run& run, const std::string& line) {
  // A line too deep or not JSON has no type, so it is the protocol error below.
  const ayeaye::Json json = ayeaye::parse_json_or_null(line);
  const auto type_field = json.is_object() ? json.find("type") : json.end();
  const std::string type = type_field != json.end() && type_field->is_string() ? type_field->get<std::string>() : "";
  if (type == channel::kRunSubtasks && run.task() && !run.delegation()) {
    on_run_subtasks(run, json.value("payload", ayeaye::Json::object()));
    return;
  }
  if (type == channel::kCancelSubtasks) {
    stop_subtasks(run, "the parent task gave up on its subtasks");
    return;
  }
  auto message = ayeaye::parse_task_message(json);
  if (!message) {
    run.worker->remember_output("unreadable message from the task process: " + message.error());
    log_.warn("unreadable message from a task process: " + message.error(), task_fields(run.spec));
    return;
  }
  if (auto* log = std::get_if<ayeaye::TaskLogMessage>(&*message)) {
    governor_.update(run.spec.task_id, [&](TaskRecord& r) { r.add_log(log->level + " " + log->msg); });
    // A parent's echo of its subtasks' lines ("[subtask <i>] ...": ayeaye/partitioned_model.cc) is
    // not relayed again: the node that ran each subtask relayed it, under the subtask's own id.
    const bool echo = run.delegation() != nullptr && log->msg.rfind("[subtask ", 0) == 0;
    if (!echo) relay_model_line(log_, run, config_.log_model_lines, log->level, log->msg);
    if (Run::FromQueue* queued = run.from_queue(); queued && queued->taken.log_replies) {
      if (!broker_->send_reply(queued->taken.id, queued->taken.task, *log, /*final=*/false, std::nullopt)) {
        ++queued->log_replies_dropped;
      }
    }
    if (Run* parent = listening_parent(run)) {
      parent->worker->queue_line(channel::subtask_log_line(run.subtask()->index, *log), OutboundQueue::Kind::kDroppable);
    }
    return;
  }
  // The process printed before it sent its result, so all it printed is in its pipe now: take it
  // first, or a subtask's last lines would reach its parent after its result (or its next subtask).
  on_output(run);
  finish(run, std::move(message).value());
}

void TaskSupervisor::note_unrelayed_model_lines(Run& run) {
  if (run.model_lines_not_relayed == 0) return;
  log_.warn(std::to_string(run.model_lines_not_relayed) + " more lines of the model not relayed to this log (--log-model-lines " +
                std::to_string(config_.log_model_lines) + "); its document's log_tail has its last ones",
            task_fields(run.spec));
  run.model_lines_not_relayed = 0;
}

}  // namespace fossa::node
