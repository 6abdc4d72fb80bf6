// OutboundQueue: the lines an event loop has to write to one peer (a task process's input pipe),
// held until the peer can take them, so that the loop never blocks in write(2) on a peer that is
// itself waiting for the loop. Pure bookkeeping, no I/O: the owner asks what to write next
// (pending()), writes what the descriptor takes, and says how much went (consume()).
//
// Bounded where it can be: a droppable line (a subtask's log line) is dropped, and counted, when
// the droppable lines already queued reach the limits — a peer that reads more slowly than its
// subtasks talk loses log lines, never memory. An essential line (a task, a subtask's result, a
// control message) is never dropped; there are as many as there are subtasks, not as many as a
// model cares to print.
// One owner thread.
#pragma once

#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace fossa {

class OutboundQueue {
 public:
  enum class Kind { kDroppable, kEssential };
  struct Limits {
    std::size_t droppable_lines = 10'000;
    std::size_t droppable_bytes = 1 << 20;
  };

  OutboundQueue() = default;
  explicit OutboundQueue(Limits limits) : limits_(limits) {}

  // Queues `line` (with its '\n'). False when it was dropped: a droppable line over the limits.
  bool push(std::string line, Kind kind);
  bool empty() const { return lines_.empty(); }
  // Up to `max_pieces` pieces to write next, in order, the first from where the last partial write
  // stopped. Views into the queue: valid until the next push() or consume().
  std::vector<std::string_view> pending(std::size_t max_pieces) const;
  // `bytes` of pending() were written.
  void consume(std::size_t bytes);
  // The peer is gone: forgets every line (they are not counted as dropped).
  void clear();

  // Droppable lines dropped over the limits since the queue was made.
  std::size_t dropped() const { return dropped_; }
  std::size_t queued_lines() const { return lines_.size(); }
  std::size_t queued_droppable_bytes() const { return droppable_bytes_; }

 private:
  struct Line {
    std::string text;
    Kind kind;
  };
  Limits limits_;
  std::deque<Line> lines_;
  std::size_t written_ = 0;  // bytes of the front line already written
  std::size_t droppable_lines_ = 0;
  std::size_t droppable_bytes_ = 0;
  std::size_t dropped_ = 0;
};

}  // namespace fossa
