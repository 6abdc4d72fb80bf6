#include "jobs/job_placement.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes/fake_cluster_nodes.h"

using fossa::gateway::NodeCapacity;
using fossa::gateway::place_job;
using fossa::gateway::Placement;
using fossa::gateway::placement_order;
using fossa::testing::FakeClusterNodes;
using fossa::testing::node_error;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(PlacementOrder, NodesWithTheMostFreeSlotsComeFirstAndFullOrStoppingOnesNotAtAll) {
  const std::vector<NodeCapacity> nodes = {
      {"a:1", 1, true}, {"b:1", 0, true}, {"c:1", 3, true}, {"d:1", 5, false}, {"e:1", 1, true}, {"f:1", 3, true}};
  EXPECT_THAT(placement_order(nodes), ElementsAre("c:1", "f:1", "a:1", "e:1"));
  EXPECT_TRUE(placement_order({{"a:1", 0, true}}).empty());
}

TEST(PlaceJob, GoesToTheNodeWithTheMostFreeSlots) {
  FakeClusterNodes nodes;
  nodes.nodes["a:1"].free_slots = 1;
  nodes.nodes["b:1"].free_slots = 2;
  const auto placement = place_job(nodes, "c", "{}");
  EXPECT_EQ(placement.outcome, Placement::Outcome::kAccepted);
  EXPECT_EQ(placement.node, "b:1");
  EXPECT_EQ(placement.task_id, "b:1-task-1");
  ASSERT_EQ(nodes.posts.size(), 1u);
  EXPECT_EQ(nodes.posts[0].second, "{}") << "the body goes on as it came";
}

TEST(PlaceJob, ANodesFullAnswerOrSilenceMovesOnToTheNextNode) {
  FakeClusterNodes nodes;
  nodes.nodes["a:1"] = {2, node_error(503, "Node at full capacity and can't accept new tasks")};
  nodes.nodes["b:1"] = {2, fossa::gateway::NodeAnswer{0, nullptr, "the node at b:1 is not answering"}};
  nodes.nodes["c:1"] = {1, std::nullopt};
  const auto placement = place_job(nodes, "c", "{}");
  EXPECT_EQ(placement.outcome, Placement::Outcome::kAccepted);
  EXPECT_EQ(placement.node, "c:1");
  EXPECT_EQ(nodes.posts.size(), 3u);
}

TEST(PlaceJob, ABadTaskIsTheNodesAnswerAndNoOtherNodeIsAsked) {
  FakeClusterNodes nodes;
  nodes.nodes["a:1"] = {2, node_error(412, "Model class 'X' is not in the list of accepted classes: A")};
  nodes.nodes["b:1"] = {1, std::nullopt};
  const auto placement = place_job(nodes, "c", "{}");
  EXPECT_EQ(placement.outcome, Placement::Outcome::kRefused);
  EXPECT_EQ(placement.status, 412);
  EXPECT_EQ(placement.message, "Model class 'X' is not in the list of accepted classes: A");
  EXPECT_EQ(nodes.posts.size(), 1u);
}

TEST(PlaceJob, ANodeRefusingTheGatewaysTokenIsABadGatewayNotTheClientsFault) {
  FakeClusterNodes nodes;
  nodes.nodes["a:1"] = {1, node_error(401, "a token is required")};
  const auto placement = place_job(nodes, "c", "{}");
  EXPECT_EQ(placement.status, 502);
  EXPECT_THAT(placement.message, HasSubstr("FOSSA_API_TOKEN"));
}

TEST(PlaceJob, NoFreeSlotSaysHowManyNodesWereAsked) {
  FakeClusterNodes nodes;
  nodes.nodes["a:1"].free_slots = 0;
  nodes.nodes["b:1"] = {1, node_error(503, "Node at full capacity and can't accept new tasks")};
  const auto placement = place_job(nodes, "c", "{}");
  EXPECT_EQ(placement.outcome, Placement::Outcome::kNoFreeSlot);
  EXPECT_EQ(placement.nodes_asked, 2);
  EXPECT_THAT(placement.message, HasSubstr("no node of cluster c has a free slot: 2 nodes asked (1 with no free slot, 1 full"));
}

TEST(PlaceJob, NoNodeAndNoClusterAreToldApart) {
  FakeClusterNodes nodes;
  EXPECT_EQ(place_job(nodes, "c", "{}").outcome, Placement::Outcome::kNoNode);
  const auto unknown = place_job(nodes, "elsewhere", "{}");
  EXPECT_EQ(unknown.outcome, Placement::Outcome::kNoCluster);
  EXPECT_EQ(unknown.message, "no cluster elsewhere");
}
