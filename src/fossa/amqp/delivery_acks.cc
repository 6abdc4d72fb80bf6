#include "amqp/delivery_acks.h"

#include <algorithm>

namespace fossa::amqp {

DeliveryAcks::Acks DeliveryAcks::take(std::optional<std::uint64_t> lowest_held) {
  Acks acks;
  for (const std::uint64_t tag : ready_) {
    if (!lowest_held || tag < *lowest_held) {
      acks.up_to = acks.up_to ? std::max(*acks.up_to, tag) : tag;
    } else {
      acks.each.push_back(tag);
    }
  }
  std::sort(acks.each.begin(), acks.each.end());
  ready_.clear();
  return acks;
}

}  // namespace fossa::amqp
