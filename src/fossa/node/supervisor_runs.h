// The records TaskSupervisor keeps of the processes it runs and the subtasks it hands out.
// Internal to the supervisor: task_supervisor.cc runs them; supervisor_subtasks.cc runs a
// parent's subtasks here; supervisor_rabbitmq.cc sends and takes subtasks over RabbitMQ.
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "amqp/link.h"
#include "node/subtask_batching.h"
#include "node/task_record.h"
#include "node/task_supervisor.h"
#include "process/worker_process.h"

namespace fossa::node {

using SteadyClock = std::chrono::steady_clock;

// A parent's subtasks, handed to the node by its task process.
// What to start, retry or count is the ledger's; this holds what only the node knows.
struct TaskSupervisor::Delegation {
  Delegation(std::vector<ayeaye::TaskSpec> subtask_specs, int retries)
      : specs(std::move(subtask_specs)), ledger(specs.size(), retries) {}

  std::vector<ayeaye::TaskSpec> specs;
  ayeaye::SubtaskLedger ledger;
  int workers = 1;  // at most this many in flight (the model's plea, within the node's)
  std::size_t log_lines_dropped = 0;
  // Sent over RabbitMQ (else run here): correlation ids "<pool_id>:<index>"; when each subtask in
  // flight was last sent, for FOSSA_SUBTASK_TIMEOUT and for sending again after a reconnect.
  bool remote = false;
  std::string pool_id;
  std::map<std::size_t, SteadyClock::time_point> sent_at;
  // What the answered attempts took: run and queue wait apart (node time is the runs).
  SubtaskTimeTotals times;
  // Whether its subtasks go out one message each or in batches to nodes of ours, and how many.
  SubtaskBatching batching;
  bool batched = false;  // the last sent went in a batch (to log the change)

  // The parent gave up or ended: nothing more starts or is sent.
  bool stopped() const { return ledger.cancelled(); }
  bool may_start_more() const {
    return !stopped() && ledger.has_waiting() && static_cast<int>(ledger.counts().running) < workers;
  }
  SubtaskCounts counts() const {
    SubtaskCounts counts;
    static_cast<ayeaye::SubtaskCounts&>(counts) = ledger.counts();
    counts.log_lines_dropped = log_lines_dropped;
    counts.times = times;
    return counts;
  }
};

// One process the supervisor runs, and what for: a task admitted by POST, a subtask of a parent
// on this node, or a subtask taken from fossa_task_queue.
struct TaskSupervisor::Run {
  struct Task {
    std::unique_ptr<Delegation> delegation;  // once it hands its subtasks to the node
  };
  struct Subtask {
    std::string parent_id;
    std::size_t index = 0;
    Slots::Use slot = Slots::Use::kLent;  // the parent's own, or one borrowed
  };
  struct FromQueue {
    amqp::SubtaskTaken taken;  // its delivery, answered through the broker
    std::size_t log_replies_dropped = 0;  // its log lines the broker's full queue did not take
    // When this node took it from the queue and gave it to a process (the wall clock: they go to
    // its parent, with when it ended, in the result's x-fossa-times).
    amqp::SubtaskTimes::Clock::time_point taken_at;
    amqp::SubtaskTimes::Clock::time_point started_at;
  };

  Run(ayeaye::TaskSpec task_spec, std::variant<Task, Subtask, FromQueue> run_role)
      : spec(std::move(task_spec)), role(std::move(run_role)) {}

  ayeaye::TaskSpec spec;
  std::variant<Task, Subtask, FromQueue> role;
  std::unique_ptr<WorkerProcess> worker;
  std::optional<SteadyClock::time_point> deadline;
  bool finished = false;  // its result is recorded; the process may still be exiting
  bool exited = false;    // reaped: remove it
  bool at_work = false;   // counted in the task processes at work (TaskSupervisor::set_at_work)
  std::optional<std::string> failure_class;  // set when we kill it on purpose
  // The node's own context secrets added to `spec` (node/context_secrets.h): its process has them,
  // its recorded document does not, and a parent's subtasks are handed on without them.
  std::vector<std::string> node_secret_keys;
  std::string failure_message;
  // The model's own lines relayed to the node's log, and those beyond config.log_model_lines.
  std::size_t model_lines_relayed = 0;
  std::size_t model_lines_not_relayed = 0;
  bool cancelled = false;  // stopped on request (fossa cancel): its document says "cancelled"
  // After a SIGTERM of ours (a cancel): when it gets SIGKILL if it has not exited by then.
  std::optional<SteadyClock::time_point> kill_at;

  Task* task() { return std::get_if<Task>(&role); }
  Subtask* subtask() { return std::get_if<Subtask>(&role); }
  FromQueue* from_queue() { return std::get_if<FromQueue>(&role); }
  Delegation* delegation() {
    Task* t = task();
    return t != nullptr ? t->delegation.get() : nullptr;
  }
};

}  // namespace fossa::node
