#include "node/task_supervisor.h"

#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <cstdio>
#include <deque>

#include "ayeaye/run_task.h"
#include "process/crash_report.h"
#include "process/worker_channel.h"
#include "node/free_memory.h"
#include "node/supervisor_runs.h"
#include "process/worker_process.h"

namespace fossa::node {

namespace {

// The most a stopping node waits for the broker to confirm its last answers (the node's whole
// shutdown stays within a few seconds of its grace period).
constexpr auto kLinkFlushTimeout = std::chrono::seconds(3);

std::string seconds_text(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", seconds);
  return text;
}

}  // namespace

TaskSupervisor::TaskSupervisor(Governor& governor, const NodeConfig& config, NodeLog& log, SupervisorEnv env)
    : governor_(governor), config_(config), log_(log), env_(std::move(env)),
      wake_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}

TaskSupervisor::~TaskSupervisor() {
  if (thread_.joinable()) shutdown(std::chrono::milliseconds(0), std::chrono::milliseconds(0));
}

void TaskSupervisor::start() {
  open();
  thread_ = std::thread([this] { loop(); });
}

void TaskSupervisor::open() { start_link(); }

void TaskSupervisor::run(const std::string& task_id) {
  {
    std::lock_guard lock(inbox_mutex_);
    inbox_.push_back(task_id);
  }
  const std::uint64_t one = 1;
  (void)!::write(wake_.get(), &one, sizeof one);
}

TaskSupervisor::Run* TaskSupervisor::find_run(const std::string& task_id) {
  auto found = runs_.find(task_id);
  return found == runs_.end() ? nullptr : found->second.get();
}

TaskSupervisor::Run* TaskSupervisor::listening_parent(Run& run) {
  const Run::Subtask* subtask = run.subtask();
  Run* parent = subtask != nullptr ? find_run(subtask->parent_id) : nullptr;
  if (parent == nullptr || parent->delegation() == nullptr || parent->delegation()->stopped()) return nullptr;
  return parent;
}

void TaskSupervisor::take_inbox() {
  std::uint64_t count = 0;
  (void)!::read(wake_.get(), &count, sizeof count);
  take_link_events();
  std::vector<std::string> ids;
  std::vector<std::string> cancels;
  std::vector<std::string> pool_cancels;
  bool stop = false;
  std::chrono::milliseconds drain{0};
  std::chrono::milliseconds grace{0};
  {
    std::lock_guard lock(inbox_mutex_);
    ids.swap(inbox_);
    cancels.swap(cancel_inbox_);
    pool_cancels.swap(pool_cancel_inbox_);
    stop = stop_requested_;
    drain = drain_;
    grace = grace_;
  }
  for (const auto& id : ids) start_task(id);
  for (const auto& id : cancels) cancel_task(id);
  for (const auto& pool : pool_cancels) {
    if (broker_) broker_->cancel_pool(pool);
  }
  if (stop && !draining_ && !stopping_) {
    stop_grace_ = grace;
    if (drain.count() > 0) {
      begin_drain(drain);
    } else {
      begin_stop();
    }
  }
}

void TaskSupervisor::loop() {
  while (turn(std::chrono::minutes(1))) {
  }
}

bool TaskSupervisor::turn(std::chrono::milliseconds longest_wait) {
  {
    std::vector<pollfd> fds{{wake_.get(), POLLIN, 0}};
    // Which run and which of its descriptors: 0 messages, 1 output, 2 pid, 3 input (lines waiting).
    std::vector<std::pair<Run*, int>> owners;
    for (auto& [id, run] : runs_) {
      if (!run->worker->messages().at_eof()) {
        fds.push_back({run->worker->messages().fd(), POLLIN, 0});
        owners.emplace_back(run.get(), 0);
      }
      if (!run->worker->output().at_eof()) {
        fds.push_back({run->worker->output().fd(), POLLIN, 0});
        owners.emplace_back(run.get(), 1);
      }
      fds.push_back({run->worker->process().exit_fd(), POLLIN, 0});
      owners.emplace_back(run.get(), 2);
      if (run->worker->wants_to_write()) {
        fds.push_back({run->worker->input_fd(), POLLOUT, 0});
        owners.emplace_back(run.get(), 3);
      }
    }
    // Draining ends when the running tasks have ended, or at its deadline.
    if (draining_ && !stopping_ && (runs_.empty() || now() >= drain_until_)) begin_stop();
    if (stopping_ && runs_.empty()) {
      // Closing the connection gives back to the broker every subtask taken and not answered; those
      // answered are acknowledged first (within a bound), or the broker would run them again.
      if (broker_) broker_->flush(kLinkFlushTimeout);
      broker_.reset();
      idle_workers_.clear();
      return false;
    }

    // Sleep until something happens, or the next deadline (a time limit, the shutdown grace).
    std::optional<SteadyClock::time_point> next;
    for (auto& [id, run] : runs_) {
      if (run->deadline && !run->finished) next = next ? std::min(*next, *run->deadline) : *run->deadline;
      if (run->kill_at && !run->exited) next = next ? std::min(*next, *run->kill_at) : *run->kill_at;
    }
    if (stopping_ && !killed_all_) next = next ? std::min(*next, kill_at_) : kill_at_;
    if (draining_ && !stopping_) next = next ? std::min(*next, drain_until_) : drain_until_;
    check_remote_deadlines(now(), next);
    give_back_long_waits(now(), next);
    adapt_prefetch(now(), next);
    long long timeout = longest_wait.count();
    if (next) {
      const auto wait = std::chrono::ceil<std::chrono::milliseconds>(*next - now()).count();
      timeout = std::clamp<long long>(wait, 0, timeout);
    }
    if (::poll(fds.data(), fds.size(), static_cast<int>(timeout)) < 0 && errno != EINTR) {
      log_.error(std::string("poll failed: ") + std::strerror(errno));
      return true;
    }

    // What this turn logs goes out in one write when it ends (it may start and end many subtasks).
    const NodeLog::Held held_lines;
    if (fds[0].revents != 0) take_inbox();
    for (std::size_t i = 1; i < fds.size(); ++i) {
      if (fds[i].revents == 0) continue;
      auto [run, which] = owners[i - 1];
      if (run->exited || !run->worker) continue;  // ended, or its process went back to the idle pool
      if (which == 0) on_messages(*run);
      if (which == 1) on_output(*run);
      if (which == 2) on_exit(*run);
      if (which == 3) run->worker->flush_input();
    }
    publish_dropped_lines();
    check_deadlines();
    schedule_subtasks();
    while (start_queued_subtask()) {
    }
    bool freed_subtasks = false;
    for (auto it = runs_.begin(); it != runs_.end();) {
      if (!it->second->exited) {
        ++it;
        continue;
      }
      freed_subtasks = freed_subtasks || it->second->delegation() != nullptr;
      it = runs_.erase(it);
    }
    // A parent's subtasks (their specs, thousands maybe) are freed: give the memory back.
    if (freed_subtasks) give_back_free_memory();
  }
  return true;
}

void TaskSupervisor::start_task(const std::string& task_id) {
  auto record = governor_.find(task_id);
  if (!record) return;
  auto run = std::make_unique<Run>(record->spec, Run::Task{});
  add_node_secrets(*run);
  if (config_.task_time_limit) run->deadline = now() + *config_.task_time_limit;
  if (stopping_) {
    governor_.finish(task_id, runtime_failure(run->spec, "fossa::NodeShutdown", "the node stopped before the task started"));
    return;
  }
  if (auto started = give_process(*run, /*reuse=*/false); !started) {
    log_.error("cannot start a task process: " + started.error(), task_fields(run->spec));
    governor_.finish(task_id, runtime_failure(run->spec, "fossa::SpawnFailed", started.error()));
    return;
  }
  // The capacity offered to a partitioned model's plea: this node's, or with RabbitMQ the cluster's.
  run->worker->send(run->spec, broker_ ? config_.subtasks_in_flight : governor_.capacity());
  const pid_t pid = run->worker->pid();
  governor_.update(task_id, [pid](TaskRecord& r) { r.pid = pid; });
  log_.info("task started", with_fields(task_fields(run->spec), {{"model_class", run->spec.model_class},
                                                                  {"method", run->spec.method},
                                                                  {"pid", std::to_string(pid)}}));
  set_at_work(*run, true);
  runs_.emplace(task_id, std::move(run));
}

ayeaye::Result<bool> TaskSupervisor::give_process(Run& run, bool reuse) {
  while (reuse && !idle_workers_.empty()) {
    std::unique_ptr<WorkerProcess> idle = std::move(idle_workers_.back());
    idle_workers_.pop_back();
    if (idle->process().try_wait()) continue;  // it died while idle
    run.worker = std::move(idle);
    return true;
  }
  auto worker = env_.launcher->launch();
  if (!worker) return ayeaye::Result<bool>::fail(worker.error());
  run.worker = std::move(worker).value();
  return true;
}

void TaskSupervisor::add_node_secrets(Run& run) {
  run.node_secret_keys = config_.context_secrets.add_to(run.spec.resolver_context);
}

void TaskSupervisor::fail_to_start(std::unique_ptr<Run> run, const std::string& error) {
  Run& failed = *run;
  failed.exited = true;
  runs_[failed.spec.task_id] = std::move(run);
  finish(failed, runtime_failure(failed.spec, "fossa::SpawnFailed", error));
}

void TaskSupervisor::on_exit(Run& run) {
  // The process has ended, so whatever it wrote is in its pipes: read it all first.
  on_output(run);
  on_messages(run);
  const ExitStatus status = run.worker->process().wait();
  run.exited = true;
  if (run.finished) return;
  if (run.failure_class) {
    finish(run, runtime_failure(run.spec, *run.failure_class, run.failure_message, run.worker->output_tail()));
  } else {
    finish(run, crash_failure(run.spec, *run.worker, status));
  }
}

void TaskSupervisor::finish(Run& run, ayeaye::TaskMessage result) {
  if (run.finished) return;
  run.finished = true;
  set_at_work(run, false);
  if (run.from_queue()) {
    finish_queued(run, std::move(result));
    return;
  }
  note_unrelayed_model_lines(run);
  if (run.worker) run.worker->close_input();
  if (run.subtask()) {
    finish_subtask(run, std::move(result));
    return;
  }
  if (run.delegation()) {
    stop_subtasks(run, "the parent task ended");
    note_dropped_lines(run);
  }
  const auto* failed = std::get_if<ayeaye::TaskFailed>(&result);
  NodeLog::Fields fields = with_fields(task_fields(run.spec), {{"model_class", run.spec.model_class}});
  if (failed) {
    fields.emplace_back("exception", failed->exception_class_name);
    fields.emplace_back("error", failed->message());
    if (failed->failure_origin_task_id) fields.emplace_back("failure_origin_task_id", *failed->failure_origin_task_id);
  }
  governor_.finish(run.spec.task_id, std::move(result), std::nullopt, run.cancelled);
  if (auto record = governor_.find(run.spec.task_id)) {
    fields.emplace_back("seconds", seconds_text(record->duration_seconds(TaskRecord::Clock::now())));
  }
  if (run.cancelled) {
    log_.info("task cancelled", fields);
  } else if (failed) {
    log_.warn("task failed", fields);
  } else {
    log_.info("task complete", fields);
  }
}

}  // namespace fossa::node
