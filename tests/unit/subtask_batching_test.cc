// When a parent sends its subtasks in batches, and how many (node/subtask_batching.h).
#include "node/subtask_batching.h"

#include <gtest/gtest.h>

using fossa::node::SubtaskBatching;
using namespace std::chrono_literals;

TEST(SubtaskBatching, SingleMessagesUntilHalfTheRecentAnswersSayTheyRanShortOnNodesOfOurs) {
  SubtaskBatching batching;
  EXPECT_EQ(batching.batch_size(64), 1u) << "nothing answered yet";
  for (int i = 0; i < 15; ++i) batching.observe(SubtaskBatching::Duration(100us));
  EXPECT_EQ(batching.batch_size(64), 1u) << "15 of ours";
  batching.observe(SubtaskBatching::Duration(100us));
  EXPECT_EQ(batching.batch_size(64), 16u) << "no-op subtasks: the most, a quarter of 64 in flight";
  EXPECT_EQ(batching.batch_size(16), 4u);
  EXPECT_EQ(batching.batch_size(7), 1u) << "fewer than 8 in flight: never batches";
  for (int i = 0; i < 17; ++i) batching.observe(std::nullopt);  // Python workers answer now
  EXPECT_EQ(batching.batch_size(64), 1u) << "15 of the last 32 from ours";
}

TEST(SubtaskBatching, ABatchHoldsAboutTwentyMillisecondsOfWorkAndLongSubtasksGoAlone) {
  SubtaskBatching batching;
  for (int i = 0; i < 32; ++i) batching.observe(SubtaskBatching::Duration(i < 17 ? 4ms : 40ms));
  EXPECT_EQ(batching.batch_size(64), 5u) << "20 ms at the median of 4 ms";
  for (int i = 0; i < 17; ++i) batching.observe(SubtaskBatching::Duration(400ms));
  EXPECT_EQ(batching.batch_size(64), 1u) << "StaggeredEtl's 0.4 s subtasks: each on its own, for any idle node";
}

TEST(SubtaskBatching, SendsAWholeBatchOnlyWhenThereIsRoomForOneUnlessNothingIsInFlightOrFewWait) {
  EXPECT_EQ(SubtaskBatching::to_send(16, 64, 1000, 0), 16u);
  EXPECT_EQ(SubtaskBatching::to_send(16, 15, 1000, 49), 0u) << "wait for room for a whole batch";
  EXPECT_EQ(SubtaskBatching::to_send(16, 15, 5, 49), 5u) << "the last few go as they are";
  EXPECT_EQ(SubtaskBatching::to_send(16, 3, 1000, 0), 3u) << "nothing in flight: never wait";
  EXPECT_EQ(SubtaskBatching::to_send(1, 1, 1000, 63), 1u);
  EXPECT_EQ(SubtaskBatching::to_send(1, 0, 1000, 64), 0u);
}
