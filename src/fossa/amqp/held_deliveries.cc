#include "amqp/held_deliveries.h"

namespace fossa::amqp {

void HeldDeliveries::hold_batch(std::uint64_t tag, std::uint64_t first_id, std::vector<Message> pieces) {
  if (pieces.empty()) return;
  left_[tag] = pieces.size();
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    held_.emplace(first_id + i, tag);
    pieces_.emplace(first_id + i, std::move(pieces[i]));
  }
}

const Message* HeldDeliveries::piece(std::uint64_t id) const {
  const auto found = pieces_.find(id);
  return found == pieces_.end() || !held_.contains(id) ? nullptr : &found->second;
}

std::optional<std::uint64_t> HeldDeliveries::whole(std::uint64_t id) const {
  const auto found = held_.find(id);
  if (found == held_.end() || pieces_.contains(id)) return std::nullopt;
  return found->second;
}

void HeldDeliveries::settle(std::uint64_t id) {
  const auto found = held_.find(id);
  if (found == held_.end()) return;
  const std::uint64_t tag = found->second;
  held_.erase(found);
  if (pieces_.erase(id) > 0) {
    const auto batch = left_.find(tag);
    if (batch != left_.end() && --batch->second > 0) return;
    if (batch != left_.end()) left_.erase(batch);
  }
  acks_.ready(tag);
}

DeliveryAcks::Acks HeldDeliveries::take_acks() {
  return acks_.take(held_.empty() ? std::nullopt : std::optional<std::uint64_t>(held_.begin()->second));
}

}  // namespace fossa::amqp
