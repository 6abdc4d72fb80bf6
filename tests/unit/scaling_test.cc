#include "scaling/scaling.h"

#include <gtest/gtest.h>

using fossa::gateway::checked_scaling_limits;
using fossa::gateway::decide_scaling;
using fossa::gateway::ScalingLimits;
using fossa::gateway::WorkSnapshot;
using namespace std::chrono_literals;

namespace {

ScalingLimits limits(int min_workers, int max_workers, int slots, std::chrono::seconds idle = 15min) {
  return ScalingLimits{min_workers, max_workers, slots, idle};
}

WorkSnapshot work(std::int64_t waiting, std::int64_t busy, int running, std::chrono::seconds idle_for = 0s) {
  return WorkSnapshot{waiting, busy, running, idle_for};
}

}  // namespace

TEST(Scaling, AJobWithNoWorkerWakesTheServiceAndTheGatewaySetsTheCount) {
  auto decision = decide_scaling(work(3, 0, 0), limits(0, 4, 1));
  EXPECT_EQ(decision.desired_workers, 3);
  EXPECT_TRUE(decision.gateway_sets_count) << "target tracking cannot scale out from zero";
  EXPECT_EQ(decision.backlog_per_worker, 3.0);
}

TEST(Scaling, WakingStartsNoMoreThanMaxWorkers) {
  EXPECT_EQ(decide_scaling(work(50, 0, 0), limits(0, 4, 1)).desired_workers, 4);
}

TEST(Scaling, SlotsPerWorkerDivideTheWorkRoundingUp) {
  EXPECT_EQ(decide_scaling(work(5, 0, 0), limits(0, 10, 2)).desired_workers, 3);
  EXPECT_EQ(decide_scaling(work(2, 2, 2), limits(0, 10, 2)).desired_workers, 2);
}

TEST(Scaling, WithWorkersRunningTargetTrackingScalesOutNotTheGateway) {
  auto decision = decide_scaling(work(6, 2, 2), limits(0, 8, 1));
  EXPECT_EQ(decision.desired_workers, 8);
  EXPECT_FALSE(decision.gateway_sets_count);
  EXPECT_EQ(decision.backlog_per_worker, 4.0) << "(6 waiting + 2 running) / 2 workers";
}

TEST(Scaling, WhileThereIsWorkNoWorkerIsTakenAway) {
  // 1 task left on 4 workers: the 3 idle ones stay until the whole stack is idle.
  auto decision = decide_scaling(work(0, 1, 4), limits(0, 4, 1));
  EXPECT_EQ(decision.desired_workers, 4);
  EXPECT_FALSE(decision.gateway_sets_count);
}

TEST(Scaling, IdleShorterThanIdleMinutesKeepsTheWorkers) {
  auto decision = decide_scaling(work(0, 0, 3, 14min), limits(0, 4, 1, 15min));
  EXPECT_EQ(decision.desired_workers, 3);
  EXPECT_FALSE(decision.gateway_sets_count);
  EXPECT_EQ(decision.backlog_per_worker, 0.0);
}

TEST(Scaling, IdleForIdleMinutesGoesToZeroAndTheGatewaySetsIt) {
  auto decision = decide_scaling(work(0, 0, 3, 15min), limits(0, 4, 1, 15min));
  EXPECT_EQ(decision.desired_workers, 0);
  EXPECT_TRUE(decision.gateway_sets_count) << "target tracking's scale-in is off";
  EXPECT_NE(decision.reason.find("15 min 00 s"), std::string::npos) << decision.reason;
}

TEST(Scaling, IdleGoesDownToMinWorkersNotBelow) {
  auto decision = decide_scaling(work(0, 0, 3, 1h), limits(2, 4, 1));
  EXPECT_EQ(decision.desired_workers, 2);
  EXPECT_TRUE(decision.gateway_sets_count);
}

TEST(Scaling, AlreadyAtMinWorkersTheGatewayDoesNothing) {
  auto decision = decide_scaling(work(0, 0, 0, 1h), limits(0, 4, 1));
  EXPECT_EQ(decision.desired_workers, 0);
  EXPECT_FALSE(decision.gateway_sets_count);
}

TEST(Scaling, ALoweredMaxWorkersBoundsTheCount) {
  EXPECT_EQ(decide_scaling(work(1, 5, 6), limits(0, 4, 1)).desired_workers, 4);
}

TEST(Scaling, LimitsThatCannotWorkAreRefusedWithTheReason) {
  EXPECT_FALSE(checked_scaling_limits(limits(-1, 4, 1)));
  auto max_below_min = checked_scaling_limits(limits(3, 2, 1));
  ASSERT_FALSE(max_below_min);
  EXPECT_NE(max_below_min.error().find("max_workers must be at least 1 and at least min_workers (3), got 2"), std::string::npos);
  EXPECT_FALSE(checked_scaling_limits(limits(0, 0, 1)));
  EXPECT_FALSE(checked_scaling_limits(limits(0, 4, 0)));
  EXPECT_TRUE(checked_scaling_limits(limits(0, 4, 1)));
}
