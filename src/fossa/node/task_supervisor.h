// TaskSupervisor: runs the node's tasks, each in its own worker process, on one thread of its own.
// It waits on every task's channel and on each process's pidfd with poll(2) — no sleeps, no
// polling loops — and records what happens in the Governor: log lines, results (what a process
// says and prints: supervisor_channel.cc), crashes (a signal or an exit without a result becomes a
// TaskFailed), time-limit kills.
//
// A partitioned model run with "go" hands its subtasks back to the supervisor (see
// process/channel_executor.h; supervisor_subtasks.cc), which runs each as a task of its own (id
// "<parent>.<index>", own document and process), at most the model's worker count at once and
// within the node's slots, as the parent's SubtaskLedger rules (a failed subtask runs once more
// before it is reported), and passes every log line and result back.
// When the parent ends for any reason, its subtasks still running are stopped.
//
// With RabbitMQ (config.rabbitmq_url; supervisor_rabbitmq.cc) the same supervisor also plays both
// roles of the protocol through an amqp::Link: a parent's subtasks go to fossa_task_queue instead
// of local processes, each answer counted once; and subtasks taken from the queue run here, each
// in its own process within the node's slots, their results sent back before they are acknowledged.
//
// Cancel (supervisor_cancel.cc): a task cancelled on request gets SIGTERM, then SIGKILL after
// kCancelGrace, and so do its subtasks running here; its subtasks sent over RabbitMQ are cancelled
// on every node of ours through the broker (Broker::cancel_pool), where those running stop the
// same way and those still on the queue are answered "cancelled" unrun as they arrive. Each is
// recorded "cancelled", and its slot is free once its process has gone.
//
// Shutdown (supervisor_stopping.cc): first, with a drain period, the node takes no new work (subtasks taken from the queue
// and not started go back to it, the consumer is cancelled) while running tasks may finish and
// their results go out. Then, or at once without one, every task process gets SIGTERM, then
// SIGKILL after the grace period; each task that had no result is recorded as failed
// (fossa::NodeShutdown). No process is left behind.
//
// What it touches outside itself — worker processes, the broker, the clock — comes from a
// SupervisorEnv (node/supervisor_env.h), and its loop goes one turn() at a time: the node runs the
// turns on a thread of its own (start()); a unit test builds it on fakes and turns it itself.
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "amqp/broker.h"
#include "amqp/link.h"
#include "node/adaptive_prefetch.h"
#include "node/cancelled_pools.h"
#include "node/governor.h"
#include "node/node_config.h"
#include "node/node_log.h"
#include "node/slots.h"
#include "node/supervisor_env.h"
#include "process/pipe.h"
#include "process/worker_process.h"

namespace fossa::node {

class TaskSupervisor {
 public:
  using SteadyClockPoint = std::chrono::steady_clock::time_point;
  TaskSupervisor(Governor& governor, const NodeConfig& config, NodeLog& log, SupervisorEnv env);
  ~TaskSupervisor();

  // Connects to the broker (with a RabbitMQ URL) and runs turn() on a thread of its own.
  void start();
  // Starts an admitted task (thread-safe; returns at once).
  void run(const std::string& task_id);
  // Cancels a running top-level task as described above (thread-safe; returns at once). A task
  // that has ended by the time the supervisor's thread gets to it is left as it ended.
  void cancel(const std::string& task_id);
  // Tells every node of ours, through the broker, that pool `pool_id` (a parent's run on another
  // node) is cancelled, as that node would (thread-safe; returns at once). For a cancel whose
  // parent's node is silent: the gateway asks a live node to pass it on. Heard twice, no harm.
  void cancel_pool(const std::string& pool_id);
  // From SIGTERM to SIGKILL for a cancelled task's processes.
  static constexpr std::chrono::seconds kCancelGrace{5};
  // Stops every task as described above and returns when none is left.
  void shutdown(std::chrono::milliseconds drain, std::chrono::milliseconds grace);

  // The same in steps, for a test that drives the supervisor on its own thread (no start()):
  // open() connects to the broker; turn() waits (at most `longest_wait`) for something to happen,
  // handles it, and says whether the supervisor goes on — false once it has stopped, after
  // request_stop(), with nothing left running.
  void open();
  bool turn(std::chrono::milliseconds longest_wait);
  void request_stop(std::chrono::milliseconds drain, std::chrono::milliseconds grace);
  // The RabbitMQ link's state (thread-safe; it lives as long as the supervisor); null without one.
  const amqp::LinkStatus* link_status() const { return config_.rabbitmq_url.empty() ? nullptr : &link_status_; }

  struct Run;
  struct Delegation;

 private:
  void loop();
  void take_inbox();
  void begin_drain(std::chrono::milliseconds drain);
  void begin_stop();
  SteadyClockPoint now() const { return env_.now(); }
  void start_task(const std::string& task_id);
  // Starts the ledger's next subtask of `parent` in a process of its own, on slot `slot`.
  void start_subtask(Run& parent, Slots::Use slot);
  void on_output(Run& run);
  void on_messages(Run& run);
  void on_message(Run& run, const std::string& line);
  void on_run_subtasks(Run& run, const ayeaye::Json& payload);
  void on_exit(Run& run);
  // The model's lines beyond config.log_model_lines, once the run ends: one warning in the log.
  void note_unrelayed_model_lines(Run& run);
  void finish(Run& run, ayeaye::TaskMessage result);
  void finish_subtask(Run& run, ayeaye::TaskMessage result);
  void stop_subtasks(Run& parent, const std::string& why);
  void schedule_subtasks();
  bool hand_over_slot();
  void check_deadlines();
  void publish_counts(Run& parent);
  // A process is at work from the start of its task until its result, except a parent while the
  // subtasks it handed over are unfinished: it only waits (and lent them its slot). The count is
  // kept here, from the processes themselves, not derived from the slots it should stay within.
  void set_at_work(Run& run, bool at_work);
  // A parent's subtask log lines dropped by its input queue: into its document as they happen,
  // and once more, with a warning in its log_tail and the node's log, when it ends.
  void publish_dropped_lines();
  void note_dropped_lines(Run& parent);
  Run* find_run(const std::string& task_id);
  // The parent of a subtask run here, while it still hears of its subtasks; else null.
  Run* listening_parent(Run& run);
  // The slot freed by a subtask: to a local subtask waiting for one, else a queued one, else back.
  void release_borrowed_slot();
  // Gives `run` a worker process: an idle one when `reuse` and there is one, else a new one.
  ayeaye::Result<bool> give_process(Run& run, bool reuse);
  // Adds the node's own context secrets to what `run`'s process gets (after its document is made).
  void add_node_secrets(Run& run);
  // Records a run whose process could not start as failed (fossa::SpawnFailed).
  void fail_to_start(std::unique_ptr<Run> run, const std::string& error);

  // Cancel (supervisor_cancel.cc).
  void cancel_task(const std::string& task_id);
  // SIGTERM now, SIGKILL at kCancelGrace unless it has exited; recorded "cancelled" as `why`.
  void terminate_cancelled(Run& run, const std::string& why);
  void on_pool_cancelled(const std::string& pool_id);
  // A subtask taken from the queue whose pool is cancelled: answered "cancelled", unrun. True if so.
  bool drop_if_cancelled(const amqp::SubtaskTaken& taken);

  // RabbitMQ (supervisor_rabbitmq.cc).
  void start_link();
  void take_link_events();
  void on_reply(const amqp::ReplyReceived& reply);
  void log_refused_subtask(const amqp::SubtaskRefused& refused);
  void send_remote_subtasks(Run& parent);
  void resend_in_flight(Run& parent, const char* why);
  void stop_remote_subtasks(Run& parent, const std::string& why);
  void check_remote_deadlines(SteadyClockPoint now, std::optional<SteadyClockPoint>& next);
  bool start_queued_subtask();
  void give_back_long_waits(SteadyClockPoint now, std::optional<SteadyClockPoint>& next);
  // Asks the link for the prefetch adaptive_prefetch_ wants now, when that is worth a change; sets
  // `next` to when a subtask running here would have run long enough to change it.
  void adapt_prefetch(SteadyClockPoint now, std::optional<SteadyClockPoint>& next);
  void finish_queued(Run& run, ayeaye::TaskMessage result);

  Governor& governor_;
  const NodeConfig& config_;
  NodeLog& log_;
  SupervisorEnv env_;
  FileDescriptor wake_;  // eventfd: new tasks or shutdown

  std::mutex inbox_mutex_;
  std::vector<std::string> inbox_;
  std::vector<std::string> cancel_inbox_;
  std::vector<std::string> pool_cancel_inbox_;
  bool stop_requested_ = false;
  std::chrono::milliseconds drain_{0};
  std::chrono::milliseconds grace_{0};

  // Loop thread only.
  std::map<std::string, std::unique_ptr<Run>> runs_;
  int processes_at_work_ = 0;
  bool draining_ = false;  // stop asked with a drain period: no new work, running tasks go on
  std::chrono::steady_clock::time_point drain_until_;
  std::chrono::milliseconds stop_grace_{0};  // from SIGTERM to SIGKILL once tasks are being stopped
  bool stopping_ = false;  // running tasks are being stopped
  bool killed_all_ = false;
  std::chrono::steady_clock::time_point kill_at_;
  std::thread thread_;

  // RabbitMQ: the broker (none without a URL), subtasks taken but not yet started, and the
  // parents' pools of subtasks in flight (pool id -> parent task id).
  std::unique_ptr<amqp::Broker> broker_;
  amqp::LinkStatus link_status_;
  bool link_up_ = false;
  // A subtask taken waits here for a slot at most kLongestLocalWait, then goes back to the queue
  // (for a node with a free one): the prefetch beyond the slots hides the broker's round trip for
  // short subtasks without holding long ones on a busy node.
  struct Waiting {
    amqp::SubtaskTaken taken;
    SteadyClockPoint since;
    amqp::SubtaskTimes::Clock::time_point taken_at;  // the same moment on the wall clock, for its parent
  };
  std::deque<Waiting> queued_;
  // Without FOSSA_AMQP_PREFETCH, the prefetch follows the run times of the subtasks taken here
  // (node/adaptive_prefetch.h); prefetch_ is what the link was last asked for.
  std::optional<AdaptivePrefetch> adaptive_prefetch_;
  int prefetch_ = 0;
  // Worker processes that ran a subtask from the queue to its end and can run another: starting
  // a process per subtask would cap a node at a few hundred subtasks a second.
  std::vector<std::unique_ptr<WorkerProcess>> idle_workers_;
  std::map<std::string, std::string> pools_;
  // Pools cancelled anywhere (this node's parents' too), bounded: their subtasks are dropped here.
  CancelledPools cancelled_pools_;
};

}  // namespace fossa::node
