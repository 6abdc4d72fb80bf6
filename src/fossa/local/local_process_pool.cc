#include "local/local_process_pool.h"

#include <poll.h>
#include <sched.h>

#include <cerrno>
#include <cstring>
#include <cmath>
#include <deque>
#include <memory>
#include <thread>

#include "ayeaye/run_task.h"
#include "process/crash_report.h"
#include "process/worker_process.h"

namespace fossa {

int default_capacity(double cpu_task_ratio) {
  cpu_set_t set;
  int cpus = 0;
  if (sched_getaffinity(0, sizeof set, &set) == 0) cpus = CPU_COUNT(&set);
  if (cpus <= 0) cpus = static_cast<int>(std::thread::hardware_concurrency());
  if (cpus <= 0) cpus = 1;
  return std::max(1, static_cast<int>(std::ceil(cpus * cpu_task_ratio)));
}

namespace {

// One worker process and the subtask it is running, if any.
struct Slot {
  std::unique_ptr<WorkerProcess> worker;
  std::optional<std::size_t> index;
};

}  // namespace

void LocalProcessPool::run(const std::vector<ayeaye::TaskPartition>& subtasks, int workers,
                           const ayeaye::ResolverContext& context, ayeaye::SubtaskListener& listener) {
  const std::size_t total = subtasks.size();
  if (total == 0) return;
  std::vector<ayeaye::TaskSpec> specs;
  specs.reserve(total);
  for (std::size_t i = 0; i < total; ++i) {
    specs.push_back(ayeaye::subtask_spec(subtasks[i], context, options_.task_id_prefix + ":" + std::to_string(i)));
  }

  ayeaye::SubtaskLedger ledger(total, options_.retries);
  auto report = [&] {
    if (on_progress_) on_progress_(ledger.counts());
  };

  const std::size_t slot_count = std::min<std::size_t>(total, static_cast<std::size_t>(std::max(workers, 1)));
  std::vector<Slot> slots(slot_count);
  WorkerProcess::Options worker_options;
  worker_options.executable = options_.executable;

  // A subtask's outcome, as the ledger rules: the answer, or a failure to run again.
  auto settle = [&](std::size_t index, ayeaye::TaskMessage result) {
    const auto* failure = std::get_if<ayeaye::TaskFailed>(&result);
    const auto verdict = ledger.record(index, failure != nullptr);
    report();
    if (verdict == ayeaye::SubtaskLedger::Verdict::kRetry) {
      listener.on_subtask_log(index, ayeaye::retry_log_message(*failure));
    } else if (verdict == ayeaye::SubtaskLedger::Verdict::kCounted) {
      listener.on_subtask_result(index, result);
    }
  };

  report();
  while (!ledger.finished()) {
    for (auto& slot : slots) {
      if (slot.index || !ledger.has_waiting()) continue;
      if (!slot.worker) {
        auto started = WorkerProcess::start(worker_options);
        if (!started) throw ayeaye::Error("cannot start a worker process: " + started.error());
        slot.worker = std::move(started).value();
      }
      const std::size_t index = *ledger.start_next();
      slot.index = index;
      slot.worker->send(specs[index]);
    }
    report();

    std::vector<pollfd> fds;
    for (auto& slot : slots) {
      if (!slot.worker) continue;
      fds.push_back({slot.worker->messages().fd(), POLLIN, 0});
      if (!slot.worker->output().at_eof()) fds.push_back({slot.worker->output().fd(), POLLIN, 0});
      if (slot.worker->wants_to_write()) fds.push_back({slot.worker->input_fd(), POLLOUT, 0});
    }
    if (fds.empty()) break;
    if (::poll(fds.data(), fds.size(), -1) < 0 && errno != EINTR) {
      throw ayeaye::Error(std::string("poll failed: ") + std::strerror(errno));
    }

    // What a worker printed goes to the listener as its subtask's log lines.
    auto take_output = [&](Slot& slot) {
      std::vector<std::string> output;
      slot.worker->output().read_available(output);
      for (auto& line : output) {
        slot.worker->remember_output(line);
        if (slot.index) listener.on_subtask_log(*slot.index, {line, "INFO"});
      }
    };
    for (auto& slot : slots) {
      if (!slot.worker) continue;
      WorkerProcess& worker = *slot.worker;
      worker.flush_input();  // a task too long for the pipe at once
      take_output(slot);
      std::vector<std::string> lines;
      const bool open = worker.messages().read_available(lines);
      for (const auto& line : lines) {
        auto message = ayeaye::parse_task_message(std::string_view(line));
        if (!message) {
          worker.remember_output("unreadable message from worker: " + message.error());
          continue;
        }
        if (!slot.index) continue;
        if (auto* log = std::get_if<ayeaye::TaskLogMessage>(&message.value())) {
          listener.on_subtask_log(*slot.index, *log);
          continue;
        }
        // The worker printed before it sent its result, so all it printed is in the pipe now: take
        // it under this subtask, before the slot takes the next.
        take_output(slot);
        const std::size_t index = *slot.index;
        slot.index.reset();
        settle(index, std::move(message).value());
      }
      if (!open) {
        // The worker is gone. Collect the last of its output: the trace a crash printed.
        std::vector<std::string> rest;
        worker.output().read_available(rest);  // a dead writer's output is all in the pipe now
        for (auto& line : rest) worker.remember_output(line);
        const ExitStatus status = worker.process().wait();
        if (slot.index) {
          const std::size_t index = *slot.index;
          slot.index.reset();
          auto failure = crash_failure(specs[index], worker, status);
          slot.worker.reset();
          settle(index, std::move(failure));
        } else {
          slot.worker.reset();
        }
      }
    }
  }
  for (auto& slot : slots) {
    if (slot.worker) slot.worker->close_input();
  }
}

}  // namespace fossa
