// WorkerProcess: a child process that runs tasks for its parent, one at a time, in isolation: a
// model that throws, aborts or segfaults takes down only this process, never the parent.
//
// The child is this same program started as `<exe> __worker` (so it has the same registered
// models), speaking JSON lines (docs/architecture.md, "worker channel"):
//   fd 3, parent -> child: one TaskSpec per line (the protocol's task body plus "task_id");
//   fd 4, child -> parent: TaskLogMessage lines while it runs, then one TaskComplete or TaskFailed.
// Its stdout and stderr go to a third pipe the parent reads as plain output lines; the last lines
// are kept, so a crash report can show the trace the dying worker printed.
// What the parent sends on fd 3 waits in an OutboundQueue and is written only as the pipe takes it
// (flush_input() when poll(2) says POLLOUT): the parent never blocks on a child that may itself be
// blocked writing to the parent. The child's side (run_worker_loop) blocks as it pleases.
// One owner thread.
//
// Seams for tests: the process itself is a ProcessControl (a spawned ChildProcess, or a test's
// fake that "exits" when told), and a WorkerLauncher makes workers (SpawningLauncher starts real
// ones). A fake launcher hands the supervisor a WorkerProcess over real pipes whose other ends
// the test holds: it reads what was sent and answers as a worker would, in microseconds.
#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ayeaye/task_spec.h"
#include "process/child_process.h"
#include "process/line_reader.h"
#include "process/outbound_queue.h"
#include "process/pipe.h"

namespace fossa {

// A worker's process as its owner controls it.
class ProcessControl {
 public:
  virtual ~ProcessControl() = default;
  virtual pid_t pid() const = 0;
  // Sends `signal` to the process (and its group).
  virtual void kill(int signal) = 0;
  // Blocks until the process ends (at once if it has); its status.
  virtual ExitStatus wait() = 0;
  // Its status if it has ended, without blocking.
  virtual std::optional<ExitStatus> try_wait() = 0;
  // Readable once the process has ended (a pidfd), for poll(2).
  virtual int exit_fd() const = 0;
};

class WorkerProcess {
 public:
  struct Options {
    std::string executable = "/proc/self/exe";
    std::vector<std::string> extra_environment;
  };

  // Spawns `<executable> __worker`.
  static ayeaye::Result<std::unique_ptr<WorkerProcess>> start(const Options& options);
  // A worker over pipes already made: the task channel's write end, the message and output
  // channels' read ends (made non-blocking here). For fakes; start() uses it too.
  WorkerProcess(std::unique_ptr<ProcessControl> process, FileDescriptor jobs, FileDescriptor messages,
                FileDescriptor output);

  pid_t pid() const { return process_->pid(); }
  ProcessControl& process() { return *process_; }
  LineReader& messages() { return messages_; }
  LineReader& output() { return output_; }

  // Sends one task (queued, never dropped). False when the worker is gone. With a
  // `subtask_capacity`, a partitioned model run with "go" hands its subtasks back over the
  // channel (see channel_executor.h).
  bool send(const ayeaye::TaskSpec& spec, int subtask_capacity = 0);
  // Sends a line already in the channel's form (a subtask event for a delegating task): a
  // subtask's log line is kDroppable, its result kEssential. False when it was dropped or the
  // worker is gone.
  bool queue_line(std::string line, OutboundQueue::Kind kind);
  // Lines wait for the pipe: poll input_fd() for POLLOUT, then flush_input().
  bool wants_to_write() const { return jobs_.valid() && !input_.empty(); }
  int input_fd() const { return jobs_.get(); }
  // Writes what the pipe takes now. A worker that has closed its end gets nothing more: its input
  // is closed and what was queued for it forgotten.
  void flush_input();
  // Log lines dropped because the worker read them more slowly than they came.
  std::size_t input_lines_dropped() const { return input_.dropped(); }
  // Closes the task channel (what is still queued is forgotten): an idle worker then exits cleanly.
  void close_input();

  // Records a line of the child's output, keeping the last few for crash reports.
  void remember_output(const std::string& line);
  const std::deque<std::string>& output_tail() const { return output_tail_; }

 private:
  std::unique_ptr<ProcessControl> process_;
  FileDescriptor jobs_;
  OutboundQueue input_;  // for jobs_
  FileDescriptor messages_fd_;
  FileDescriptor output_fd_;
  LineReader messages_;
  LineReader output_;
  std::deque<std::string> output_tail_;
};

// Makes worker processes for an owner that runs many (the node's supervisor).
class WorkerLauncher {
 public:
  virtual ~WorkerLauncher() = default;
  virtual ayeaye::Result<std::unique_ptr<WorkerProcess>> launch() = 0;
};

// Launches real ones: WorkerProcess::start.
class SpawningLauncher : public WorkerLauncher {
 public:
  explicit SpawningLauncher(WorkerProcess::Options options) : options_(std::move(options)) {}
  ayeaye::Result<std::unique_ptr<WorkerProcess>> launch() override { return WorkerProcess::start(options_); }

 private:
  WorkerProcess::Options options_;
};

// The child's side: reads tasks from fd 3 until it closes, runs each, answers on fd 4.
// Returns the process exit code.
int run_worker_loop();

}  // namespace fossa
