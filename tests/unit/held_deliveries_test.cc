// The deliveries a link holds and the acknowledgements it owes (amqp/held_deliveries.h): a batch
// is acknowledged once every subtask in it is done with, and never before.
#include "amqp/held_deliveries.h"

#include <gtest/gtest.h>

namespace amqp = fossa::amqp;

namespace {

std::vector<amqp::Message> pieces(int count) {
  std::vector<amqp::Message> out(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) out[static_cast<std::size_t>(i)].correlation_id = "qwert:" + std::to_string(i);
  return out;
}

}  // namespace

TEST(HeldDeliveries, ABatchIsAcknowledgedOnlyOnceEverySubtaskInItIsDoneWith) {
  amqp::HeldDeliveries held;
  held.hold_batch(/*tag=*/1, /*first_id=*/1, pieces(3));
  held.hold(/*tag=*/2, /*id=*/4);
  held.settle(1);
  held.settle(3);
  EXPECT_FALSE(held.owes_acks()) << "subtask 2 of the batch still runs";
  held.settle(2);
  held.settle(2);  // a second answer changes nothing
  ASSERT_TRUE(held.owes_acks());
  const auto acks = held.take_acks();
  EXPECT_EQ(acks.up_to, 1u) << "below the whole delivery 2, still held";
  EXPECT_TRUE(acks.each.empty());
  held.settle(4);
  EXPECT_EQ(held.take_acks().up_to, 2u);
  EXPECT_EQ(held.size(), 0u);
}

TEST(HeldDeliveries, ASubtaskOfABatchIsGivenBackByItsOwnMessageAWholeDeliveryByItsTag) {
  amqp::HeldDeliveries held;
  held.hold(/*tag=*/5, /*id=*/1);
  held.hold_batch(/*tag=*/6, /*first_id=*/2, pieces(2));
  EXPECT_EQ(held.whole(1), 5u);
  EXPECT_EQ(held.piece(1), nullptr);
  ASSERT_NE(held.piece(3), nullptr);
  EXPECT_EQ(held.piece(3)->correlation_id, "qwert:1");
  EXPECT_FALSE(held.whole(3)) << "a broker requeues whole deliveries only";
  held.requeued(1);
  EXPECT_EQ(held.whole(1), std::nullopt);
  held.settle(2);
  held.settle(3);  // given back on its own, and that confirmed
  EXPECT_EQ(held.piece(3), nullptr);
  const auto acks = held.take_acks();
  EXPECT_EQ(acks.up_to, 6u) << "the requeued delivery 5 owes nothing, and holds nothing back";
}
