// TaskSupervisor: runs the node's tasks, each in its own worker process, on one thread of its own.
// It waits on every task's channel and on each process's pidfd with poll(2) — no sleeps, no
// polling loops — and records what happens in the Governor: log lines, results, crashes (a signal
// or an exit without a result becomes a TaskFailed), time-limit kills.
//
// A partitioned model run with "go" hands its subtasks back to the supervisor (see
// process/channel_executor.h), which runs each as a task of its own (id "<parent>.<index>", own
// document and process), at most the model's worker count at once and within the node's slots,
// re-running a failed subtask once before reporting it, and passes every log line and result back.
// When the parent ends for any reason, its subtasks still running are stopped.
//
// Shutdown: every task process gets SIGTERM, then SIGKILL after the grace period; each task that
// had no result is recorded as failed (fossa::NodeShutdown). No process is left behind.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "node/governor.h"
#include "node/node_config.h"
#include "node/node_log.h"
#include "process/pipe.h"

namespace fossa::node {

class TaskSupervisor {
 public:
  TaskSupervisor(Governor& governor, const NodeConfig& config, NodeLog& log);
  ~TaskSupervisor();

  void start();
  // Starts an admitted task (thread-safe; returns at once).
  void run(const std::string& task_id);
  // Stops every task as described above and returns when none is left.
  void shutdown(std::chrono::milliseconds grace);

  struct Run;
  struct Delegation;

 private:
  void loop();
  void take_inbox();
  void start_task(const std::string& task_id);
  void start_subtask(Run& parent, std::size_t index, bool borrowed_slot);
  void on_output(Run& run);
  void on_messages(Run& run);
  void on_message(Run& run, const std::string& line);
  void on_run_subtasks(Run& run, const ayeaye::Json& payload);
  void on_exit(Run& run);
  void finish(Run& run, ayeaye::TaskMessage result);
  void finish_subtask(Run& run, ayeaye::TaskMessage result);
  void stop_subtasks(Run& parent, const std::string& why);
  void schedule_subtasks();
  bool hand_over_slot();
  void check_deadlines();
  void publish_counts(const Run& parent);
  Run* find_run(const std::string& task_id);

  Governor& governor_;
  const NodeConfig& config_;
  NodeLog& log_;
  FileDescriptor wake_;  // eventfd: new tasks or shutdown

  std::mutex inbox_mutex_;
  std::vector<std::string> inbox_;
  bool stop_requested_ = false;
  std::chrono::milliseconds grace_{0};

  // Loop thread only.
  std::map<std::string, std::unique_ptr<Run>> runs_;
  bool stopping_ = false;
  bool killed_all_ = false;
  std::chrono::steady_clock::time_point kill_at_;
  std::thread thread_;
};

}  // namespace fossa::node
