// SubtaskBatching: whether a parent sends its subtasks one message each or in batches to our own
// nodes (amqp/subtask_batch.h), and how many at a time. Pure bookkeeping, one for each parent run:
// the supervisor feeds it its subtasks' answers and asks it before it sends.
//
// Why: a no-op subtask costs the broker a publish, a confirm, a delivery and an acknowledgement
// each way; in a batch it shares them. But a batch goes to one node whole, so a batch of long
// subtasks would wait on one node while another idles (StaggeredEtl). So a parent batches only
// what it has seen to be short, and only what our nodes run:
//   - it starts with single messages (any node, a Python one too, may take them);
//   - once at least half of its last kRecentAnswers answers came from nodes of ours (they say how
//     long the subtask ran; a Python worker does not), it sends batches of as many subtasks as
//     make `work` of run time at their median, at most `most` and at most a quarter of the
//     subtasks it may have in flight (so at least four batches are out at once, for every node
//     to have one);
//   - it goes back to single messages as soon as that no longer holds.
// A batch is sent only once there is room in flight for a whole one, unless nothing is in flight
// or fewer wait than a batch holds (the last ones of a run go as they are).
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <optional>

namespace fossa::node {

class SubtaskBatching {
 public:
  using Duration = std::chrono::microseconds;
  static constexpr std::size_t kRecentAnswers = 32;

  struct Options {
    Duration work = std::chrono::milliseconds(20);  // of run time in one batch, at the median
    std::size_t most = 16;                           // subtasks in one batch at most
  };

  SubtaskBatching() : SubtaskBatching(Options{}) {}
  explicit SubtaskBatching(Options options) : options_(options) {}

  // A subtask was answered; `run_time` when its worker said how long it ran (a node of ours).
  void observe(std::optional<Duration> run_time);
  // Subtasks in one message from now on: 1 for single messages. `in_flight_most`: what the parent
  // may have in flight at once.
  std::size_t batch_size(std::size_t in_flight_most) const;
  // How many to send now, in one message, given the batch size, the room left in flight, and the
  // subtasks waiting and in flight; 0: wait for more room.
  static std::size_t to_send(std::size_t batch, std::size_t room, std::size_t waiting, std::size_t in_flight);

 private:
  Options options_;
  // The last answers' run times; nullopt for an answer that did not say (a Python worker's).
  std::array<std::optional<Duration>, kRecentAnswers> recent_{};
  std::size_t observed_ = 0;
};

}  // namespace fossa::node
