// HeldDeliveries: the subtask deliveries a link holds on one connection, and the acknowledgements
// it owes the broker for them. Pure bookkeeping, no I/O; the link's thread owns it, one per
// connection (what a lost connection held, the broker delivers again).
//
// A delivery is held under the link's id for it until it is settled (its result, dead letter or
// hand-back confirmed: then it is acknowledged) or requeued (given back: no acknowledgement). A
// batch of subtasks (amqp/subtask_batch.h) is one delivery with an id for each subtask in it: it is
// acknowledged once every one of them is settled, and a subtask of it is given back by publishing
// its own message (kept here) on its own, since a broker requeues only whole deliveries.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "amqp/connection.h"
#include "amqp/delivery_acks.h"

namespace fossa::amqp {

class HeldDeliveries {
 public:
  // Delivery `tag`, taken whole as the link's `id`. Ids grow with tags (both in the order read).
  void hold(std::uint64_t tag, std::uint64_t id) { held_.emplace(id, tag); }
  // Delivery `tag`, a batch: its subtasks are ids first_id, first_id + 1, ..., one per piece.
  void hold_batch(std::uint64_t tag, std::uint64_t first_id, std::vector<Message> pieces);

  // The message of subtask `id` when it came in a batch (to give it back on its own), else null.
  const Message* piece(std::uint64_t id) const;
  // The delivery tag of `id` when it is held and was taken whole (to requeue it).
  std::optional<std::uint64_t> whole(std::uint64_t id) const;

  // `id` is done with: its delivery is acknowledged once nothing else of it is held. An id not
  // held (of a lost connection, or settled already) is ignored.
  void settle(std::uint64_t id);
  // `id`, taken whole, was requeued: it is no longer held and owes no acknowledgement.
  void requeued(std::uint64_t id) { held_.erase(id); }

  bool owes_acks() const { return !acks_.empty(); }
  // The acknowledgements to send now (DeliveryAcks::take below the lowest delivery still held).
  DeliveryAcks::Acks take_acks();
  std::size_t size() const { return held_.size(); }

 private:
  std::map<std::uint64_t, std::uint64_t> held_;  // id -> delivery tag
  std::map<std::uint64_t, Message> pieces_;      // id -> its own message, for a subtask of a batch
  std::map<std::uint64_t, std::size_t> left_;    // a batch's tag -> its subtasks still held
  DeliveryAcks acks_;
};

}  // namespace fossa::amqp
