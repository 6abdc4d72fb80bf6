// The records TaskSupervisor keeps of the processes it runs and the subtasks it hands out.
// Internal to the supervisor: task_supervisor.cc runs them; supervisor_subtasks.cc runs a
// parent's subtasks here; supervisor_rabbitmq.cc sends and takes subtasks over RabbitMQ.
#pragma once

#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "amqp/link.h"
#include "node/task_record.h"
#include "node/task_supervisor.h"
#include "process/worker_process.h"

namespace fossa::node {

using SteadyClock = std::chrono::steady_clock;

// A pidfd for `pid`: readable once the process has ended, so poll(2) can wait for it.
inline FileDescriptor open_pidfd(pid_t pid) { return FileDescriptor(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0))); }

// A parent's subtasks, handed to the node by its task process.
// What to start, retry or count is the ledger's; this holds what only the node knows.
struct TaskSupervisor::Delegation {
  Delegation(std::vector<ayeaye::TaskSpec> subtask_specs, int retries)
      : specs(std::move(subtask_specs)), ledger(specs.size(), retries) {}

  std::vector<ayeaye::TaskSpec> specs;
  ayeaye::SubtaskLedger ledger;
  int workers = 1;                // at most this many in flight (the model's plea, within the node's)
  bool lent_slot_in_use = false;  // the parent's own slot, lent to one subtask
  std::size_t log_lines_dropped = 0;
  // Sent over RabbitMQ (else run here): correlation ids "<pool_id>:<index>"; when each subtask in
  // flight was last sent, for FOSSA_SUBTASK_TIMEOUT and for sending again after a reconnect.
  bool remote = false;
  std::string pool_id;
  std::map<std::size_t, SteadyClock::time_point> sent_at;

  // The parent gave up or ended: nothing more starts or is sent.
  bool stopped() const { return ledger.cancelled(); }
  bool may_start_more() const {
    return !stopped() && ledger.has_waiting() && static_cast<int>(ledger.counts().running) < workers;
  }
  SubtaskCounts counts() const {
    SubtaskCounts counts;
    static_cast<ayeaye::SubtaskCounts&>(counts) = ledger.counts();
    counts.log_lines_dropped = log_lines_dropped;
    return counts;
  }
};

// One task or subtask process.
struct TaskSupervisor::Run {
  ayeaye::TaskSpec spec;
  std::unique_ptr<WorkerProcess> worker;
  FileDescriptor pidfd;
  std::optional<SteadyClock::time_point> deadline;
  bool finished = false;  // its result is recorded; the process may still be exiting
  bool exited = false;    // reaped: remove it
  bool at_work = false;   // counted in the task processes at work (TaskSupervisor::set_at_work)
  std::optional<std::string> failure_class;  // set when we kill it on purpose
  std::string failure_message;
  // A subtask:
  std::optional<std::string> parent_id;
  std::size_t index = 0;
  bool borrowed_slot = false;  // else the parent's lent slot
  // A parent that handed over subtasks:
  std::unique_ptr<Delegation> delegation;
  // A subtask taken from fossa_task_queue: its delivery, answered through the link.
  std::optional<amqp::SubtaskTaken> queued;
};

}  // namespace fossa::node
