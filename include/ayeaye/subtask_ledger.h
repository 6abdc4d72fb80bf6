// SubtaskLedger: the bookkeeping of one partitioned run's subtasks, the same wherever they run (in
// this process, in local worker processes, as task processes of a node, or on other nodes over
// RabbitMQ). It decides; the executor around it moves bytes. It holds which subtasks wait, which
// are in flight and with how many attempts, the retry rule (a failed subtask runs again while it
// has attempts left), which answer counts (the first final one: a late or duplicate answer is
// ignored), cancelling, the counts a task document shows, and which failure was the first.
//
// Pure: no I/O, no clock, no threads. Not thread-safe; its executor owns it on one thread.
//
//   SubtaskLedger ledger(subtasks.size(), /*retries=*/1);
//   while (auto index = ledger.start_next()) send(*index);        // within the executor's slots
//   ... on an answer:
//   switch (ledger.record(index, failed)) { case kCounted: tell the model; case kRetry: start it
//   again when a slot is free; case kIgnored: drop it }
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <vector>

#include "ayeaye/task_message.h"

namespace ayeaye {

// What a task document and a progress bar show of a run's subtasks.
struct SubtaskCounts {
  std::size_t total = 0;
  std::size_t done = 0;       // complete, failed after its retries, or cancelled
  std::size_t failed = 0;     // failed after its retries
  std::size_t cancelled = 0;  // never ran, or stopped, because the run was cancelled
  std::size_t running = 0;    // in flight
  std::size_t retried = 0;    // times a failed subtask was given another attempt
};

class SubtaskLedger {
 public:
  // `total` subtasks, all waiting; a failed one is tried again up to `retries` times.
  SubtaskLedger(std::size_t total, int retries);

  // The next waiting subtask (retries first, then by index), now in flight with one more attempt;
  // nullopt when none waits or the run is cancelled.
  std::optional<std::size_t> start_next();
  bool has_waiting() const { return !cancelled_ && !waiting_.empty(); }
  std::size_t waiting() const { return cancelled_ ? 0 : waiting_.size(); }

  enum class Verdict {
    kCounted,  // the subtask's answer: give it to the model
    kRetry,    // it failed with attempts left: it waits again (first in line)
    kIgnored,  // not in flight (answered already, cancelled, or never started): drop it
  };
  // A final answer (complete, or failed) for subtask `index`.
  Verdict record(std::size_t index, bool failed);

  // Puts an in-flight subtask back in line without spending its attempt: it never ran (its
  // worker stopped before starting it, or the link that carried it was lost before it was taken).
  void give_back(std::size_t index);

  // Nothing more starts; every waiting and in-flight subtask is counted cancelled now, and any
  // answer that still comes for one of them is ignored.
  void cancel();
  bool cancelled() const { return cancelled_; }

  // Every subtask is done (answered, failed after retries, or cancelled).
  bool finished() const { return counts_.done == counts_.total; }
  const SubtaskCounts& counts() const { return counts_; }
  int attempts(std::size_t index) const { return states_.at(index).attempts; }
  bool in_flight(std::size_t index) const { return states_.at(index).phase == Phase::kInFlight; }
  // Answered, failed after its retries, or cancelled: nothing more about it counts.
  bool settled(std::size_t index) const { return states_.at(index).phase == Phase::kDone; }
  // The subtasks in flight, by index (to send again over a new connection).
  std::vector<std::size_t> in_flight() const;
  // The first subtask counted failed: the origin of the run's failure.
  std::optional<std::size_t> first_failure() const { return first_failure_; }

 private:
  enum class Phase { kWaiting, kInFlight, kDone };
  struct State {
    Phase phase = Phase::kWaiting;
    int attempts = 0;
  };
  int retries_;
  std::vector<State> states_;
  std::deque<std::size_t> waiting_;
  SubtaskCounts counts_;
  bool cancelled_ = false;
  std::optional<std::size_t> first_failure_;
};

// The line a subtask's log shows when the ledger gives it another attempt:
// "failed (std::domain_error); running it again", at WARNING.
TaskLogMessage retry_log_message(const TaskFailed& failure);

}  // namespace ayeaye
