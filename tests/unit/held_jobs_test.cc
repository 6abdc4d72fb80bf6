#include "jobs/held_jobs.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes/fake_cluster_nodes.h"

using fossa::gateway::HeldJob;
using fossa::gateway::HeldJobs;
using fossa::testing::FakeClusterNodes;
using fossa::testing::FakeStarter;
using fossa::testing::node_error;
using ::testing::ElementsAre;
using namespace std::chrono_literals;

namespace {

const HeldJob::Clock::time_point t0 = HeldJob::Clock::time_point(std::chrono::hours(24 * 365 * 50));

}  // namespace

TEST(HeldJobs, AJobWaitsUntilANodeWithAFreeSlotAppearsAndKeepsItsIdAfterwards) {
  HeldJobs held(10, 10min);
  FakeClusterNodes nodes;
  FakeStarter starter;
  const auto id = held.hold("c", R"({"model_class":"M"})", "M", t0);
  ASSERT_TRUE(id);
  held.forward_waiting(nodes, &starter, t0 + 2s);
  EXPECT_EQ(held.find(*id)->state, HeldJob::State::kWaiting);
  nodes.nodes["a:1"].free_slots = 0;  // a node started, but is full
  held.forward_waiting(nodes, &starter, t0 + 4s);
  EXPECT_EQ(held.find(*id)->state, HeldJob::State::kWaiting);
  nodes.nodes["a:1"].free_slots = 1;
  held.forward_waiting(nodes, &starter, t0 + 6s);
  const auto job = held.find(*id);
  EXPECT_EQ(job->state, HeldJob::State::kForwarded);
  EXPECT_EQ(job->node, "a:1");
  EXPECT_EQ(job->task_id, "a-1-task-1");
  ASSERT_EQ(nodes.posts.size(), 1u);
  EXPECT_EQ(nodes.posts[0].second, R"({"model_class":"M"})");
  held.forward_waiting(nodes, &starter, t0 + 8s);
  EXPECT_EQ(nodes.posts.size(), 1u) << "forwarded once";
  EXPECT_FALSE(held.any_waiting());
}

TEST(HeldJobs, AJobNoWorkerTookInTimeFailsSayingSo) {
  HeldJobs held(10, 10min);
  FakeClusterNodes nodes;
  const auto id = held.hold("c", "{}", "M", t0);
  held.forward_waiting(nodes, nullptr, t0 + 9min);
  EXPECT_EQ(held.find(*id)->state, HeldJob::State::kWaiting);
  held.forward_waiting(nodes, nullptr, t0 + 10min);
  EXPECT_EQ(held.find(*id)->state, HeldJob::State::kFailed);
  EXPECT_EQ(held.find(*id)->problem, "no worker started within 10 min");
  nodes.nodes["a:1"].free_slots = 1;
  held.forward_waiting(nodes, nullptr, t0 + 11min);
  EXPECT_TRUE(nodes.posts.empty()) << "a failed job is not sent late";
}

TEST(HeldJobs, ABadTaskFailsWithTheNodesMessage) {
  HeldJobs held(10, 10min);
  FakeClusterNodes nodes;
  nodes.nodes["a:1"] = {1, node_error(412, "Model class 'M' is not in the list of accepted classes: A")};
  const auto id = held.hold("c", "{}", "M", t0);
  held.forward_waiting(nodes, nullptr, t0 + 2s);
  EXPECT_EQ(held.find(*id)->state, HeldJob::State::kFailed);
  EXPECT_EQ(held.find(*id)->problem, "Model class 'M' is not in the list of accepted classes: A");
}

TEST(HeldJobs, AtMostMaxWaitingJobsWaitAndTheyGoOutOldestFirst) {
  HeldJobs held(2, 10min);
  const auto first = held.hold("c", "1", "M", t0);
  const auto second = held.hold("c", "2", "M", t0 + 1s);
  EXPECT_TRUE(first && second);
  EXPECT_NE(*first, *second);
  EXPECT_FALSE(held.hold("c", "3", "M", t0 + 2s)) << "full";
  FakeClusterNodes nodes;
  nodes.nodes["a:1"].free_slots = 1;
  held.forward_waiting(nodes, nullptr, t0 + 3s);
  ASSERT_EQ(nodes.posts.size(), 1u) << "one free slot takes one job";
  EXPECT_EQ(nodes.posts[0].second, "1") << "the oldest first";
  EXPECT_EQ(held.find(*second)->state, HeldJob::State::kWaiting);
  EXPECT_TRUE(held.hold("c", "3", "M", t0 + 4s)) << "room again once one is forwarded";
  EXPECT_FALSE(held.hold("c", "4", "M", t0 + 4s)) << "full again";
  nodes.nodes["a:1"].free_slots = 2;
  held.forward_waiting(nodes, nullptr, t0 + 5s);
  ASSERT_EQ(nodes.posts.size(), 3u);
  EXPECT_EQ(nodes.posts[1].second, "2");
  EXPECT_EQ(nodes.posts[2].second, "3");
}

TEST(HeldJobs, TheStarterIsAskedAgainEveryMinuteWhileJobsWaitAndItsRefusalIsShown) {
  HeldJobs held(10, 10min);
  FakeClusterNodes nodes;
  FakeStarter starter;
  const auto id = held.hold("c", "{}", "M", t0);  // the API asked once when it held the job
  held.forward_waiting(nodes, &starter, t0 + 30s);
  EXPECT_TRUE(starter.asked.empty());
  starter.refusal = "no rights to UpdateService";
  held.forward_waiting(nodes, &starter, t0 + 61s);
  EXPECT_THAT(starter.asked, ElementsAre("c"));
  EXPECT_EQ(held.find(*id)->problem, "asking for workers failed: no rights to UpdateService");
  held.forward_waiting(nodes, &starter, t0 + 90s);
  EXPECT_EQ(starter.asked.size(), 1u);
}

TEST(HeldJobs, EndedJobsAreRememberedUpToALimit) {
  HeldJobs held(10, 1min, /*max_ended=*/2);
  FakeClusterNodes nodes;
  const auto a = held.hold("c", "{}", "M", t0);
  const auto b = held.hold("c", "{}", "M", t0);
  const auto c = held.hold("c", "{}", "M", t0);
  held.forward_waiting(nodes, nullptr, t0 + 2min);
  EXPECT_FALSE(held.find(*a)) << "the oldest ended one is forgotten";
  EXPECT_TRUE(held.find(*b) && held.find(*c));
}

TEST(HeldJobs, ACancelledJobIsNeverPlacedAndShowsCancelled) {
  HeldJobs held(10, 10min);
  FakeClusterNodes nodes;
  const auto id = held.hold("c", R"({"model_class":"M"})", "M", t0);
  ASSERT_TRUE(id);
  EXPECT_TRUE(held.cancel(*id));
  EXPECT_EQ(held.find(*id)->state, HeldJob::State::kCancelled);
  EXPECT_STREQ(to_string(held.find(*id)->state), "cancelled");
  EXPECT_FALSE(held.any_waiting());
  nodes.nodes["a:1"].free_slots = 1;
  const auto late = held.forward_waiting(nodes, nullptr, t0 + 2s);
  EXPECT_TRUE(nodes.posts.empty()) << "a cancelled job is not sent";
  EXPECT_TRUE(late.empty());
  EXPECT_FALSE(held.cancel(*id)) << "cancelled once";
}

TEST(HeldJobs, OnlyAWaitingJobCanBeCancelled) {
  HeldJobs held(10, 1min);
  FakeClusterNodes nodes;
  nodes.nodes["a:1"].free_slots = 1;
  const auto forwarded = held.hold("c", "{}", "M", t0);
  held.forward_waiting(nodes, nullptr, t0 + 2s);
  ASSERT_EQ(held.find(*forwarded)->state, HeldJob::State::kForwarded);
  EXPECT_FALSE(held.cancel(*forwarded)) << "on its node now: cancelled there";
  EXPECT_EQ(held.find(*forwarded)->state, HeldJob::State::kForwarded);
  nodes.nodes["a:1"].free_slots = 0;
  const auto failed = held.hold("c", "{}", "M", t0);
  held.forward_waiting(nodes, nullptr, t0 + 2min);
  ASSERT_EQ(held.find(*failed)->state, HeldJob::State::kFailed);
  EXPECT_FALSE(held.cancel(*failed));
  EXPECT_FALSE(held.cancel("held-unknown-1"));
}

TEST(HeldJobs, AJobANodeTakesWhileItIsBeingCancelledIsHandedBackToBeCancelledThere) {
  HeldJobs held(10, 10min);
  FakeClusterNodes nodes;
  nodes.nodes["a:1"].free_slots = 1;
  const auto id = held.hold("c", "{}", "M", t0);
  bool cancelled = false;
  nodes.while_posting = [&] { cancelled = held.cancel(*id); };
  const auto late = held.forward_waiting(nodes, nullptr, t0 + 2s);
  EXPECT_TRUE(cancelled) << "a cancel that meets the post is taken";
  EXPECT_EQ(held.find(*id)->state, HeldJob::State::kCancelled);
  ASSERT_EQ(late.size(), 1u);
  EXPECT_EQ(late[0].id, *id);
  EXPECT_EQ(late[0].node, "a:1");
  EXPECT_EQ(late[0].task_id, "a-1-task-1");
}

TEST(HeldJobs, AJobCancelledWhileNoNodeTookItStaysCancelled) {
  HeldJobs held(10, 10min);
  FakeClusterNodes nodes;
  // The node said it had a free slot, but is full by the time the post comes.
  nodes.nodes["a:1"] = {1, node_error(503, "Node at full capacity and can't accept new tasks")};
  const auto id = held.hold("c", "{}", "M", t0);
  nodes.while_posting = [&] { held.cancel(*id); };
  EXPECT_TRUE(held.forward_waiting(nodes, nullptr, t0 + 2s).empty());
  ASSERT_EQ(nodes.posts.size(), 1u);
  EXPECT_EQ(held.find(*id)->state, HeldJob::State::kCancelled);
  nodes.while_posting = nullptr;
  nodes.nodes["a:1"] = {1, std::nullopt};
  held.forward_waiting(nodes, nullptr, t0 + 4s);
  EXPECT_EQ(nodes.posts.size(), 1u) << "not posted again";
}
