// TaskSupervisor's RabbitMQ half (see task_supervisor.h): both roles of the Fossa protocol over
// the node's amqp::Link, on the supervisor's thread.
//
// Parent: a partitioned task's subtasks are published "<pool>:<index>", at most its worker count
// in flight. Each index is counted once — the first final answer wins; a duplicate (a redelivered
// subtask that ran twice, a re-send that crossed its answer) is dropped. A failed subtask is sent
// again up to the retries; one unanswered for config.subtask_timeout is sent again; after a
// reconnect every subtask in flight is sent again (its answer would go to the dead reply queue).
//
// Worker: a subtask taken from the queue waits for a free slot, runs in a worker process (one kept
// from an earlier subtask when there is one: a crash still ends only the subtask in it), and its
// result goes back through the link, which acknowledges the delivery only once the broker has
// confirmed the result. A subtask stopped by the node's shutdown sends nothing: the
// broker gives it to another node.
#include <signal.h>

#include <algorithm>

#include "amqp/link.h"
#include "ayeaye/run_task.h"
#include "node/supervisor_runs.h"
#include "node/task_supervisor.h"
#include "process/crash_report.h"
#include "process/worker_channel.h"

namespace fossa::node {
namespace {

// How long a subtask taken from the queue may wait here for a slot before it goes back.
constexpr auto kLongestLocalWait = std::chrono::seconds(2);

}  // namespace

void TaskSupervisor::start_link() {
  if (config_.rabbitmq_url.empty()) return;
  amqp::LinkOptions options;
  options.url = config_.rabbitmq_url;
  options.consume_subtasks = config_.consume_subtasks;
  if (config_.amqp_prefetch > 0) {
    prefetch_ = config_.amqp_prefetch;
  } else {
    adaptive_prefetch_.emplace(governor_.capacity());
    prefetch_ = adaptive_prefetch_->wanted(AdaptivePrefetch::Duration::zero());
  }
  options.prefetch = prefetch_;
  options.node_ident = config_.node_ident;
  options.heartbeat = config_.amqp_heartbeat;
  options.status = &link_status_;
  options.refusals = {config_.refused_subtask_limit, config_.refused_subtask_refusals};
  broker_ = env_.connect_broker(options, wake_.get());
  broker_->start();
}

void TaskSupervisor::take_link_events() {
  if (!broker_) return;
  for (auto& event : broker_->take_events()) {
    if (auto* taken = std::get_if<amqp::SubtaskTaken>(&event)) {
      if (drop_if_cancelled(*taken)) continue;
      if (draining_) {
        broker_->give_back(taken->id);  // on its way before the consumer was cancelled
      } else {
        queued_.push_back({std::move(*taken), now(), amqp::SubtaskTimes::Clock::now()});
      }
    } else if (auto* reply = std::get_if<amqp::ReplyReceived>(&event)) {
      on_reply(*reply);
    } else if (auto* up = std::get_if<amqp::LinkUp>(&event)) {
      link_up_ = true;
      log_.info(up->reconnected ? "reconnected to RabbitMQ" : "connected to RabbitMQ",
                {{"reply_queue", up->reply_queue}, {"consuming", config_.consume_subtasks ? "yes" : "no"}});
      if (up->reconnected) {
        for (auto& [id, run] : runs_) {
          if (run->delegation() && run->delegation()->remote && !run->delegation()->stopped()) {
            resend_in_flight(*run, "reconnected: answers to the old reply queue are lost");
          }
        }
      }
    } else if (auto* down = std::get_if<amqp::LinkDown>(&event)) {
      log_.warn(link_up_ ? "lost RabbitMQ; reconnecting" : "cannot reach RabbitMQ; trying again", {{"reason", down->reason}});
      link_up_ = false;
    } else if (auto* cancelled = std::get_if<amqp::PoolCancelled>(&event)) {
      on_pool_cancelled(cancelled->pool_id);
    } else if (auto* refused = std::get_if<amqp::SubtaskRefused>(&event)) {
      log_refused_subtask(*refused);
    } else if (auto* unreadable = std::get_if<amqp::UnreadableReplyBatch>(&event)) {
      log_.warn("a reply batch that is not one; nothing in it is counted", {{"reason", unreadable->reason}});
    } else if (auto* dead = std::get_if<amqp::DeadLettered>(&event)) {
      log_.warn("a message on fossa_task_queue is not a task; sent to fossa_dead_letters",
                {{"reason", dead->reason}, {"correlation_id", dead->correlation_id}});
    }
  }
}

void TaskSupervisor::log_refused_subtask(const amqp::SubtaskRefused& refused) {
  std::string nodes;
  for (const auto& node : refused.refused_by) nodes += (nodes.empty() ? "" : ",") + node;
  NodeLog::Fields fields{{"model", refused.model},
                         {"correlation_id", refused.correlation_id},
                         {"refusals", std::to_string(refused.refusals)},
                         {"refused_for_s", std::to_string(refused.refused_for.count())},
                         {"refused_by", nodes}};
  if (!refused.job_id.empty()) fields.emplace_back("job_id", refused.job_id);
  if (refused.gave_up) {
    log_.warn("no node could run a subtask's model; answered its parent that it failed", fields);
  } else {
    log_.info("a subtask's model is not in this node's program; handed it back for another node", fields);
  }
}

void TaskSupervisor::send_remote_subtasks(Run& parent) {
  Delegation& d = *parent.delegation();
  if (!d.remote) {
    d.remote = true;
    d.pool_id = amqp::new_pool_id();
    pools_[d.pool_id] = parent.spec.task_id;
    governor_.update(parent.spec.task_id, [&](TaskRecord& r) { r.pool_id = d.pool_id; });
  }
  const auto now = this->now();
  const std::size_t batch = d.batching.batch_size(static_cast<std::size_t>(d.workers));
  if ((batch > 1) != d.batched) {
    d.batched = batch > 1;
    log_.info(d.batched ? "subtasks are short and run on nodes of ours: sent in batches"
                        : "subtasks sent one message each again",
              with_fields(task_fields(parent.spec), {{"batch", std::to_string(batch)}}));
  }
  std::vector<amqp::OutgoingSubtask> out;
  while (d.may_start_more()) {
    const std::size_t running = d.ledger.counts().running;
    const std::size_t room = static_cast<std::size_t>(d.workers) - running;
    const std::size_t count = SubtaskBatching::to_send(batch, room, d.ledger.waiting(), running);
    if (count == 0) break;  // until a whole batch has room
    out.clear();
    for (std::size_t i = 0; i < count; ++i) {
      const std::size_t index = *d.ledger.start_next();
      d.sent_at[index] = now;
      governor_.start_subtask(d.specs[index], parent.spec.task_id);
      out.push_back({amqp::make_correlation_id(d.pool_id, index), &d.specs[index]});
    }
    if (out.size() == 1) {
      broker_->send_subtask(out.front().correlation_id, *out.front().spec);
    } else {
      broker_->send_subtask_batch(out);
    }
  }
  publish_counts(parent);
}

void TaskSupervisor::resend_in_flight(Run& parent, const char* why) {
  Delegation& d = *parent.delegation();
  if (d.sent_at.empty()) return;
  const auto now = this->now();
  for (auto& [index, sent] : d.sent_at) {
    sent = now;
    broker_->send_subtask(amqp::make_correlation_id(d.pool_id, index), d.specs[index]);
  }
  log_.warn("sent the subtasks in flight again",
            with_fields(task_fields(parent.spec), {{"subtasks", std::to_string(d.sent_at.size())}, {"why", why}}));
}

void TaskSupervisor::on_reply(const amqp::ReplyReceived& reply) {
  auto correlation = amqp::parse_correlation_id(reply.correlation_id);
  if (!correlation) {
    log_.warn("a reply that is not ours to count: " + correlation.error());
    return;
  }
  const auto pool = pools_.find(correlation->pool_id);
  Run* parent = pool == pools_.end() ? nullptr : find_run(pool->second);
  if (parent == nullptr || !parent->delegation() || parent->delegation()->stopped()) return;  // its parent has ended
  Delegation& d = *parent->delegation();
  const std::size_t index = correlation->subtask_number;
  if (index >= d.specs.size()) {
    log_.warn("a reply for subtask " + std::to_string(index) + " of a task with " + std::to_string(d.specs.size()),
              task_fields(parent->spec));
    return;
  }
  const std::string& subtask_id = d.specs[index].task_id;
  auto message = ayeaye::parse_task_message(std::string_view(reply.body));
  if (!message) {
    log_.warn("an unreadable reply: " + message.error(), task_fields(d.specs[index]));
    return;
  }
  // A worker that ignores x-fossa-secret-keys (Python's) answers with the secrets in plain text;
  // one that holds the same context secrets as this node might name those. Only a failure or a
  // log line carries text to redact (ayeaye::redact_secrets).
  if (!std::holds_alternative<ayeaye::TaskComplete>(*message)) {
    ayeaye::ResolverContext secrets = d.specs[index].resolver_context;
    config_.context_secrets.add_to(secrets);
    ayeaye::redact_secrets(*message, secrets);
  }
  if (d.ledger.settled(index)) {
    log_.info("a second answer for a subtask, not counted", with_fields(task_fields(d.specs[index]), {{"node", reply.node}}));
    return;
  }
  if (auto* log = std::get_if<ayeaye::TaskLogMessage>(&*message)) {
    governor_.update(subtask_id, [&](TaskRecord& r) { r.add_log(log->level + " " + log->msg); });
    parent->worker->queue_line(channel::subtask_log_line(index, *log), OutboundQueue::Kind::kDroppable);
    return;
  }
  if (!reply.node.empty()) governor_.update(subtask_id, [&](TaskRecord& r) { r.node = reply.node; });
  const bool failed = std::holds_alternative<ayeaye::TaskFailed>(*message);
  // The worker named it "<correlation id>::<reply queue>"; here it is the parent's subtask, whose
  // document (with this failure) is on this node: a failure_origin_task_id that resolves here.
  if (failed) std::get<ayeaye::TaskFailed>(*message).task_id = subtask_id;
  const auto verdict = d.ledger.record(index, failed);
  if (verdict == ayeaye::SubtaskLedger::Verdict::kIgnored) {
    // Not in flight: waiting for its retry while an earlier attempt still answered.
    log_.info("an answer for a subtask not in flight, not counted",
              with_fields(task_fields(d.specs[index]), {{"node", reply.node}}));
    return;
  }
  d.sent_at.erase(index);
  d.batching.observe(reply.times && reply.takes_batches ? std::optional(std::chrono::duration_cast<SubtaskBatching::Duration>(
                                       reply.times->ended - reply.times->started))
                                 : std::nullopt);
  // Its times, when the worker said (ours do): in its document, and added up in the parent's.
  const auto answered = TaskRecord::Clock::now();
  double span = 0;
  governor_.update(subtask_id, [&](TaskRecord& r) {
    r.run_times = reply.times;
    span = std::chrono::duration<double>(answered - r.started).count();
  });
  d.times.add(span, reply.times);
  if (verdict == ayeaye::SubtaskLedger::Verdict::kRetry) {
    const auto note = ayeaye::retry_log_message(std::get<ayeaye::TaskFailed>(*message));
    governor_.update(subtask_id, [&](TaskRecord& r) { r.add_log(note.level + " " + note.msg); });
    parent->worker->queue_line(channel::subtask_log_line(index, note), OutboundQueue::Kind::kEssential);
    send_remote_subtasks(*parent);  // it is first in line, and its place in flight is free
    return;
  }
  parent->worker->queue_line(channel::subtask_result_line(index, *message), OutboundQueue::Kind::kEssential);
  governor_.finish(subtask_id, std::move(message).value(), answered);
  send_remote_subtasks(*parent);
}

void TaskSupervisor::stop_remote_subtasks(Run& parent, const std::string& why) {
  Delegation& d = *parent.delegation();
  pools_.erase(d.pool_id);
  // What is in flight may still run somewhere; its answer will find no pool and be dropped. Its
  // document says "cancelled", as its count does, unless this node's shutdown stopped it.
  for (const std::size_t index : d.ledger.in_flight()) {
    governor_.finish(d.specs[index].task_id,
                     runtime_failure(d.specs[index], stopping_ ? "fossa::NodeShutdown" : "fossa::Cancelled", why),
                     std::nullopt, !stopping_);
  }
  d.ledger.cancel();
  d.sent_at.clear();
  publish_counts(parent);
}

void TaskSupervisor::check_remote_deadlines(SteadyClockPoint now, std::optional<SteadyClockPoint>& next) {
  if (!broker_ || !config_.subtask_timeout) return;
  for (auto& [id, run] : runs_) {
    Delegation* d = run->delegation();
    if (d == nullptr || !d->remote || d->stopped()) continue;
    std::size_t overdue = 0;
    for (auto& [index, sent] : d->sent_at) {
      if (now >= sent + *config_.subtask_timeout) {
        sent = now;
        ++overdue;
        broker_->send_subtask(amqp::make_correlation_id(d->pool_id, index), d->specs[index]);
      }
      const auto due = sent + *config_.subtask_timeout;
      next = next ? std::min(*next, due) : due;
    }
    if (overdue > 0) {
      log_.warn("subtasks unanswered for " + std::to_string(config_.subtask_timeout->count()) + " s sent again",
                with_fields(task_fields(run->spec), {{"subtasks", std::to_string(overdue)}}));
    }
  }
}

void TaskSupervisor::give_back_long_waits(SteadyClockPoint now, std::optional<SteadyClockPoint>& next) {
  std::size_t given_back = 0;
  while (!queued_.empty() && now >= queued_.front().since + kLongestLocalWait) {
    broker_->give_back(queued_.front().taken.id);
    queued_.pop_front();
    ++given_back;
  }
  if (given_back > 0) {
    log_.info("subtasks that waited " + std::to_string(kLongestLocalWait.count()) +
                  " s for a slot went back to the queue, for a node with a free one",
              {{"subtasks", std::to_string(given_back)}});
  }
  if (!queued_.empty()) {
    const auto due = queued_.front().since + kLongestLocalWait;
    next = next ? std::min(*next, due) : due;
  }
}

void TaskSupervisor::adapt_prefetch(SteadyClockPoint now, std::optional<SteadyClockPoint>& next) {
  if (!broker_ || !adaptive_prefetch_) return;
  using WallClock = amqp::SubtaskTimes::Clock;
  const auto wall_now = WallClock::now();
  std::optional<WallClock::time_point> oldest_start;
  for (auto& [id, run] : runs_) {
    const Run::FromQueue* queued = run->from_queue();
    if (queued == nullptr || run->finished) continue;
    oldest_start = oldest_start ? std::min(*oldest_start, queued->started_at) : queued->started_at;
  }
  const auto longest_running = oldest_start ? std::chrono::duration_cast<AdaptivePrefetch::Duration>(
                                                  std::max(wall_now - *oldest_start, WallClock::duration::zero()))
                                            : AdaptivePrefetch::Duration::zero();
  if (const auto change = adaptive_prefetch_->change_from(prefetch_, longest_running)) {
    log_.info("subtasks taken from the queue at most: " + std::to_string(*change),
              {{"was", std::to_string(prefetch_)}, {"capacity", std::to_string(governor_.capacity())}});
    prefetch_ = *change;
    broker_->set_prefetch(prefetch_);
  }
  // While subtasks run here and more than the slots are held, look again when the oldest of them
  // will have run longer than the window: a long one stops the node taking more at once.
  if (oldest_start && prefetch_ > governor_.capacity()) {
    const auto window = adaptive_prefetch_->options().cover;
    const auto until = std::max<WallClock::duration>(*oldest_start + window - wall_now, WallClock::duration::zero());
    const auto due = now + std::chrono::duration_cast<std::chrono::milliseconds>(until) + std::chrono::milliseconds(1);
    next = next ? std::min(*next, due) : due;
  }
}

bool TaskSupervisor::start_queued_subtask() {
  if (queued_.empty() || stopping_ || draining_ || !governor_.slots().take()) return false;
  amqp::SubtaskTaken taken = std::move(queued_.front().taken);
  const auto taken_at = queued_.front().taken_at;
  queued_.pop_front();
  governor_.start_queued_subtask(taken.task.spec, taken.task.reply_to);
  ayeaye::TaskSpec spec = taken.task.spec;
  auto run = std::make_unique<Run>(std::move(spec), Run::FromQueue{std::move(taken), 0, taken_at, taken_at});
  add_node_secrets(*run);
  if (config_.task_time_limit) run->deadline = now() + *config_.task_time_limit;
  const std::string id = run->spec.task_id;
  if (auto started = give_process(*run, /*reuse=*/true); !started) {
    fail_to_start(std::move(run), started.error());
    return true;
  }
  run->from_queue()->started_at = std::max(taken_at, amqp::SubtaskTimes::Clock::now());
  run->worker->send(run->spec);
  const pid_t pid = run->worker->pid();
  governor_.update(id, [pid](TaskRecord& r) { r.pid = pid; });
  NodeLog::Fields fields{{"method", run->spec.method}, {"pid", std::to_string(pid)}};
  const amqp::SubtaskTaken& from = run->from_queue()->taken;
  if (from.task.in_batch) fields.emplace_back("batch", "yes");
  if (from.redelivered) fields.emplace_back("redelivered", "yes");
  log_.info("subtask from the queue started", with_fields(task_fields(run->spec), std::move(fields)));
  set_at_work(*run, true);
  runs_[id] = std::move(run);
  return true;
}

void TaskSupervisor::finish_queued(Run& run, ayeaye::TaskMessage result) {
  // What the subtask printed before it answered is in the pipe by now: read it here, under this
  // subtask, before its process may go to the next one (and that one's document and context).
  if (run.worker && !run.exited) on_output(run);
  note_unrelayed_model_lines(run);
  const bool shutdown = run.failure_class && *run.failure_class == "fossa::NodeShutdown";
  // Stopped by this node's shutdown: no answer, no acknowledgement; the broker hands the subtask to
  // another node when this one's connection closes.
  const Run::FromQueue& queued = *run.from_queue();
  // In order even if the wall clock was set back meanwhile: a parent refuses times out of order.
  const auto ended = std::max(queued.started_at, amqp::SubtaskTimes::Clock::now());
  const amqp::SubtaskTimes times{queued.taken_at, queued.started_at, ended};
  if (adaptive_prefetch_ && !shutdown && !run.cancelled) {
    adaptive_prefetch_->observe(std::chrono::duration_cast<AdaptivePrefetch::Duration>(ended - queued.started_at));
  }
  if (!shutdown) broker_->send_reply(queued.taken.id, queued.taken.task, result, /*final=*/true, times);
  // A process that reported its result and lives on runs the next subtask from the queue; one
  // that crashed, was killed or misbehaved is done with.
  const bool reusable = !stopping_ && !run.failure_class && !run.exited && run.worker &&
                        !run.worker->process().try_wait() && static_cast<int>(idle_workers_.size()) < governor_.capacity();
  if (reusable) {
    idle_workers_.push_back(std::move(run.worker));
    run.exited = true;
  } else if (run.worker) {
    run.worker->close_input();
  }
  if (const std::size_t dropped = run.from_queue()->log_replies_dropped; dropped > 0) {
    const std::string note = std::to_string(dropped) +
                             " log lines not sent to the parent: the broker took them more slowly than the subtask wrote them";
    governor_.update(run.spec.task_id, [&](TaskRecord& r) { r.add_log("WARNING " + note); });
    log_.warn(note, task_fields(run.spec));
  }
  // The slot first, so that whoever sees the subtask's end (a long poll of its document) finds it
  // free; what the record needs is copied, since the slot may go to the next subtask at once.
  const std::string id = run.spec.task_id;
  const bool cancelled = run.cancelled;
  release_borrowed_slot();
  governor_.finish(id, std::move(result), std::nullopt, cancelled);
}

}  // namespace fossa::node
