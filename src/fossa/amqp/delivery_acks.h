// DeliveryAcks: the acknowledgements a link owes its channel, sent in as few basic.ack frames as
// they can be. Pure bookkeeping, no I/O; the link's thread owns it, one per connection.
//
// Why: every subtask costs its worker an acknowledgement and its parent another (the reply's), each
// a frame, a system call and a TCP segment on its own — a good part of a no-op subtask's cost on a
// 2-core machine. One ack with `multiple` set acknowledges every delivery up to its tag, which is
// safe only when none of those is still held: a subtask is acknowledged only once its result is
// confirmed (a node that dies before loses nothing). Delivery tags grow in the order deliveries are
// read, so the link says which tag it holds lowest; what is ready below it goes in one frame, what
// is ready above it (a subtask that ended before an older one still running) goes one by one.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace fossa::amqp {

class DeliveryAcks {
 public:
  // Delivery `tag` may be acknowledged: a reply or cancellation as soon as read, a subtask once its
  // result (or its dead letter) is confirmed.
  void ready(std::uint64_t tag) { ready_.push_back(tag); }
  bool empty() const { return ready_.empty(); }

  struct Acks {
    std::optional<std::uint64_t> up_to;  // one ack with `multiple`: every delivery up to this tag
    std::vector<std::uint64_t> each;     // one ack for each of these
  };
  // What to send for everything ready, now that the lowest delivery tag still held unacknowledged
  // (read, and neither ready nor given back) is `lowest_held` (nullopt: none is held). Forgets it.
  Acks take(std::optional<std::uint64_t> lowest_held);

 private:
  std::vector<std::uint64_t> ready_;
};

}  // namespace fossa::amqp
