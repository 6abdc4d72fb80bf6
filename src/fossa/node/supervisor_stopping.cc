// TaskSupervisor's stopping (see task_supervisor.h): a stop asked for from another thread, a drain
// (no new work; what was taken and not started goes back to the queue), then SIGTERM to every task
// process and SIGKILL after the grace period; and the task time limit, the other deadline a turn
// checks, and the SIGKILL a cancelled task's process gets after its grace.
#include <signal.h>
#include <unistd.h>

#include "node/supervisor_runs.h"
#include "node/task_supervisor.h"

namespace fossa::node {

void TaskSupervisor::shutdown(std::chrono::milliseconds drain, std::chrono::milliseconds grace) {
  request_stop(drain, grace);
  if (thread_.joinable()) thread_.join();
}

void TaskSupervisor::request_stop(std::chrono::milliseconds drain, std::chrono::milliseconds grace) {
  {
    std::lock_guard lock(inbox_mutex_);
    stop_requested_ = true;
    drain_ = drain;
    grace_ = grace;
  }
  const std::uint64_t one = 1;
  (void)!::write(wake_.get(), &one, sizeof one);
}

void TaskSupervisor::begin_drain(std::chrono::milliseconds drain) {
  draining_ = true;
  drain_until_ = now() + drain;
  if (broker_) {
    // Taken but not started: back to the queue now, for nodes that are staying.
    broker_->stop_taking();
    for (const auto& waiting : queued_) broker_->give_back(waiting.taken.id);
    queued_.clear();
  }
}

void TaskSupervisor::begin_stop() {
  stopping_ = true;
  kill_at_ = now() + stop_grace_;
  for (auto& [id, run] : runs_) {
    if (run->exited) continue;
    if (!run->finished) {
      run->failure_class = "fossa::NodeShutdown";
      run->failure_message = "the node stopped while the task was running";
    }
    run->worker->process().kill(SIGTERM);
  }
}

void TaskSupervisor::check_deadlines() {
  const auto now = this->now();
  if (stopping_ && !killed_all_ && now >= kill_at_) {
    for (auto& [id, run] : runs_) {
      if (!run->exited) run->worker->process().kill(SIGKILL);
    }
    killed_all_ = true;
    log_.warn("task processes still running after the shutdown grace period were killed");
  }
  for (auto& [id, run] : runs_) {
    if (run->kill_at && !run->exited && now >= *run->kill_at) {
      run->worker->process().kill(SIGKILL);
      run->kill_at.reset();
      log_.warn("a cancelled task's process outlived its grace period and was killed", task_fields(run->spec));
    }
    if (run->finished || run->exited) continue;
    if (run->deadline && now >= *run->deadline) {
      run->worker->process().kill(SIGKILL);
      run->failure_class = "fossa::TimeLimitExceeded";
      run->failure_message = "ran longer than the node's task time limit of " +
                             std::to_string(config_.task_time_limit->count()) + " s and was killed";
      run->deadline.reset();
      log_.warn("task killed at its time limit", task_fields(run->spec));
    }
  }
}

}  // namespace fossa::node
