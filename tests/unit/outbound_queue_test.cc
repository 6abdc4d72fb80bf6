#include "process/outbound_queue.h"

#include <gtest/gtest.h>

#include <string>

using fossa::OutboundQueue;
using Kind = fossa::OutboundQueue::Kind;

namespace {

// Everything pending, joined: what a peer that takes it all would read.
std::string all_pending(const OutboundQueue& queue) {
  std::string text;
  for (auto piece : queue.pending(1000)) text += piece;
  return text;
}

}  // namespace

TEST(OutboundQueue, GivesLinesToWriteInTheOrderTheyCame) {
  OutboundQueue queue;
  EXPECT_TRUE(queue.empty());
  queue.push("a\n", Kind::kEssential);
  queue.push("b\n", Kind::kDroppable);
  queue.push("c\n", Kind::kEssential);
  EXPECT_FALSE(queue.empty());
  EXPECT_EQ(all_pending(queue), "a\nb\nc\n");
  EXPECT_EQ(queue.pending(2).size(), 2u) << "no more pieces than asked for";
}

TEST(OutboundQueue, APartialWriteResumesWhereItStopped) {
  OutboundQueue queue;
  queue.push("hello\n", Kind::kEssential);
  queue.push("world\n", Kind::kEssential);
  queue.consume(3);
  EXPECT_EQ(all_pending(queue), "lo\nworld\n");
  queue.consume(5);  // across the line boundary
  EXPECT_EQ(all_pending(queue), "rld\n");
  queue.consume(4);
  EXPECT_TRUE(queue.empty());
}

TEST(OutboundQueue, DropsAndCountsLogLinesBeyondTheLineLimit) {
  OutboundQueue queue({/*droppable_lines=*/2, /*droppable_bytes=*/1000});
  EXPECT_TRUE(queue.push("log 1\n", Kind::kDroppable));
  EXPECT_TRUE(queue.push("log 2\n", Kind::kDroppable));
  EXPECT_FALSE(queue.push("log 3\n", Kind::kDroppable));
  EXPECT_FALSE(queue.push("log 4\n", Kind::kDroppable));
  EXPECT_EQ(queue.dropped(), 2u);
  EXPECT_EQ(all_pending(queue), "log 1\nlog 2\n");
}

TEST(OutboundQueue, DropsAndCountsLogLinesBeyondTheByteLimit) {
  OutboundQueue queue({/*droppable_lines=*/100, /*droppable_bytes=*/10});
  EXPECT_TRUE(queue.push("12345678\n", Kind::kDroppable));
  EXPECT_FALSE(queue.push("abc\n", Kind::kDroppable)) << "9 + 4 bytes is over 10";
  EXPECT_TRUE(queue.push("x\n", Kind::kEssential));
  EXPECT_EQ(queue.dropped(), 1u);
  EXPECT_EQ(queue.queued_droppable_bytes(), 9u) << "essential lines are not held against the bound";
}

TEST(OutboundQueue, NeverDropsResultsOrControlMessagesHoweverFullItIs) {
  OutboundQueue queue({/*droppable_lines=*/1, /*droppable_bytes=*/1000});
  queue.push("log\n", Kind::kDroppable);
  for (int i = 0; i < 10'000; ++i) EXPECT_TRUE(queue.push("result " + std::to_string(i) + "\n", Kind::kEssential));
  EXPECT_EQ(queue.dropped(), 0u);
  EXPECT_EQ(queue.queued_lines(), 10'001u);
}

TEST(OutboundQueue, TakesLogLinesAgainOnceWrittenOnesMakeRoom) {
  OutboundQueue queue({/*droppable_lines=*/1, /*droppable_bytes=*/1000});
  EXPECT_TRUE(queue.push("first\n", Kind::kDroppable));
  EXPECT_FALSE(queue.push("second\n", Kind::kDroppable));
  queue.consume(3);
  EXPECT_FALSE(queue.push("third\n", Kind::kDroppable)) << "a line half written still holds its room";
  queue.consume(3);
  EXPECT_TRUE(queue.push("fourth\n", Kind::kDroppable));
  EXPECT_EQ(all_pending(queue), "fourth\n");
  EXPECT_EQ(queue.dropped(), 2u);
}

TEST(OutboundQueue, ClearingForAPeerThatIsGoneForgetsEverythingWithoutCountingItDropped) {
  OutboundQueue queue({/*droppable_lines=*/1, /*droppable_bytes=*/1000});
  queue.push("log\n", Kind::kDroppable);
  queue.push("result\n", Kind::kEssential);
  queue.consume(2);
  queue.clear();
  EXPECT_TRUE(queue.empty());
  EXPECT_EQ(queue.dropped(), 0u);
  EXPECT_TRUE(queue.push("log again\n", Kind::kDroppable)) << "the room is free again";
  EXPECT_EQ(all_pending(queue), "log again\n") << "no partial write carried over";
}
