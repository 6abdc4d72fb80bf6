// Subtasks across nodes over RabbitMQ: real `fossa node` processes and a private broker started
// by each test (BrokerProcess), checked through the nodes' API and the broker's queues.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <set>

#include "amqp/connection.h"
#include "cluster/broker_process.h"
#include "support/command.h"
#include "support/gate.h"
#include "support/node_process.h"

namespace {

using fossa::BrokerProcess;
using fossa::testing::Gate;
using fossa::testing::NodeProcess;
using ::testing::Contains;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;

std::unique_ptr<BrokerProcess> start_broker() {
  auto broker = BrokerProcess::start({});
  if (!broker) throw std::runtime_error("cannot start RabbitMQ: " + broker.error());
  return std::move(broker).value();
}

// A wait_for_log predicate: the line contains `text`.
std::function<bool(const std::string&)> has(std::string text) {
  return [text = std::move(text)](const std::string& line) { return line.find(text) != std::string::npos; };
}

// The one connection in `connections` (the broker's) from the node `ident`: its links log in as
// "fossa node <ident>".
ayeaye::Result<BrokerProcess::ClientConnection> sole_connection_of(
    const ayeaye::Result<std::vector<BrokerProcess::ClientConnection>>& connections, const std::string& ident) {
  using R = ayeaye::Result<BrokerProcess::ClientConnection>;
  if (!connections) return R::fail(connections.error());
  std::vector<BrokerProcess::ClientConnection> found;
  for (const auto& connection : *connections) {
    if (connection.client_name == "fossa node " + ident) found.push_back(connection);
  }
  if (found.size() != 1) return R::fail("the broker has " + std::to_string(found.size()) + " connections from node " + ident);
  return found.front();
}

// A node on the broker: `ident` names it in answers; coordinators take no subtasks.
std::unique_ptr<NodeProcess> node_on(const BrokerProcess& broker, const std::string& ident, int capacity,
                                     bool consume = true, const std::vector<std::string>& more = {}) {
  std::vector<std::string> args{"--node-ident", ident, "--max-concurrent-tasks", std::to_string(capacity),
                                "--consume-subtasks", consume ? "1" : "0"};
  args.insert(args.end(), more.begin(), more.end());
  auto node = std::make_unique<NodeProcess>(args, std::vector<std::string>{"RABBITMQ_URL=" + broker.amqp_url()});
  // Ready to serve HTTP is not yet taking subtasks: its link says when it has its queues and
  // consumers (a job posted before that may be over before this node takes any part of it).
  node->wait_for_log("connected to RabbitMQ");
  return node;
}

// The documents of a parent's subtasks ("<parent>.<i>"), from the parent's node.
std::vector<ayeaye::Json> subtask_docs(const NodeProcess& node, const std::string& parent, int count) {
  std::vector<ayeaye::Json> docs;
  for (int i = 0; i < count; ++i) docs.push_back(node.get("/api/0.01/task/" + parent + "." + std::to_string(i)).json());
  return docs;
}

TEST(Distribution, SubtasksSpreadOverTheWorkerNodes) {
  auto broker = start_broker();
  auto parent = node_on(*broker, "coordinator", 1, /*consume=*/false);
  auto worker_a = node_on(*broker, "worker-a", 2);
  auto worker_b = node_on(*broker, "worker-b", 2);
  const std::string id = parent->submit({{"model_class", "PartitionedExampleEtl"}, {"resolver_context", {{"complexity", "2"}}}});
  ASSERT_FALSE(id.empty());
  const auto doc = parent->wait_for_end(id);
  ASSERT_EQ(doc["status"], "complete") << doc.dump();
  EXPECT_EQ(doc["subtasks"]["total"], 16);
  EXPECT_EQ(doc["subtasks"]["done"], 16);
  EXPECT_EQ(doc["subtasks"]["failed"], 0);
  std::multiset<std::string> nodes;
  for (const auto& sub : subtask_docs(*parent, id, 16)) {
    EXPECT_EQ(sub["status"], "complete") << sub.dump();
    nodes.insert(sub.value("node", "(none)"));
  }
  EXPECT_EQ(nodes.count("coordinator"), 0u) << "a coordinator-only node takes no subtasks";
  EXPECT_GT(nodes.count("worker-a"), 0u);
  EXPECT_GT(nodes.count("worker-b"), 0u);
  EXPECT_EQ(nodes.count("worker-a") + nodes.count("worker-b"), 16u);
  // Each worker's own documents of what it ran, under the protocol's ids.
  const auto info = worker_a->get("/api/0.01/node_info").json();
  EXPECT_EQ(info["node_info"]["node_ident"], "worker-a");
}

TEST(Distribution, APartialFailureNamesTheFailedSubtaskOnTheParentsNode) {
  auto broker = start_broker();
  auto parent = node_on(*broker, "parent", 1, /*consume=*/false);
  auto worker = node_on(*broker, "worker", 3);
  const std::string id = parent->submit({{"model_class", "PartialFailure"}});
  const auto doc = parent->wait_for_end(id);
  ASSERT_EQ(doc["status"], "failed") << doc.dump();
  const std::string origin = doc["results"]["payload"]["failure_origin_task_id"];
  const auto sub = parent->get("/api/0.01/task/" + origin).json();
  EXPECT_EQ(sub["status"], "failed");
  EXPECT_EQ(sub["node"], "worker");
  EXPECT_EQ(sub["results"]["payload"]["exception_class_name"], "std::domain_error");
  EXPECT_GE(doc["subtasks"]["retried"].get<int>(), 1) << "a failed subtask is sent once more before it counts";
}

TEST(Distribution, SecondTimeLuckyCompletesThroughARetry) {
  auto broker = start_broker();
  auto node = node_on(*broker, "solo", 3);
  fossa::testing::TempDir output;
  const std::string id =
      node->submit({{"model_class", "SecondTimeLucky"}, {"resolver_context", {{"output_datasets", output.path()}}}});
  const auto doc = node->wait_for_end(id);
  ASSERT_EQ(doc["status"], "complete") << doc.dump();
  EXPECT_GE(doc["subtasks"]["retried"].get<int>(), 1);
  EXPECT_EQ(doc["subtasks"]["failed"], 0);
}

// (A task for a model the node lacks is not among them: it goes to another node, nodes_that_differ_test.cc.)
TEST(Distribution, MessagesThatAreNotTasksGoToTheDeadLetterQueueWithTheirReason) {
  auto broker = start_broker();
  auto node = node_on(*broker, "worker", 2);
  auto client = fossa::amqp::Connection::open({broker->amqp_url()});
  ASSERT_TRUE(client) << client.error();
  auto& c = **client;
  ASSERT_TRUE(c.declare_queue("fossa_task_queue", true, false));
  ASSERT_TRUE(c.declare_queue("fossa_dead_letters", true, false));
  auto replies = c.declare_queue("", false, true);
  ASSERT_TRUE(replies);
  auto raw = [](std::string body, std::string reply_to, std::string correlation_id) {
    fossa::amqp::Message m;
    m.body = std::move(body);
    m.reply_to = std::move(reply_to);
    m.correlation_id = std::move(correlation_id);
    return m;
  };
  const std::vector<std::pair<fossa::amqp::Message, std::string>> bad = {
      {raw("this is not json", *replies, "bad:0"), "the body is not JSON"},
      {raw(R"({"method": "go"})", *replies, "bad:1"), "'model_class' is a mandatory field"},
      {raw(R"({"model_class": "NothingEtl", "method_kwargs": []})", *replies, "bad:2"), "method_kwargs"},
      {raw(R"({"model_class": "NothingEtl"})", "", "bad:3"), "no reply_to"},
  };
  for (const auto& [message, reason] : bad) ASSERT_TRUE(c.publish("fossa_task_queue", message));
  ASSERT_TRUE(c.consume("fossa_dead_letters", 10));
  std::map<std::string, std::string> reasons;  // correlation id -> reason
  while (reasons.size() < bad.size()) {
    auto incoming = c.poll(std::chrono::seconds(60));  // a hang guard, not a synchronisation
    ASSERT_TRUE(incoming) << incoming.error();
    ASSERT_FALSE(incoming->empty()) << "the dead letters did not all arrive";
    for (auto& item : *incoming) {
      if (auto* delivery = std::get_if<fossa::amqp::Delivery>(&item)) {
        auto& headers = delivery->message.headers;
        reasons[headers["x-fossa-original-correlation-id"]] = headers["x-fossa-reason"];
        EXPECT_EQ(headers["x-fossa-rejected-by"], "worker");
        ASSERT_TRUE(c.ack(delivery->delivery_tag));
      }
    }
  }
  for (const auto& [message, reason] : bad) EXPECT_THAT(reasons[message.correlation_id], HasSubstr(reason));
  // Nothing else was disturbed: the node still runs subtasks from the queue.
  const std::string id = node->submit({{"model_class", "PartitionedExampleEtl"}, {"resolver_context", {{"complexity", "1"}}}});
  EXPECT_EQ(node->wait_for_end(id)["status"], "complete");
}

TEST(Distribution, ANodeKilledMidJobLosesNothingAndEachResultCountsOnce) {
  auto broker = start_broker();
  auto parent = node_on(*broker, "parent", 1, /*consume=*/false);
  auto doomed = node_on(*broker, "doomed", 2);
  fossa::testing::TempDir output;
  const std::string id = parent->submit({{"model_class", "StaggeredEtl"},
                                         {"resolver_context", {{"requested_workers", "12"}, {"output_datasets", output.path()}}}});
  ASSERT_FALSE(id.empty());
  // Once the doomed node is running subtasks it has taken (and not acknowledged), kill it.
  doomed->wait_for_log([](const std::string& line) { return line.find("subtask from the queue started") != std::string::npos; });
  doomed->stop(SIGKILL);
  auto survivor = node_on(*broker, "survivor", 4);
  const auto doc = parent->wait_for_end(id);
  ASSERT_EQ(doc["status"], "complete") << doc.dump();
  EXPECT_EQ(doc["subtasks"]["done"], 12);
  EXPECT_EQ(doc["subtasks"]["failed"], 0);
  // The model heard each subtask once: its partition_subtask_complete wrote one row per subtask.
  std::ifstream csv(output.path() + "/staggered_results.csv");
  int rows = -1;  // the header
  for (std::string line; std::getline(csv, line);) ++rows;
  EXPECT_EQ(rows, 12);
  std::set<std::string> nodes;
  for (const auto& sub : subtask_docs(*parent, id, 12)) nodes.insert(sub.value("node", ""));
  EXPECT_TRUE(nodes.count("survivor") > 0) << "the killed node's subtasks were redelivered";
}

// How a Fargate worker leaves (scale-in, a new deployment, a spot reclaim): SIGTERM, then up to
// its stopTimeout to finish. Its running subtask ends there and counts; it takes nothing more; the
// rest run elsewhere; its answer is acknowledged before it goes, so nothing runs twice.
TEST(Distribution, ADrainingNodeFinishesItsSubtaskTakesNoMoreAndTheRestRunElsewhere) {
  auto broker = start_broker();
  Gate gate;
  auto parent = node_on(*broker, "parent", 1, /*consume=*/false);
  auto leaving = node_on(*broker, "leaving", 1, true, {"--drain-seconds", "600"});
  const std::string id = parent->submit({{"model_class", "GatedFanout"},
                                         {"resolver_context", {{"subtasks", "3"}, {"gate", gate.path()}}}});
  ASSERT_FALSE(id.empty());
  leaving->wait_for_log([](const std::string& l) { return l.find("subtask from the queue started") != std::string::npos; });

  ASSERT_EQ(::kill(leaving->pid(), SIGTERM), 0);
  leaving->wait_for_log([](const std::string& l) { return l.find("letting running ones finish") != std::string::npos; });
  gate.open();  // the leaving node's subtask
  const auto status = leaving->stop(SIGTERM);  // already stopping: only waits for the exit
  EXPECT_TRUE(status.success()) << status.describe();

  auto staying = node_on(*broker, "staying", 1);
  gate.open();
  gate.open();
  const auto doc = parent->wait_for_end(id);
  ASSERT_EQ(doc["status"], "complete") << doc.dump();
  EXPECT_EQ(doc["subtasks"]["done"], 3);
  EXPECT_EQ(doc["subtasks"]["failed"], 0);
  std::multiset<std::string> nodes;
  for (const auto& sub : subtask_docs(*parent, id, 3)) nodes.insert(sub.value("node", "(none)"));
  EXPECT_EQ(nodes.count("leaving"), 1u);
  EXPECT_EQ(nodes.count("staying"), 2u);
  int started = 0;
  for (const auto& line : leaving->log_lines()) started += line.find("subtask from the queue started") != std::string::npos;
  EXPECT_EQ(started, 1) << "a draining node started another subtask";
  // Three passes through the gate were enough: had the leaving node's answer gone unacknowledged,
  // the broker would have handed that subtask to the staying node too, and the job would wait.
}

TEST(Distribution, AJobSurvivesABrokerRestart) {
  auto broker = start_broker();
  auto parent = node_on(*broker, "parent", 1, /*consume=*/false);
  auto worker = node_on(*broker, "worker", 2);
  fossa::testing::TempDir output;
  const std::string id = parent->submit({{"model_class", "StaggeredEtl"},
                                         {"resolver_context", {{"requested_workers", "2"}, {"output_datasets", output.path()}}}});
  worker->wait_for_log([](const std::string& line) { return line.find("subtask from the queue started") != std::string::npos; });
  broker->kill();
  auto restarted = broker->restart();
  ASSERT_TRUE(restarted) << restarted.error();
  const auto doc = parent->wait_for_end(id);
  ASSERT_EQ(doc["status"], "complete") << doc.dump();
  EXPECT_EQ(doc["subtasks"]["done"], 12);
  EXPECT_EQ(doc["subtasks"]["failed"], 0);
  parent->wait_for_log([](const std::string& line) { return line.find("reconnected to RabbitMQ") != std::string::npos; });
}

TEST(Distribution, HeartbeatsKeepFlowingThroughSubtasksLongerThanTheBrokersPatience) {
  auto broker = start_broker();
  // With 1 s heartbeats the broker drops a connection silent for 2 s; each subtask takes 6 s.
  const std::vector<std::string> env = {"RABBITMQ_URL=" + broker->amqp_url(), "FOSSA_AMQP_HEARTBEAT=1"};
  NodeProcess parent({"--node-ident", "parent", "--max-concurrent-tasks", "1", "--consume-subtasks", "0"}, env);
  NodeProcess worker({"--node-ident", "worker", "--max-concurrent-tasks", "12"}, env);
  for (NodeProcess* node : {&parent, &worker}) node->wait_for_log(has("connected to RabbitMQ"));
  std::map<std::string, std::string> connection_before;  // node -> the broker's name of its connection
  const auto connections_before = broker->connections();
  for (const std::string ident : {"parent", "worker"}) {
    const auto connection = sole_connection_of(connections_before, ident);
    ASSERT_TRUE(connection) << connection.error();
    EXPECT_EQ(connection->heartbeat_seconds, 1) << "the broker's heartbeat for " << ident << " is its FOSSA_AMQP_HEARTBEAT";
    connection_before[ident] = connection->name;
  }

  fossa::testing::TempDir output;
  const std::string id = parent.submit({{"model_class", "StaggeredEtl"},
                                        {"resolver_context",
                                         {{"requested_workers", "12"}, {"subtask_seconds", "6"}, {"output_datasets", output.path()}}}});
  const auto doc = parent.wait_for_end(id);
  ASSERT_EQ(doc["status"], "complete") << doc.dump();
  EXPECT_EQ(doc["subtasks"]["retried"], 0);
  // Each node is still on the connection it had before the job: one the broker had dropped for
  // silence would have been replaced by a new one, from another client port, under another name.
  const auto connections_after = broker->connections();
  for (const std::string ident : {"parent", "worker"}) {
    const auto connection = sole_connection_of(connections_after, ident);
    ASSERT_TRUE(connection) << connection.error();
    EXPECT_EQ(connection->name, connection_before[ident]) << ident << "'s connection was replaced during the job";
  }
  for (NodeProcess* node : {&parent, &worker}) {
    for (const auto& line : node->log_lines()) EXPECT_THAT(line, Not(HasSubstr("lost RabbitMQ")));
  }
}

TEST(Distribution, TheBrokerDropsTheLinkOfANodeThatFallsSilentAndTheNodeReconnects) {
  auto broker = start_broker();
  NodeProcess node({"--node-ident", "stalled", "--max-concurrent-tasks", "1"},
                   {"RABBITMQ_URL=" + broker->amqp_url(), "FOSSA_AMQP_HEARTBEAT=1"});
  node.wait_for_log(has("connected to RabbitMQ"));
  const auto before = sole_connection_of(broker->connections(), "stalled");
  ASSERT_TRUE(before) << before.error();
  EXPECT_EQ(before->heartbeat_seconds, 1);

  // A stopped process sends nothing, heartbeats included, while its kernel keeps the TCP
  // connection open: only the heartbeats tell the broker that the node is gone.
  ASSERT_EQ(::kill(node.pid(), SIGSTOP), 0);
  struct Resume {
    pid_t pid;
    ~Resume() { ::kill(pid, SIGCONT); }  // also when an assertion below fails: the node must stop
  } resume{node.pid()};
  // Asked again and again, with a deadline: the stopped node cannot report, and the broker tells
  // of the drop only in its own log (each question takes seconds: rabbitmqctl starts a VM).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
  bool dropped = false;
  while (!dropped && std::chrono::steady_clock::now() < deadline) {
    const auto connections = broker->connections();
    ASSERT_TRUE(connections) << connections.error();
    dropped = std::none_of(connections->begin(), connections->end(), [&](const auto& c) { return c.name == before->name; });
  }
  ASSERT_TRUE(dropped) << "the broker kept the silent node's connection " << before->name << " for 2 minutes";

  ASSERT_EQ(::kill(node.pid(), SIGCONT), 0);
  node.wait_for_log(has("lost RabbitMQ"));
  node.wait_for_log(has("reconnected to RabbitMQ"));
  const auto after = sole_connection_of(broker->connections(), "stalled");
  ASSERT_TRUE(after) << after.error();
  EXPECT_NE(after->name, before->name);
  EXPECT_EQ(after->heartbeat_seconds, 1);
}

// A parent hears its remote subtasks' log() lines (x-fossa-log-replies): each in the subtask's
// document on the parent's node, and in the parent task's own log, tagged with its subtask.
TEST(Distribution, AWorkersModelLogLinesReachTheParentTaggedWithTheirSubtask) {
  auto broker = start_broker();
  auto parent = node_on(*broker, "parent", 1, /*consume=*/false);
  auto worker = node_on(*broker, "worker", 3);
  const std::string id = parent->submit({{"model_class", "TalkativeFanout"},
                                         {"resolver_context", {{"subtasks", "3"}, {"log_lines", "2"}, {"stdout_lines", "0"}}}});
  ASSERT_FALSE(id.empty());
  const auto doc = parent->wait_for_end(id);
  ASSERT_EQ(doc["status"], "complete") << doc.dump();
  const auto parent_log = doc["log_tail"].get<std::vector<std::string>>();
  const auto subtasks = subtask_docs(*parent, id, 3);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(subtasks[i]["node"], "worker");
    const auto subtask_log = subtasks[i]["log_tail"].get<std::vector<std::string>>();
    for (int n = 1; n <= 2; ++n) {
      const std::string line = "subtask " + std::to_string(i) + " log line " + std::to_string(n);
      EXPECT_THAT(subtask_log, Contains("INFO " + line)) << "subtask " << i << "'s document";
      EXPECT_THAT(parent_log, Contains(EndsWith("[subtask " + std::to_string(i) + "] " + line))) << "the parent's log";
    }
  }
}

// One query by job id finds a job's lines on every node (a job page's link to CloudWatch Logs): the
// worker's lines about the parent's subtasks, and the model's own lines it relays, carry the job's
// id (the parent's task id) in their job_id field, from the parent's x-fossa-job-id header.
TEST(Distribution, TheWorkersLogLinesAboutAJobsSubtasksCarryTheJobsId) {
  auto broker = start_broker();
  auto parent = node_on(*broker, "parent", 1, /*consume=*/false, {"--log-format", "json"});
  auto worker = node_on(*broker, "worker", 3, /*consume=*/true, {"--log-format", "json"});
  const std::string id = parent->submit({{"model_class", "TalkativeFanout"},
                                         {"resolver_context", {{"subtasks", "3"}, {"log_lines", "2"}, {"stdout_lines", "1"}}}});
  ASSERT_FALSE(id.empty());
  ASSERT_EQ(parent->wait_for_end(id)["status"], "complete");
  // The worker wrote each line before it answered; its log may still be on its way to the test.
  for (int i = 0; i < 3; ++i) {
    for (const std::string line : {"log line 1", "log line 2", "stdout line 1"}) {
      worker->wait_for_log(has("subtask " + std::to_string(i) + " " + line));
    }
  }
  int started = 0, model_lines = 0;
  for (const auto& text : worker->log_lines()) {
    const ayeaye::Json line = ayeaye::Json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!line.is_object() || !line.contains("task_id")) continue;
    EXPECT_EQ(line.value("job_id", std::string()), id) << "a line about a subtask of job " << id << ": " << text;
    started += line.value("msg", std::string()) == "subtask from the queue started";
    model_lines += line.value("from", std::string()) == "model";
  }
  EXPECT_EQ(started, 3) << "the worker ran the three subtasks";
  EXPECT_EQ(model_lines, 9) << "each subtask's two log() lines and one printed line, relayed by the worker";
  // And on the parent's node, its own lines about the job carry it too.
  const std::string accepted = parent->wait_for_log(has("task accepted"));
  EXPECT_THAT(accepted, HasSubstr("\"job_id\":\"" + id + "\""));
}

// A subtask's document on the parent's node tells its wait from its work: when it was sent, when
// the worker took it, ran it and ended (the worker's x-fossa-times header); its queue wait and run
// add up to its time from sending to answer; the parent's document and `fossa submit --wait` add
// them up. One slot on the worker and three subtasks in flight: each but the first waits there.
TEST(Distribution, ASubtasksDocumentTellsItsQueueWaitFromItsRun) {
  auto broker = start_broker();
  auto parent = node_on(*broker, "parent", 1, /*consume=*/false);
  auto worker = node_on(*broker, "worker", 1);
  fossa::testing::TempDir output;
  const auto submitted = fossa::testing::run_command(
      fossa::testing::fossa_bin(), {"submit", "StaggeredEtl", "--node", parent->url(), "-c", "requested_workers=3", "-c",
                                    "subtask_seconds=0.2", "-c", "output_datasets=" + output.path(), "--wait"});
  ASSERT_EQ(submitted.exit_code, 0) << submitted.out << submitted.err;
  EXPECT_THAT(submitted.out, HasSubstr("subtasks ran for ")) << submitted.out;
  EXPECT_THAT(submitted.out, HasSubstr(" in the queue")) << submitted.out;
  EXPECT_THAT(submitted.out, Not(HasSubstr("not known"))) << "every subtask ran on a node of ours";
  const std::string id = submitted.out.substr(5, submitted.out.find(' ', 5) - 5);  // "task <id> accepted ..."
  const auto doc = parent->get("/api/0.01/task/" + id).json();
  ASSERT_EQ(doc["status"], "complete") << doc.dump();

  double runs = 0;
  double waits = 0;
  for (const auto& sub : subtask_docs(*parent, id, 12)) {
    ASSERT_EQ(sub["status"], "complete") << sub.dump();
    for (const char* time : {"sent", "taken", "run_started", "run_ended", "finished"}) {
      ASSERT_TRUE(sub.contains(time) && sub[time].is_string()) << time << " in " << sub.dump();
    }
    // One machine, one clock: the times follow each other (ISO times order as text).
    EXPECT_LE(sub["sent"].get<std::string>(), sub["taken"].get<std::string>()) << sub.dump();
    EXPECT_LE(sub["taken"].get<std::string>(), sub["run_started"].get<std::string>()) << sub.dump();
    EXPECT_LE(sub["run_started"].get<std::string>(), sub["run_ended"].get<std::string>()) << sub.dump();
    EXPECT_LE(sub["run_ended"].get<std::string>(), sub["finished"].get<std::string>()) << sub.dump();
    const double span = sub["duration_seconds"];
    const double wait = sub["queue_wait_seconds"];
    const double run = sub["run_seconds"];
    EXPECT_GE(wait, 0) << sub.dump();
    EXPECT_GE(run, 0.2) << "it slept 0.2 s: " << sub.dump();
    EXPECT_LE(run, span) << sub.dump();
    EXPECT_NEAR(wait + run, span, 1e-6) << sub.dump();
    runs += run;
    waits += wait;
  }
  EXPECT_GE(waits, 0.2) << "with one slot, a subtask taken while another runs waits at least that one's 0.2 s";
  EXPECT_NEAR(doc["subtasks"]["run_seconds"].get<double>(), runs, 1e-3) << doc["subtasks"].dump();
  EXPECT_NEAR(doc["subtasks"]["queue_wait_seconds"].get<double>(), waits, 1e-3) << doc["subtasks"].dump();
  EXPECT_EQ(doc["subtasks"]["untimed_attempts"], 0) << doc["subtasks"].dump();
}

TEST(Distribution, ANodeCutOffFromRabbitMQIsNotReadyAndSaysWhyUntilItsLinkIsBack) {
  auto broker = start_broker();
  auto node = node_on(*broker, "worker", 1);
  node->wait_for_log(has("connected to RabbitMQ"));
  EXPECT_EQ(node->get("/readyz").status, 200);

  broker->kill();
  node->wait_for_log(has("lost RabbitMQ"));
  const auto down = node->get("/readyz");
  EXPECT_EQ(down.status, 503);
  EXPECT_EQ(down.json()["status"], "not connected");
  EXPECT_THAT(down.json().value("message", ""), HasSubstr("not connected to RabbitMQ since ")) << down.body;

  auto restarted = broker->restart();
  ASSERT_TRUE(restarted) << restarted.error();
  node->wait_for_log(has("reconnected to RabbitMQ"));
  const auto up = node->get("/readyz");
  EXPECT_EQ(up.status, 200) << up.body;
  EXPECT_EQ(up.json()["status"], "ready");
}

TEST(Distribution, ANodeThatCannotReachRabbitMQIsNotReadyAndSaysWhy) {
  // Nothing listens there: the port was free a moment ago and nobody was given it.
  const std::string url = "amqp://guest:guest@127.0.0.1:" + std::to_string(fossa::find_free_port()) + "/";
  NodeProcess node({"--node-ident", "alone"}, {"RABBITMQ_URL=" + url});
  node.wait_for_log(has("cannot reach RabbitMQ"));
  const auto answer = node.get("/readyz");
  EXPECT_EQ(answer.status, 503);
  EXPECT_THAT(answer.json().value("message", ""), HasSubstr("not connected to RabbitMQ since ")) << answer.body;
  EXPECT_THAT(answer.json().value("message", ""), HasSubstr("cannot connect to 127.0.0.1:")) << answer.body;
}

}  // namespace
