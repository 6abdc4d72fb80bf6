// TaskSupervisor's local subtasks (see task_supervisor.h): a partitioned task hands its subtasks
// to the node, which runs each in a process of its own within the node's slots (node/slots.h: the
// parent lends its own slot to one, the others borrow free ones) while the parent's SubtaskLedger
// decides what starts, what runs again and what counts. Also the parent's counts as its document
// shows them.
#include <signal.h>

#include <algorithm>

#include "ayeaye/run_task.h"
#include "node/supervisor_runs.h"
#include "node/task_supervisor.h"
#include "process/crash_report.h"
#include "process/worker_channel.h"

namespace fossa::node {

void TaskSupervisor::start_subtask(Run& parent, Slots::Use slot) {
  Delegation& d = *parent.delegation();
  const std::size_t index = *d.ledger.start_next();
  auto run = std::make_unique<Run>(d.specs[index], Run::Subtask{parent.spec.task_id, index, slot});
  governor_.start_subtask(run->spec, parent.spec.task_id);
  add_node_secrets(*run);
  publish_counts(parent);
  if (auto started = give_process(*run, /*reuse=*/false); !started) {
    fail_to_start(std::move(run), started.error());
    return;
  }
  run->worker->send(run->spec);
  const pid_t pid = run->worker->pid();
  governor_.update(run->spec.task_id, [&](TaskRecord& r) {
    r.pid = pid;
    r.node = config_.node_ident;
  });
  set_at_work(*run, true);
  runs_[run->spec.task_id] = std::move(run);
}

void TaskSupervisor::on_run_subtasks(Run& run, const ayeaye::Json& payload) {
  std::vector<ayeaye::TaskSpec> specs;
  const auto subtasks = payload.find("subtasks");
  if (subtasks == payload.end() || !subtasks->is_array()) {
    run.failure_class = "fossa::ProtocolError";
    run.failure_message = "the task process sent RunSubtasks without a subtask list";
    run.worker->process().kill(SIGKILL);
    return;
  }
  for (const auto& body : *subtasks) {
    auto spec = ayeaye::parse_task_spec(body);
    if (!spec) {
      run.failure_class = "fossa::ProtocolError";
      run.failure_message = "the task process sent a subtask the node cannot read: " + spec.error();
      run.worker->process().kill(SIGKILL);
      return;
    }
    spec->task_id = run.spec.task_id + "." + std::to_string(specs.size());
    spec->job_id = run.spec.job_id;  // to every node that runs it (amqp::kJobIdHeader)
    // The parent's context had the node's secrets: a subtask's document, and its message on the
    // broker, do not; whichever node runs it adds its own.
    config_.context_secrets.remove_from(spec->resolver_context, run.node_secret_keys);
    specs.push_back(std::move(spec).value());
  }
  auto d = std::make_unique<Delegation>(std::move(specs), config_.subtask_retries);
  // The task process is the model's: whatever it sends is checked, never trusted to be well-formed.
  const auto workers = payload.find("workers");
  const int asked = workers != payload.end() && workers->is_number_integer() ? workers->get<int>() : 1;
  d->workers = std::clamp(asked, 1, broker_ ? config_.subtasks_in_flight : governor_.capacity());
  log_.info("task handed " + std::to_string(d->specs.size()) + " subtasks to the node",
            with_fields(task_fields(run.spec), {{"workers", std::to_string(d->workers)}}));
  run.task()->delegation = std::move(d);
  if (broker_) {
    send_remote_subtasks(run);
    return;
  }
  publish_counts(run);
}

void TaskSupervisor::finish_subtask(Run& run, ayeaye::TaskMessage result) {
  run.finished = true;
  const Run::Subtask& subtask = *run.subtask();
  Run* parent = find_run(subtask.parent_id);
  Delegation* d = parent != nullptr ? parent->delegation() : nullptr;
  const std::size_t index = subtask.index;
  const auto* failure = std::get_if<ayeaye::TaskFailed>(&result);
  // A parent outlives its subtasks' runs; were it gone, the answer would only be recorded.
  const auto verdict = d != nullptr ? d->ledger.record(index, failure != nullptr) : ayeaye::SubtaskLedger::Verdict::kIgnored;
  // Run here: taken and started when its record was (it had a slot), ended now; no queue wait.
  const auto ended = TaskRecord::Clock::now();
  double span = 0;
  std::optional<amqp::SubtaskTimes> times;
  governor_.update(run.spec.task_id, [&](TaskRecord& r) {
    times = amqp::SubtaskTimes{r.started, r.started, std::max(r.started, ended)};
    r.run_times = times;
    span = std::chrono::duration<double>(times->ended - r.started).count();
  });
  if (verdict != ayeaye::SubtaskLedger::Verdict::kIgnored) d->times.add(span, times);
  // The slot, once the ledger knows: the parent's lent one goes back to the parent; a borrowed
  // one to a subtask that waits for one (this one again, on a retry), else to the node.
  if (subtask.slot == Slots::Use::kLent) {
    governor_.slots().give_back(Slots::Use::kLent, subtask.parent_id);
  } else {
    release_borrowed_slot();
  }
  if (d == nullptr) {
    governor_.finish(run.spec.task_id, std::move(result), ended, run.cancelled);
    return;
  }
  if (verdict == ayeaye::SubtaskLedger::Verdict::kRetry) {
    const auto note = ayeaye::retry_log_message(*failure);
    governor_.update(run.spec.task_id, [&](TaskRecord& r) { r.add_log(note.level + " " + note.msg); });
    parent->worker->queue_line(channel::subtask_log_line(index, note), OutboundQueue::Kind::kEssential);
    publish_counts(*parent);
    return;
  }
  // Counted: the model hears it. Ignored: the parent gave up on it (stopped, and counted cancelled).
  if (verdict == ayeaye::SubtaskLedger::Verdict::kCounted) {
    parent->worker->queue_line(channel::subtask_result_line(index, result), OutboundQueue::Kind::kEssential);
  }
  governor_.finish(run.spec.task_id, std::move(result), ended, run.cancelled);
  publish_counts(*parent);
}

void TaskSupervisor::release_borrowed_slot() {
  if (hand_over_slot()) return;
  governor_.slots().give_back(Slots::Use::kBorrowed);
  start_queued_subtask();
}

bool TaskSupervisor::hand_over_slot() {
  if (stopping_) return false;
  for (auto& [id, run] : runs_) {
    Delegation* d = run->delegation();
    if (d == nullptr || d->remote || run->finished || !d->may_start_more()) continue;
    start_subtask(*run, Slots::Use::kBorrowed);
    return true;
  }
  return false;
}

void TaskSupervisor::stop_subtasks(Run& parent, const std::string& why) {
  Delegation* d = parent.delegation();
  if (d == nullptr || d->stopped()) return;
  if (d->remote) {
    stop_remote_subtasks(parent, why);
    return;
  }
  // Waiting and running subtasks are counted cancelled now; the running ones' ends, below, are
  // then only recorded in their own documents.
  d->ledger.cancel();
  publish_counts(parent);
  for (auto& [id, run] : runs_) {
    const Run::Subtask* subtask = run->subtask();
    if (subtask == nullptr || subtask->parent_id != parent.spec.task_id || run->finished) continue;
    if (parent.cancelled) {
      terminate_cancelled(*run, why);
      finish(*run, runtime_failure(run->spec, "fossa::Cancelled", why));
      continue;
    }
    run->worker->process().kill(SIGKILL);
    // Stopped because its parent ended or gave up: "cancelled", as its count is; a shutdown's
    // stop is the node's failure.
    run->cancelled = !stopping_;
    run->failure_class = stopping_ ? "fossa::NodeShutdown" : "fossa::Cancelled";
    run->failure_message = stopping_ ? "the node stopped while the subtask was running" : why;
    finish(*run, runtime_failure(run->spec, *run->failure_class, run->failure_message));
  }
}

void TaskSupervisor::schedule_subtasks() {
  if (stopping_) return;
  for (auto& [id, run] : runs_) {
    Delegation* d = run->delegation();
    if (d == nullptr || d->remote || run->finished) continue;
    while (d->may_start_more()) {
      const auto slot = governor_.slots().take_for_subtask(id);
      if (!slot) break;
      start_subtask(*run, *slot);
    }
  }
}

void TaskSupervisor::publish_dropped_lines() {
  for (auto& [id, run] : runs_) {
    Delegation* d = run->delegation();
    if (d == nullptr || !run->worker) continue;
    const std::size_t dropped = run->worker->input_lines_dropped();
    if (dropped == d->log_lines_dropped) continue;
    d->log_lines_dropped = dropped;
    publish_counts(*run);
  }
}

void TaskSupervisor::note_dropped_lines(Run& parent) {
  Delegation& d = *parent.delegation();
  if (parent.worker) d.log_lines_dropped = parent.worker->input_lines_dropped();
  if (d.log_lines_dropped == 0) return;
  publish_counts(parent);
  const std::string note = std::to_string(d.log_lines_dropped) +
                           " subtask log lines dropped: the task read them more slowly than its subtasks wrote them";
  governor_.update(parent.spec.task_id, [&](TaskRecord& r) { r.add_log("WARNING " + note); });
  log_.warn(note, task_fields(parent.spec));
}

void TaskSupervisor::publish_counts(Run& parent) {
  const SubtaskCounts counts = parent.delegation()->counts();
  governor_.update(parent.spec.task_id, [&](TaskRecord& r) { r.subtasks = counts; });
  set_at_work(parent, !parent.finished && counts.done >= counts.total);
}

void TaskSupervisor::set_at_work(Run& run, bool at_work) {
  if (run.at_work == at_work) return;
  run.at_work = at_work;
  processes_at_work_ += at_work ? 1 : -1;
  governor_.set_task_processes_running(processes_at_work_);
}

}  // namespace fossa::node
