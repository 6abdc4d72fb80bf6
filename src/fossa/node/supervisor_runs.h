// The records TaskSupervisor keeps of the processes it runs and the subtasks it hands out.
// Internal to the supervisor: task_supervisor.cc runs them; supervisor_rabbitmq.cc sends and
// takes subtasks over RabbitMQ.
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
struct TaskSupervisor::Delegation {
  std::vector<ayeaye::TaskSpec> specs;
  // Sent over RabbitMQ (else run here): correlation ids "<pool_id>:<index>"; each index answered
  // counts once; in flight, when it was last sent.
  bool remote = false;
  std::string pool_id;
  std::vector<bool> answered;
  std::map<std::size_t, SteadyClock::time_point> in_flight;
  std::deque<std::size_t> pending;
  std::vector<int> attempts;
  int workers = 1;
  int running = 0;
  bool lent_slot_in_use = false;  // the parent's own slot, lent to one subtask
  bool stopped = false;           // the parent gave up or ended: nothing more starts or is sent
  SubtaskCounts counts;
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
