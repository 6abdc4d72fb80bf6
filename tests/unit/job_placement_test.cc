#include "jobs/job_placement.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes/fake_cluster_nodes.h"

#include <string>
#include <vector>

using fossa::gateway::NodeCapacity;
using fossa::gateway::place_job;
using fossa::gateway::Placement;
using fossa::gateway::placement_order;
using fossa::testing::FakeClusterNodes;
using fossa::testing::node_error;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

namespace {

NodeCapacity capacity(std::string address, int free_slots, bool accepting, std::string problem = "") {
  NodeCapacity node;
  node.address = std::move(address);
  node.free_slots = free_slots;
  node.accepting = accepting;
  node.problem = std::move(problem);
  return node;
}

}  // namespace

TEST(PlacementOrder, NodesWithTheMostFreeSlotsComeFirstAndFullOrStoppingOnesNotAtAll) {
  const std::vector<NodeCapacity> nodes = {capacity("a:1", 1, true), capacity("b:1", 0, true),  capacity("c:1", 3, true),
                                           capacity("d:1", 5, false), capacity("e:1", 1, true), capacity("f:1", 3, true),
                                           capacity("g:1", 9, true, "the node at g:1 is not answering")};
  EXPECT_THAT(placement_order(nodes), ElementsAre("c:1", "f:1", "a:1", "e:1"));
  EXPECT_TRUE(placement_order({capacity("a:1", 0, true)}).empty());
}

TEST(PlaceJob, GoesToTheNodeWithTheMostFreeSlots) {
  FakeClusterNodes nodes;
  nodes.nodes["a:1"].free_slots = 1;
  nodes.nodes["b:1"].free_slots = 2;
  const auto placement = place_job(nodes, "c", "{}");
  EXPECT_EQ(placement.outcome, Placement::Outcome::kAccepted);
  EXPECT_EQ(placement.node, "b:1");
  EXPECT_EQ(placement.task_id, "b-1-task-1");
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

// Issue 22: a node's task id goes into Location and pages; one with CR LF split the gateway's answer.
TEST(PlaceJob, ANodeAnsweringATaskIdThatIsNotAnIdIsA502AndNoOtherNodeRunsTheTask) {
  FakeClusterNodes nodes;
  nodes.nodes["a:1"] = {2, fossa::gateway::NodeAnswer{200, {{"task_id", "x\r\nSet-Cookie: a=b"}}, ""}};
  nodes.nodes["b:1"] = {1, std::nullopt};
  const auto placement = place_job(nodes, "c", "{}");
  EXPECT_EQ(placement.outcome, Placement::Outcome::kRefused);
  EXPECT_EQ(placement.status, 502);
  EXPECT_TRUE(placement.task_id.empty());
  EXPECT_THAT(placement.message, HasSubstr("the node at a:1 took the task but answered a task id that is not an id"));
  EXPECT_THAT(placement.message, HasSubstr(R"("x\r\nSet-Cookie: a=b")")) << "quoted, escaped";
  EXPECT_EQ(placement.message.find('\r'), std::string::npos);
  EXPECT_EQ(nodes.posts.size(), 1u) << "the node took it: no other node may run it as well";
  for (const std::string& bad : std::vector<std::string>{"..", ".", "a/b", "", std::string(129, 'a')}) {
    nodes.nodes["a:1"].answer = fossa::gateway::NodeAnswer{200, {{"task_id", bad}}, ""};
    EXPECT_EQ(place_job(nodes, "c", "{}").status, 502) << bad;
  }
}

// Issue 22: every node refusing the gateway's token is the gateway's misconfiguration (502 naming
// FOSSA_API_TOKEN, as docs/gateway.md says), not "no worker node is running".
TEST(PlaceJob, NodesRefusingTheGatewaysTokenForNodeInfoAre502NamingTheToken) {
  FakeClusterNodes nodes;
  nodes.without_node_info["a:1"] = "the node at a:1 refused the gateway's token (FOSSA_API_TOKEN): HTTP 401";
  nodes.without_node_info["b:1"] = "the node at b:1 refused the gateway's token (FOSSA_API_TOKEN): HTTP 401";
  const auto placement = place_job(nodes, "c", "{}");
  EXPECT_EQ(placement.outcome, Placement::Outcome::kRefused);
  EXPECT_EQ(placement.status, 502);
  EXPECT_THAT(placement.message, HasSubstr("refused the gateway's token (FOSSA_API_TOKEN)"));
  EXPECT_TRUE(nodes.posts.empty());
}

TEST(PlaceJob, NodesThatGaveNoNodeInfoAreSkippedAndNamedWhenNoneAnswered) {
  FakeClusterNodes nodes;
  nodes.without_node_info["a:1"] = "the node at a:1 did not answer within 5000 ms (--node-timeout)";
  const auto none = place_job(nodes, "c", "{}");
  EXPECT_EQ(none.outcome, Placement::Outcome::kNoNode);
  EXPECT_EQ(none.message, "no worker node of cluster c is running; the node at a:1 did not answer within 5000 ms (--node-timeout)");
  nodes.nodes["b:1"].free_slots = 1;
  const auto placed = place_job(nodes, "c", "{}");
  EXPECT_EQ(placed.outcome, Placement::Outcome::kAccepted);
  EXPECT_EQ(placed.node, "b:1");
  EXPECT_EQ(placed.nodes_asked, 1);
}
