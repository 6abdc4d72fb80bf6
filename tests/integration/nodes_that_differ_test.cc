// Nodes that differ (issue 24): a cluster whose nodes do not all have the same models — a rolling
// deployment's old and new images side by side, or nodes built with other models. A subtask must
// reach a node that can run it; when none can, its job fails in bounded time naming the model.
//
// "A node without the model" is a real one: `fossa` as it ships (the example models alone) lacks
// the tests' fixture models, which `fossa-fixtures` has. Real processes and a private broker per
// test; every wait is for a log line or the job's end, never for time to pass.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "amqp/connection.h"
#include "cluster/broker_process.h"
#include "support/command.h"
#include "support/node_process.h"

namespace {

using fossa::BrokerProcess;
using fossa::testing::NodeProcess;
using ::testing::HasSubstr;

std::unique_ptr<BrokerProcess> start_broker() {
  auto broker = BrokerProcess::start({});
  if (!broker) throw std::runtime_error("cannot start RabbitMQ: " + broker.error());
  return std::move(broker).value();
}

// A node of `program` (fossa-fixtures, or fossa as it ships) on the broker, once its link has its
// queues and consumers.
std::unique_ptr<NodeProcess> node_of(const std::string& program, const BrokerProcess& broker, const std::string& ident,
                                     bool consume, const std::vector<std::string>& more = {}) {
  std::vector<std::string> args{"node", "--bind", "127.0.0.1", "--port", "0", "--node-ident", ident,
                                "--max-concurrent-tasks", "2", "--consume-subtasks", consume ? "1" : "0"};
  args.insert(args.end(), more.begin(), more.end());
  auto node = std::make_unique<NodeProcess>(
      NodeProcess::Launch{program, args, {"RABBITMQ_URL=" + broker.amqp_url()}, "fossa node ready"});
  node->wait_for_log("connected to RabbitMQ");
  return node;
}

// Messages ready in `queue` (0 when there is no such queue).
std::uint32_t ready_in(const BrokerProcess& broker, const std::string& queue) {
  auto client = fossa::amqp::Connection::open({broker.amqp_url()});
  if (!client) throw std::runtime_error(client.error());
  auto count = (*client)->count_queue(queue);
  if (!count) throw std::runtime_error(count.error());
  return count->ready;
}

constexpr int kSubtasks = 6;

TEST(NodesThatDiffer, ANodeWithoutTheModelHandsItsSubtasksBackAndTheJobCompletesOnTheOthers) {
  auto broker = start_broker();
  auto parent = node_of(fossa::testing::fossa_bin(), *broker, "parent", /*consume=*/false);
  // The only worker at first lacks the model: every subtask reaches it, and it must hand each back.
  auto old_image = node_of(fossa::testing::shipped_fossa_bin(), *broker, "old-image", /*consume=*/true);
  const std::string id = parent->submit({{"model_class", "TalkativeFanout"},
                                         {"resolver_context",
                                          {{"subtasks", std::to_string(kSubtasks)}, {"log_lines", "0"}, {"stdout_lines", "0"}}}});
  ASSERT_FALSE(id.empty());
  const std::string handed_back = old_image->wait_for_log("handed it back for another node");
  EXPECT_THAT(handed_back, HasSubstr("model=TalkativeFanout"));

  auto new_image = node_of(fossa::testing::fossa_bin(), *broker, "new-image", /*consume=*/true);
  const auto doc = parent->wait_for_end(id);
  ASSERT_EQ(doc["status"], "complete") << doc.dump();
  EXPECT_EQ(doc["subtasks"]["total"], kSubtasks);
  EXPECT_EQ(doc["subtasks"]["done"], kSubtasks);
  EXPECT_EQ(doc["subtasks"]["failed"], 0);
  EXPECT_EQ(doc["subtasks"]["retried"], 0) << "a subtask handed back is not a failed one";
  for (int i = 0; i < kSubtasks; ++i) {
    const auto sub = parent->get("/api/0.01/task/" + id + "." + std::to_string(i)).json();
    EXPECT_EQ(sub["status"], "complete") << sub.dump();
    EXPECT_EQ(sub["node"], "new-image") << sub.dump();
  }
  EXPECT_EQ(ready_in(*broker, "fossa_dead_letters"), 0u) << "a task for another node is not a dead letter";
}

TEST(NodesThatDiffer, WhenNoNodeHasTheModelTheJobFailsInBoundedTimeNamingIt) {
  auto broker = start_broker();
  auto parent = node_of(fossa::testing::fossa_bin(), *broker, "parent", /*consume=*/false);
  // Two nodes without the model; one gives a subtask up once it was first refused 2 s ago.
  auto first = node_of(fossa::testing::shipped_fossa_bin(), *broker, "lacks-it-1", true, {"--refused-subtask-limit", "2"});
  auto second = node_of(fossa::testing::shipped_fossa_bin(), *broker, "lacks-it-2", true, {"--refused-subtask-limit", "2"});
  const std::string id = parent->submit({{"model_class", "TalkativeFanout"},
                                         {"resolver_context", {{"subtasks", "2"}, {"log_lines", "0"}, {"stdout_lines", "0"}}}});
  ASSERT_FALSE(id.empty());
  // No time limit anywhere: without the give-up the job would wait for ever (and wait_for_end's
  // hang guard would fail this test).
  const auto doc = parent->wait_for_end(id);
  ASSERT_EQ(doc["status"], "failed") << doc.dump();
  const std::string origin = doc["results"]["payload"]["failure_origin_task_id"];
  const auto sub = parent->get("/api/0.01/task/" + origin).json();
  ASSERT_EQ(sub["status"], "failed") << sub.dump();
  const auto& failure = sub["results"]["payload"];
  EXPECT_EQ(failure["exception_class_name"], "fossa::NoNodeCanRunModel");
  const std::string last_line = failure["traceback"].back();
  EXPECT_THAT(last_line, HasSubstr("no node could run model 'TalkativeFanout'"));
  EXPECT_THAT(last_line, HasSubstr("lacks-it-"));
  EXPECT_THAT(doc["results"]["payload"]["traceback"].dump(), HasSubstr("no node could run model 'TalkativeFanout'"))
      << "the job's own failure says it";
  const auto gave_up = [](const std::string& line) { return line.find("no node could run a subtask's model") != std::string::npos; };
  const auto first_log = first->log_lines();
  const auto second_log = second->log_lines();
  const bool logged = std::any_of(first_log.begin(), first_log.end(), gave_up) ||
                      std::any_of(second_log.begin(), second_log.end(), gave_up);
  EXPECT_TRUE(logged) << "the node that gave up says so in its log";
  EXPECT_EQ(ready_in(*broker, "fossa_dead_letters"), 0u);
}

}  // namespace
