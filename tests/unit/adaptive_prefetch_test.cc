// The node's prefetch from its subtasks' run times (node/adaptive_prefetch.h): which prefetch for
// which observed times, bounded both ways, and when a change is worth a new consumer.
#include "node/adaptive_prefetch.h"

#include <gtest/gtest.h>

namespace {

using fossa::node::AdaptivePrefetch;
using std::chrono::microseconds;
using std::chrono::milliseconds;

constexpr microseconds kNoneRunning{0};

void observe_many(AdaptivePrefetch& prefetch, microseconds run_time, int times) {
  for (int i = 0; i < times; ++i) prefetch.observe(run_time);
}

TEST(AdaptivePrefetch, BeforeAnythingHasRunANodeTakesOnlyItsSlots) {
  AdaptivePrefetch prefetch(4);
  EXPECT_EQ(prefetch.estimate(kNoneRunning), std::nullopt);
  EXPECT_EQ(prefetch.wanted(kNoneRunning), 4);
}

TEST(AdaptivePrefetch, NoOpSubtasksGetTheDeepestPrefetchItAllows) {
  AdaptivePrefetch prefetch(4, {milliseconds(20), 256});
  observe_many(prefetch, microseconds(300), 10);
  EXPECT_EQ(prefetch.wanted(kNoneRunning), 4 + 256) << "4 × 20 ms / 0.3 ms is beyond the bound";
  AdaptivePrefetch instant(4, {milliseconds(20), 100});
  instant.observe(microseconds(0));
  EXPECT_EQ(instant.wanted(kNoneRunning), 4 + 100) << "a run too short to measure is no division by zero";
}

TEST(AdaptivePrefetch, EachSlotHoldsAboutTheCoveredWorkBeyondTheOneItRuns) {
  AdaptivePrefetch prefetch(4, {milliseconds(20), 256});
  observe_many(prefetch, milliseconds(5), 10);
  EXPECT_EQ(prefetch.wanted(kNoneRunning), 4 + 16) << "4 slots × 20 ms / 5 ms";
  observe_many(prefetch, milliseconds(10), 32);
  EXPECT_EQ(prefetch.wanted(kNoneRunning), 4 + 8);
}

TEST(AdaptivePrefetch, LongSubtasksGetNoneBeyondTheSlots) {
  AdaptivePrefetch prefetch(7, {milliseconds(20), 256});
  observe_many(prefetch, milliseconds(400), 5);
  EXPECT_EQ(prefetch.wanted(kNoneRunning), 7) << "7 × 20 ms of work is less than one 0.4 s subtask";
}

TEST(AdaptivePrefetch, OneSlowSubtaskAmongFastOnesDoesNotMoveTheEstimate) {
  AdaptivePrefetch prefetch(4, {milliseconds(20), 256});
  observe_many(prefetch, milliseconds(2), 20);
  prefetch.observe(std::chrono::seconds(3));
  EXPECT_EQ(prefetch.estimate(kNoneRunning), milliseconds(2));
  EXPECT_EQ(prefetch.wanted(kNoneRunning), 4 + 40);
}

TEST(AdaptivePrefetch, TheEstimateFollowsTheLastRunsOnly) {
  AdaptivePrefetch prefetch(2, {milliseconds(20), 256});
  observe_many(prefetch, microseconds(100), 100);
  observe_many(prefetch, milliseconds(200), AdaptivePrefetch::kRecentRuns / 2 + 1);
  EXPECT_EQ(prefetch.estimate(kNoneRunning), milliseconds(200)) << "most of the last runs were long";
  EXPECT_EQ(prefetch.wanted(kNoneRunning), 2);
}

TEST(AdaptivePrefetch, ASubtaskRunningLongerThanTheWindowShrinksItBeforeItEnds) {
  AdaptivePrefetch prefetch(4, {milliseconds(20), 256});
  observe_many(prefetch, microseconds(300), 32);
  EXPECT_EQ(prefetch.wanted(milliseconds(15)), 4 + 256) << "running within the window says nothing yet";
  EXPECT_EQ(prefetch.wanted(milliseconds(100)), 4 + 0) << "4 × 20 ms / 100 ms rounds down to none";
  AdaptivePrefetch fresh(4, {milliseconds(20), 256});
  EXPECT_EQ(fresh.wanted(milliseconds(500)), 4) << "nothing observed, and something running long";
}

TEST(AdaptivePrefetch, BoundedBelowByTheSlotsAndAboveByTheLargestPrefetchAmqpCarries) {
  AdaptivePrefetch huge(65530, {milliseconds(20), 256});
  huge.observe(microseconds(1));
  EXPECT_EQ(huge.wanted(kNoneRunning), 65535) << "basic.qos carries 16 bits";
  AdaptivePrefetch none(0);
  EXPECT_EQ(none.wanted(kNoneRunning), 1) << "a consumer takes at least one";
  AdaptivePrefetch slow(3, {milliseconds(20), 256});
  slow.observe(std::chrono::hours(1));
  EXPECT_EQ(slow.wanted(kNoneRunning), 3);
}

TEST(AdaptivePrefetch, ChangesOnlyWhenWorthANewConsumer) {
  AdaptivePrefetch prefetch(4, {milliseconds(20), 256});
  EXPECT_EQ(prefetch.change_from(4, kNoneRunning), std::nullopt) << "nothing known: the slots, as now";
  observe_many(prefetch, milliseconds(1), 32);  // wants 4 + 80
  EXPECT_EQ(prefetch.change_from(4, kNoneRunning), 84) << "from none beyond the slots to some, always";
  EXPECT_EQ(prefetch.change_from(84, kNoneRunning), std::nullopt);
  EXPECT_EQ(prefetch.change_from(4 + 60, kNoneRunning), std::nullopt) << "60 → 80 beyond: less than double";
  EXPECT_EQ(prefetch.change_from(4 + 40, kNoneRunning), 84) << "40 → 80: double";
  EXPECT_EQ(prefetch.change_from(4 + 320, kNoneRunning), 84) << "320 → 80: a quarter";
  EXPECT_EQ(prefetch.change_from(4 + 200, kNoneRunning), std::nullopt) << "200 → 80: not a quarter";
  EXPECT_EQ(prefetch.change_from(84, milliseconds(400)), 4) << "to none beyond the slots, always";
}

}  // namespace
