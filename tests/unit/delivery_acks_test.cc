// The acknowledgements a link owes its channel (amqp/delivery_acks.h): as few frames as can be, and
// never one that covers a delivery still held.
#include "amqp/delivery_acks.h"

#include <gtest/gtest.h>

namespace {

using fossa::amqp::DeliveryAcks;
using Tags = std::vector<std::uint64_t>;

TEST(DeliveryAcks, WhatIsReadyWithNothingHeldGoesInOneFrame) {
  DeliveryAcks acks;
  for (const std::uint64_t tag : {3, 1, 2, 5}) acks.ready(tag);
  const auto sent = acks.take(std::nullopt);
  EXPECT_EQ(sent.up_to, 5u);
  EXPECT_TRUE(sent.each.empty());
  EXPECT_TRUE(acks.empty()) << "taken once";
}

TEST(DeliveryAcks, NoFrameCoversADeliveryStillHeld) {
  DeliveryAcks acks;
  for (const std::uint64_t tag : {1, 2, 4, 6, 7}) acks.ready(tag);
  const auto sent = acks.take(3);  // tag 3 runs still
  EXPECT_EQ(sent.up_to, 2u) << "1 and 2 in one frame, below the held 3";
  EXPECT_EQ(sent.each, (Tags{4, 6, 7})) << "above it, one by one: 3 is not acknowledged with them";
}

TEST(DeliveryAcks, ReadyOnlyAboveTheLowestHeldIsSentOneByOne) {
  DeliveryAcks acks;
  acks.ready(9);
  acks.ready(8);
  const auto sent = acks.take(2);
  EXPECT_EQ(sent.up_to, std::nullopt);
  EXPECT_EQ(sent.each, (Tags{8, 9}));
}

TEST(DeliveryAcks, NothingReadyNothingSent) {
  DeliveryAcks acks;
  const auto sent = acks.take(1);
  EXPECT_EQ(sent.up_to, std::nullopt);
  EXPECT_TRUE(sent.each.empty());
}

}  // namespace
