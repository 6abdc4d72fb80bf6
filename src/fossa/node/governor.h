// Governor: the node's one source of truth about capacity and tasks, shared by the HTTP threads
// (admission, documents, pages, metrics) and the task supervisor (starts, results, subtasks).
// Every method takes one mutex, so admission is exact: a slot is taken in the same critical section
// that checks for it, and given back in the one that records the task's end. Nothing waits, sleeps
// or polls: a POST beyond capacity is refused at once.
//
// Slots (node/slots.h says who holds one): the Governor takes a task's at admission and gives it
// back when the task ends; the supervisor takes and gives back its subtasks' through slots().
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "ayeaye/task_spec.h"
#include "node/metrics.h"
#include "node/packed_record.h"
#include "node/slots.h"
#include "node/task_record.h"

namespace fossa::node {

enum class Admission { kAccepted, kAtCapacity, kStopping };

class Governor {
 public:
  // `kept_subtask_documents`: how many subtask documents a finished parent keeps (below).
  Governor(int capacity, std::size_t history_size, std::size_t kept_subtask_documents = 1000);

  int capacity() const { return slots_.capacity(); }
  Slots& slots() { return slots_; }

  // Admits a task if a slot is free: gives it an id, records it running, and returns the record.
  Admission admit(ayeaye::TaskSpec spec, TaskRecord* admitted);
  // From now on every admit() is refused with kStopping.
  void stop_admitting();
  bool admitting() const;

  // Creates a subtask's record (running) when it first starts.
  void start_subtask(const ayeaye::TaskSpec& spec, const std::string& parent_id);
  // Creates the record (running) of a subtask taken from fossa_task_queue, whose slot the caller
  // has borrowed. Finished ones are remembered in a history of their own.
  void start_queued_subtask(const ayeaye::TaskSpec& spec, const std::string& reply_to);
  // Applies `change` to a record under the lock; false when the id is unknown.
  bool update(const std::string& task_id, const std::function<void(TaskRecord&)>& change);
  // Records the end of a task: its result, status and finish time; a top-level task's slot
  // returns to the pool and it joins the history (oldest history entries beyond the bound go).
  // `at`: when it ended, when the caller has timed it already (a subtask's answer, whose span the
  // caller split into queue wait and run: the document's span must be the same); else now.
  void finish(const std::string& task_id, ayeaye::TaskMessage result,
              std::optional<TaskRecord::Clock::time_point> at = std::nullopt);

  void count_rejected(const std::string& reason);
  // The task supervisor's count of task processes at work, for the metrics (and their peak).
  void set_task_processes_running(int running);

  // Readers: copies, taken under the lock.
  std::optional<TaskRecord> find(const std::string& task_id) const;
  // Like find(), but first waits up to `timeout` for the task to leave "running" (a long poll, so
  // clients need not poll). Woken by finish(); returns at once for an unknown or finished task.
  std::optional<TaskRecord> wait_for_end(const std::string& task_id, std::chrono::milliseconds timeout) const;
  // Without a thread waiting (an asynchronous long poll): calls `then` once the task leaves
  // "running" — from finish(), under the Governor's lock, so it must be quick and must not call the
  // Governor — with the ended record. For a task already ended (a finished subtask, kept packed, too),
  // or unknown (nullptr), it is called at once and 0 returned; else a ticket for cancel_on_end(), which a
  // poll that gives up first calls.
  using EndWatcher = std::function<void(const TaskRecord*)>;
  std::uint64_t on_end(const std::string& task_id, EndWatcher then);
  void cancel_on_end(const std::string& task_id, std::uint64_t ticket);

  struct Snapshot {
    int capacity = 0;
    int available = 0;
    bool admitting = true;
    std::vector<TaskRecord> running;  // top-level tasks, oldest first
    std::vector<TaskRecord> recent;   // finished top-level tasks, newest first
    std::vector<TaskRecord> running_subtasks;  // of local parents and from the queue
  };
  Snapshot snapshot() const;
  std::string metrics_text() const;

 private:
  std::string next_id();
  void forget_oldest_history();
  // A finished parent keeps the documents of its first kept_subtask_documents_ subtasks and of
  // every failed one: a history of 100 parents of 20,000 subtasks each would not fit in a small node.
  void forget_most_subtasks(TaskRecord& parent);
  // Any record, packed or not: a copy.
  std::optional<TaskRecord> find_locked(const std::string& task_id) const;
  void forget(const std::string& task_id);

  Slots slots_;
  const std::size_t history_size_;
  const std::size_t kept_subtask_documents_;
  const std::string id_prefix_;

  mutable std::mutex mutex_;
  mutable std::condition_variable ended_;
  bool admitting_ = true;
  std::uint64_t sequence_ = 0;
  std::map<std::string, TaskRecord> tasks_;  // running and remembered tasks and subtasks
  // Finished subtasks of this node's parents, packed (they change no more): not in tasks_.
  std::unordered_map<std::string, PackedRecord> packed_subtasks_;
  std::vector<std::string> running_;         // top-level, in start order
  std::deque<std::string> history_;          // finished top-level, newest first
  std::deque<std::string> queued_history_;   // finished subtasks from the queue, newest first
  Metrics metrics_;
  std::uint64_t end_tickets_ = 0;
  std::multimap<std::string, std::pair<std::uint64_t, EndWatcher>> end_watchers_;  // by task id
};

}  // namespace fossa::node
