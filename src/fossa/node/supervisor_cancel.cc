// TaskSupervisor's cancel (see task_supervisor.h): a task stopped on request, and with it every
// subtask of it — those run here, and, over RabbitMQ, those on every node of ours.
//
// The parent's node tells the others through the broker (Broker::cancel_pool: a fanout exchange
// only our nodes bind to), and hears its own word too. A node that hears a pool cancelled
// remembers it (CancelledPools, bounded), stops the pool's subtasks it runs (SIGTERM, SIGKILL after
// kCancelGrace), and answers those it holds or takes later "cancelled" without running them: the
// answer acknowledges the delivery once confirmed, and the parent, which has stopped counting,
// drops it. A subtask of a pool not cancelled is run and counted exactly as before.
#include <signal.h>

#include "ayeaye/run_task.h"
#include "node/supervisor_runs.h"
#include "node/task_supervisor.h"
#include "process/crash_report.h"

namespace fossa::node {
namespace {

constexpr const char* kCancelledClass = "fossa::Cancelled";

// The pool of a subtask taken from the queue; empty when its correlation id is not ours to read.
std::string pool_of(const amqp::SubtaskDelivery& task) {
  auto correlation = amqp::parse_correlation_id(task.correlation_id);
  return correlation ? correlation->pool_id : std::string();
}

}  // namespace

void TaskSupervisor::cancel(const std::string& task_id) {
  {
    std::lock_guard lock(inbox_mutex_);
    cancel_inbox_.push_back(task_id);
  }
  const std::uint64_t one = 1;
  (void)!::write(wake_.get(), &one, sizeof one);
}

void TaskSupervisor::cancel_pool(const std::string& pool_id) {
  {
    std::lock_guard lock(inbox_mutex_);
    pool_cancel_inbox_.push_back(pool_id);
  }
  const std::uint64_t one = 1;
  (void)!::write(wake_.get(), &one, sizeof one);
}

void TaskSupervisor::cancel_task(const std::string& task_id) {
  Run* run = find_run(task_id);
  if (run == nullptr || run->task() == nullptr || run->finished || run->cancelled) return;
  const std::string why = "the task was cancelled";
  run->cancelled = true;
  log_.info("cancelling a task and its subtasks", task_fields(run->spec));
  if (Delegation* d = run->delegation(); d != nullptr && d->remote && !d->stopped() && broker_) {
    broker_->cancel_pool(d->pool_id);
  }
  stop_subtasks(*run, why);
  terminate_cancelled(*run, why);
}

void TaskSupervisor::terminate_cancelled(Run& run, const std::string& why) {
  run.cancelled = true;
  if (!run.failure_class) {
    run.failure_class = kCancelledClass;
    run.failure_message = why;
  }
  if (run.exited || !run.worker) return;
  run.worker->process().kill(SIGTERM);
  run.kill_at = now() + kCancelGrace;
}

void TaskSupervisor::on_pool_cancelled(const std::string& pool_id) {
  if (!cancelled_pools_.remember(pool_id)) return;
  std::size_t dropped = 0;
  for (auto it = queued_.begin(); it != queued_.end();) {
    if (pool_of(it->taken.task) != pool_id) {
      ++it;
      continue;
    }
    drop_if_cancelled(it->taken);
    it = queued_.erase(it);
    ++dropped;
  }
  std::size_t stopped = 0;
  for (auto& [id, run] : runs_) {
    const Run::FromQueue* queued = run->from_queue();
    if (queued == nullptr || run->finished || run->exited || pool_of(queued->taken.task) != pool_id) continue;
    terminate_cancelled(*run, "its parent task was cancelled");
    ++stopped;
  }
  log_.info("a parent task's subtasks cancelled", {{"pool", pool_id},
                                                   {"running_stopped", std::to_string(stopped)},
                                                   {"waiting_dropped", std::to_string(dropped)}});
}

bool TaskSupervisor::drop_if_cancelled(const amqp::SubtaskTaken& taken) {
  const std::string pool = pool_of(taken.task);
  if (pool.empty() || !cancelled_pools_.contains(pool)) return false;
  broker_->send_reply(taken.id, taken.task,
                      runtime_failure(taken.task.spec, kCancelledClass, "its parent task was cancelled"),
                      /*final=*/true, /*times=*/std::nullopt);
  return true;
}

}  // namespace fossa::node
