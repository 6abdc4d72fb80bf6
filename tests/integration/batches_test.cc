// Batches between our own nodes (docs/node.md, "Batches"): real `fossa node` processes on a private
// broker. Short subtasks go in batches to nodes of ours only; a node killed while it holds a batch
// loses none of it; a worker that plays Python Fossa's sees single subtasks only.
#include <gtest/gtest.h>
#include <signal.h>

#include <memory>
#include <regex>

#include "amqp/connection.h"
#include "amqp/subtask_batch.h"
#include "amqp/subtask_codec.h"
#include "cluster/broker_process.h"
#include "support/gate.h"
#include "support/node_process.h"
#include "support/queue_reader.h"

namespace {

using fossa::BrokerProcess;
using fossa::testing::Gate;
using fossa::testing::NodeProcess;

std::unique_ptr<BrokerProcess> start_broker() {
  auto broker = BrokerProcess::start({});
  if (!broker) throw std::runtime_error("cannot start RabbitMQ: " + broker.error());
  return std::move(broker).value();
}

std::unique_ptr<NodeProcess> node_on(const BrokerProcess& broker, const std::string& ident, int capacity, bool consume) {
  auto node = std::make_unique<NodeProcess>(
      std::vector<std::string>{"--node-ident", ident, "--max-concurrent-tasks", std::to_string(capacity),
                               "--consume-subtasks", consume ? "1" : "0"},
      std::vector<std::string>{"RABBITMQ_URL=" + broker.amqp_url()});
  node->wait_for_log("connected to RabbitMQ");
  return node;
}

bool has(const std::string& line, std::initializer_list<const char*> parts) {
  for (const char* part : parts) {
    if (line.find(part) == std::string::npos) return false;
  }
  return true;
}

// What the broker holds ready in `queue`, through a connection of the test's own.
fossa::amqp::Connection::QueueCount ready_in(const BrokerProcess& broker, const std::string& queue) {
  auto opened = fossa::amqp::Connection::open({broker.amqp_url()});
  if (!opened) throw std::runtime_error(opened.error());
  auto count = (*opened)->count_queue(queue);
  if (!count) throw std::runtime_error(count.error());
  return *count;
}

}  // namespace

TEST(Batches, ShortSubtasksGoInBatchesToNodesOfOursWhileAPythonWorkerSeesSingleSubtasksOnly) {
  auto broker = start_broker();
  auto parent = node_on(*broker, "parent", 1, /*consume=*/false);
  auto worker = node_on(*broker, "worker", 4, /*consume=*/true);
  // A worker as Python Fossa's is: it reads fossa_task_queue, one subtask at a time.
  auto opened = fossa::amqp::Connection::open({broker->amqp_url()});
  ASSERT_TRUE(opened) << opened.error();
  auto& python = **opened;
  ASSERT_TRUE(python.declare_queue("fossa_task_queue", true, false));
  ASSERT_TRUE(python.consume("fossa_task_queue", 1));

  const std::string id = parent->submit({{"model_class", "Fanout"}, {"resolver_context", {{"subtasks", "3000"}}}});
  ASSERT_FALSE(id.empty());
  const auto held = fossa::testing::next_delivery(python);
  ASSERT_TRUE(held) << "no subtask reached the Python worker: " << held.error();
  // It holds that subtask while the rest run on the node of ours, which answers with its run times.
  parent->wait_for_log("sent in batches");
  const auto& m = held->message;
  EXPECT_FALSE(m.headers.contains(std::string(fossa::amqp::kBatchHeader)));
  const auto decoded = fossa::amqp::decode_subtask(m.body, m.reply_to, m.correlation_id);
  // (This test's program has no Fanout model: a task for another model is still a task.)
  const auto* task = std::get_if<fossa::amqp::SubtaskForAnotherModel>(&decoded);
  ASSERT_NE(task, nullptr) << "a single subtask of Python's protocol: " << m.body;
  EXPECT_EQ(task->task.spec.method, "noop");
  opened->reset();  // it leaves without answering: the broker gives the subtask to the node

  const auto doc = parent->wait_for_end(id);
  ASSERT_EQ(doc["status"], "complete") << doc.dump();
  EXPECT_EQ(doc["subtasks"]["done"], 3000);
  EXPECT_EQ(doc["subtasks"]["failed"], 0);
  bool batched = false;
  for (const auto& line : worker->log_lines()) batched = batched || has(line, {"subtask from the queue started", "batch=yes"});
  EXPECT_TRUE(batched) << "the node of ours ran subtasks that came in batches";
  EXPECT_EQ(ready_in(*broker, std::string(fossa::amqp::kBatchQueue)).ready, 0u);
  EXPECT_EQ(ready_in(*broker, "fossa_dead_letters").ready, 0u);
}

TEST(Batches, ANodeKilledHoldingABatchLosesNoneOfItAndEachSubtaskCountsOnce) {
  auto broker = start_broker();
  auto parent = node_on(*broker, "parent", 1, /*consume=*/false);
  auto doomed = node_on(*broker, "doomed", 4, /*consume=*/true);
  Gate gate;
  // 100 no-op subtasks first (the parent learns they are short, and batches), then 100 that wait
  // at the gate: the doomed node takes batches of them and holds them, running 4.
  const std::string id = parent->submit({{"model_class", "GatedAfterFanout"},
                                         {"resolver_context", {{"subtasks", "200"}, {"fast", "100"}, {"gate", gate.path()}}}});
  ASSERT_FALSE(id.empty());
  // One of the gated half started from a batch: it waits at the gate, so its batch is held,
  // unacknowledged, with the subtasks after it.
  doomed->wait_for_log([](const std::string& line) {
    static const std::regex started("subtask from the queue started task_id=[a-z]+:([0-9]+)::.* batch=yes");
    std::smatch match;
    return std::regex_search(line, match, started) && std::stoi(match[1]) >= 100;
  });
  doomed->stop(SIGKILL);

  auto survivor = node_on(*broker, "survivor", 4, /*consume=*/true);
  const auto let_through = gate.open_for(100);
  const auto doc = parent->wait_for_end(id);
  ASSERT_EQ(doc["status"], "complete") << doc.dump();
  EXPECT_EQ(doc["subtasks"]["done"], 200);
  EXPECT_EQ(doc["subtasks"]["failed"], 0);
  bool redelivered_batch = false;
  for (const auto& line : survivor->log_lines()) {
    redelivered_batch = redelivered_batch || has(line, {"subtask from the queue started", "batch=yes", "redelivered=yes"});
  }
  EXPECT_TRUE(redelivered_batch) << "the batch the doomed node held came back whole, to the survivor";
}
