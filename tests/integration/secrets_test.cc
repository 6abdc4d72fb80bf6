// Secret context values (`--secret`, `resolver_context_secrets`, and a node's own FOSSA_SECRET_<KEY>)
// kept out of everything Fossa shows, end to end with real processes: `fossa run`'s output, a node's
// documents, pages, metrics and JSON logs, the subtask messages on a real broker, a worker node's
// view of them, and the gateway.
//
// The model is SecretTalker (examples/models/secret_talker.cc), which writes its secret next to a
// plain context value in every line it logs, prints or throws. Each check pairs the two on the same
// surface: the plain value is there (so the surface does carry the context or the model's lines,
// and the check could see a secret) and the secret is not. A run that completes proves the model
// still had the real secret: its parent checks every subtask's answer against it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "amqp/connection.h"
#include "ayeaye/task_message.h"
#include "cluster/broker_process.h"
#include "net/http.h"
#include "support/command.h"
#include "support/node_process.h"
#include "support/queue_reader.h"
#include "support/test_client.h"

namespace {

using fossa::testing::fossa_bin;
using fossa::testing::NodeProcess;
using fossa::testing::run_command;
using fossa::testing::TestClient;
using ::testing::HasSubstr;

const std::string kSecret = "s3cr3t-Vq7Zk2";
const std::string kGreeting = "plain-greeting-4821";

// What SecretTalker's lines become once the secret is redacted: "<what> token *** to greet <greeting>".
std::string redacted(const std::string& what) { return what + " token *** to greet " + kGreeting; }

// The check that can fail: the plain value reached `text` and the secret did not.
::testing::AssertionResult plain_but_not_secret(const std::string& text) {
  if (text.find(kGreeting) == std::string::npos) {
    return ::testing::AssertionFailure() << "the plain value '" << kGreeting
                                         << "' is not here, so its absence of the secret proves nothing:\n"
                                         << text;
  }
  if (text.find(kSecret) != std::string::npos) return ::testing::AssertionFailure() << "the secret is here:\n" << text;
  return ::testing::AssertionSuccess();
}

// `fossa run SecretTalker` with the secret, the plain value and `more`.
fossa::testing::CommandResult run_secret_talker(const std::vector<std::string>& more) {
  std::vector<std::string> args{"run", "SecretTalker", "--secret", "token=" + kSecret, "-c", "greeting=" + kGreeting};
  args.insert(args.end(), more.begin(), more.end());
  return run_command(fossa_bin(), args);
}

// A task body for SecretTalker, its token marked secret.
ayeaye::Json secret_task(const std::string& fail, int subtasks) {
  return {{"model_class", "SecretTalker"},
          {"resolver_context",
           {{"token", kSecret}, {"greeting", kGreeting}, {"fail", fail}, {"subtasks", std::to_string(subtasks)}}},
          {"resolver_context_secrets", {"token"}}};
}

std::string last_trace_line(const ayeaye::Json& doc) {
  const auto& trace = doc["results"]["payload"]["traceback"];
  return trace.is_array() && !trace.empty() ? trace.back().get<std::string>() : std::string();
}

std::string page(const NodeProcess& node, const std::string& path) {
  const auto answer = node.get(path);
  EXPECT_EQ(answer.status, 200) << path;
  return answer.body;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  return text;
}

// The node's JSON log line with `message` (waited for: a node logs a task's end after recording it).
ayeaye::Json json_log_line(NodeProcess& node, const std::string& message) {
  const std::string line = node.wait_for_log([&](const std::string& l) {
    const auto json = ayeaye::Json::parse(l, nullptr, /*allow_exceptions=*/false);
    return json.is_object() && json.value("msg", "") == message;
  });
  return ayeaye::Json::parse(line);
}

std::unique_ptr<fossa::BrokerProcess> start_broker() {
  auto broker = fossa::BrokerProcess::start({});
  if (!broker) throw std::runtime_error("cannot start RabbitMQ: " + broker.error());
  return std::move(broker).value();
}

std::unique_ptr<NodeProcess> node_on(const fossa::BrokerProcess& broker, const std::string& ident, bool consume,
                                     const std::vector<std::string>& more_environment = {}) {
  std::vector<std::string> environment{"RABBITMQ_URL=" + broker.amqp_url()};
  environment.insert(environment.end(), more_environment.begin(), more_environment.end());
  return std::make_unique<NodeProcess>(
      std::vector<std::string>{"--node-ident", ident, "--max-concurrent-tasks", "2", "--consume-subtasks",
                               consume ? "1" : "0", "--subtask-retries", "0", "--log-format", "json"},
      environment);
}

// The node's own secret, as ECS hands a Secrets Manager value to a worker (deploy/aws, database_secrets).
const std::string kNodeSecret = "FOSSA_SECRET_token=" + kSecret;

// A task body for SecretTalker without its token: the node adds it.
ayeaye::Json task_without_token(const std::string& fail, int subtasks) {
  return {{"model_class", "SecretTalker"},
          {"resolver_context", {{"greeting", kGreeting}, {"fail", fail}, {"subtasks", std::to_string(subtasks)}}}};
}

// ---- fossa run ----------------------------------------------------------------------------------

TEST(Secrets, FossaRunPrintsTheContextWithTheSecretAsStarsAndTheSubtasksStillGetIt) {
  const auto r = run_secret_talker({"-w", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr(R"(resolver context: {"greeting":")" + kGreeting + R"(","token":"***"})"));
  EXPECT_THAT(r.err, HasSubstr(redacted("parent holds")));
  EXPECT_THAT(r.err, HasSubstr("[subtask 1] " + redacted("subtask 1 logs")));
  // What a subtask printed itself, forwarded from its worker process.
  EXPECT_THAT(r.err, HasSubstr("[subtask 1] " + redacted("subtask 1 prints")));
  EXPECT_THAT(r.err, HasSubstr("every subtask had the token"));
  EXPECT_TRUE(plain_but_not_secret(r.out));
  EXPECT_TRUE(plain_but_not_secret(r.err));
}

TEST(Secrets, FossaRunKeepsTheSecretOutOfAFailedSubtasksMessageAndTrace) {
  const auto r = run_secret_talker({"-c", "fail=throw", "-w", "2", "--retries", "0"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("std::runtime_error: " + redacted("subtask 0 refused")));
  EXPECT_THAT(r.err, HasSubstr("trace:"));
  EXPECT_THAT(r.err, HasSubstr("std::runtime_error: " + redacted("subtask 0 refused")));
  EXPECT_TRUE(plain_but_not_secret(r.out));
  EXPECT_TRUE(plain_but_not_secret(r.err));
}

TEST(Secrets, FossaRunKeepsTheSecretOutOfACrashedSubtasksLastOutput) {
  const auto r = run_secret_talker({"-c", "fail=crash", "-w", "2", "--retries", "0"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("killed by signal SIGABRT"));
  // The trace of a crash is the worker's last output, which the model wrote itself.
  EXPECT_THAT(r.err, HasSubstr("  " + redacted("subtask 0 prints")));
  EXPECT_TRUE(plain_but_not_secret(r.out));
  EXPECT_TRUE(plain_but_not_secret(r.err));
}

// ---- a node ------------------------------------------------------------------------------------

TEST(Secrets, ANodeShowsTheSecretOnlyAsStarsInDocumentsPagesMetricsAndJsonLogs) {
  NodeProcess node({"--max-concurrent-tasks", "3", "--subtask-retries", "0", "--log-format", "json"});

  // A run that completes: the subtasks had the real secret, and printed and logged it.
  const std::string done = node.submit(secret_task("no", 2));
  ASSERT_FALSE(done.empty());
  const auto done_doc = node.wait_for_end(done);
  ASSERT_EQ(done_doc["status"], "complete") << done_doc.dump();
  EXPECT_EQ(done_doc["resolver_context"]["token"], "***");
  EXPECT_EQ(done_doc["resolver_context"]["greeting"], kGreeting);
  EXPECT_EQ(done_doc["resolver_context_secrets"], ayeaye::Json::array({"token"})) << "the keys are shown, not the values";
  EXPECT_THAT(done_doc["log_tail"].dump(), HasSubstr(redacted("parent holds")));
  EXPECT_TRUE(plain_but_not_secret(done_doc.dump()));
  for (const std::string i : {"0", "1"}) {
    const auto sub = node.get("/api/0.01/task/" + done + "." + i).json();
    EXPECT_EQ(sub["resolver_context"]["token"], "***") << sub.dump();
    EXPECT_THAT(sub["log_tail"].dump(), HasSubstr(redacted("subtask " + i + " logs")));
    EXPECT_THAT(sub["log_tail"].dump(), HasSubstr(redacted("subtask " + i + " prints")));  // its standard output
    EXPECT_TRUE(plain_but_not_secret(sub.dump()));
    EXPECT_TRUE(plain_but_not_secret(page(node, "/task/" + done + "." + i)));
  }
  EXPECT_TRUE(plain_but_not_secret(page(node, "/task/" + done)));

  // A run whose subtask throws an exception naming the secret.
  const std::string failed = node.submit(secret_task("throw", 1));
  const auto failed_doc = node.wait_for_end(failed);
  ASSERT_EQ(failed_doc["status"], "failed") << failed_doc.dump();
  EXPECT_THAT(last_trace_line(failed_doc), HasSubstr(redacted("subtask 0 refused")));
  EXPECT_EQ(failed_doc["results"]["payload"]["resolver_context"]["token"], "***");
  EXPECT_TRUE(plain_but_not_secret(failed_doc.dump()));
  const auto sub = node.get("/api/0.01/task/" + failed + ".0").json();
  EXPECT_EQ(last_trace_line(sub), "std::runtime_error: " + redacted("subtask 0 refused"));
  EXPECT_TRUE(plain_but_not_secret(sub.dump()));
  const std::string failed_page = page(node, "/task/" + failed);
  EXPECT_THAT(failed_page, HasSubstr(redacted("subtask 0 refused")));
  EXPECT_TRUE(plain_but_not_secret(failed_page));
  EXPECT_TRUE(plain_but_not_secret(page(node, "/task/" + failed + ".0")));
  EXPECT_TRUE(plain_but_not_secret(page(node, "/")));  // recent tasks, with the failure's message
  EXPECT_TRUE(plain_but_not_secret(node.get("/api/0.01/node_info").body));

  const auto logged = json_log_line(node, "task failed");
  EXPECT_EQ(logged["task_id"], failed);
  EXPECT_THAT(logged.value("error", ""), HasSubstr(redacted("subtask 0 refused")));
  EXPECT_TRUE(plain_but_not_secret(joined(node.log_lines())));

  // Metrics carry no task's text at all, so nothing plain to pair with: this only guards against
  // a label that would one day carry some.
  const auto metrics = node.get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.body.find(kSecret), std::string::npos) << metrics.body;
}

TEST(Secrets, ANodeKeepsTheSecretOutOfACrashedSubtasksTrace) {
  NodeProcess node({"--max-concurrent-tasks", "2", "--subtask-retries", "0"});
  const std::string id = node.submit(secret_task("crash", 1));
  ASSERT_FALSE(id.empty());
  const auto doc = node.wait_for_end(id);
  ASSERT_EQ(doc["status"], "failed") << doc.dump();
  const auto sub = node.get("/api/0.01/task/" + id + ".0").json();
  EXPECT_EQ(sub["results"]["payload"]["exception_class_name"], "fossa::ProcessKilled") << sub.dump();
  // The crash's trace is the process's last output: the line the model printed.
  EXPECT_THAT(sub["results"]["payload"]["traceback"].dump(), HasSubstr("  " + redacted("subtask 0 prints")));
  EXPECT_TRUE(plain_but_not_secret(sub.dump()));
  EXPECT_TRUE(plain_but_not_secret(doc.dump()));
  EXPECT_TRUE(plain_but_not_secret(page(node, "/task/" + id + ".0")));
  EXPECT_TRUE(plain_but_not_secret(page(node, "/task/" + id)));
}

// ---- a node's own secrets (FOSSA_SECRET_<KEY>) ----------------------------------------------------

TEST(Secrets, ANodesOwnSecretReachesEveryTaskAndSubtaskAndIsShownNowhere) {
  NodeProcess node({"--max-concurrent-tasks", "3", "--subtask-retries", "0", "--log-format", "json"}, {kNodeSecret});

  // Completes only if the parent and each subtask had the node's token (the parent checks).
  const std::string done = node.submit(task_without_token("no", 2));
  ASSERT_FALSE(done.empty());
  const auto done_doc = node.wait_for_end(done);
  ASSERT_EQ(done_doc["status"], "complete") << done_doc.dump();
  EXPECT_FALSE(done_doc["resolver_context"].contains("token")) << "the node's, not the task's: " << done_doc.dump();
  EXPECT_THAT(done_doc["log_tail"].dump(), HasSubstr(redacted("parent holds")));
  EXPECT_TRUE(plain_but_not_secret(done_doc.dump()));
  for (const std::string i : {"0", "1"}) {
    const auto sub = node.get("/api/0.01/task/" + done + "." + i).json();
    EXPECT_THAT(sub["log_tail"].dump(), HasSubstr(redacted("subtask " + i + " logs")));
    EXPECT_THAT(sub["log_tail"].dump(), HasSubstr(redacted("subtask " + i + " prints")));  // its standard output
    EXPECT_TRUE(plain_but_not_secret(sub.dump()));
    EXPECT_TRUE(plain_but_not_secret(page(node, "/task/" + done + "." + i)));
  }
  EXPECT_TRUE(plain_but_not_secret(page(node, "/task/" + done)));

  // A subtask throws an exception naming the token.
  const std::string failed = node.submit(task_without_token("throw", 1));
  const auto failed_doc = node.wait_for_end(failed);
  ASSERT_EQ(failed_doc["status"], "failed") << failed_doc.dump();
  EXPECT_THAT(last_trace_line(failed_doc), HasSubstr(redacted("subtask 0 refused")));
  EXPECT_TRUE(plain_but_not_secret(failed_doc.dump()));
  const auto sub = node.get("/api/0.01/task/" + failed + ".0").json();
  EXPECT_EQ(last_trace_line(sub), "std::runtime_error: " + redacted("subtask 0 refused"));
  EXPECT_EQ(sub["results"]["payload"]["resolver_context"]["token"], "***") << "what the model ran with, redacted";
  EXPECT_TRUE(plain_but_not_secret(sub.dump()));
  EXPECT_TRUE(plain_but_not_secret(page(node, "/task/" + failed)));
  EXPECT_TRUE(plain_but_not_secret(page(node, "/task/" + failed + ".0")));
  EXPECT_TRUE(plain_but_not_secret(page(node, "/")));
  EXPECT_TRUE(plain_but_not_secret(node.get("/api/0.01/node_info").body));
  EXPECT_THAT(json_log_line(node, "task failed").value("error", ""), HasSubstr(redacted("subtask 0 refused")));
  EXPECT_TRUE(plain_but_not_secret(joined(node.log_lines())));

  // A task cannot give a key the node holds (and so point the node's credentials elsewhere).
  ayeaye::Json own = task_without_token("no", 1);
  own["resolver_context"]["token"] = "the-tasks-own-token";
  const auto refused = node.post("/api/0.01/task", own.dump());
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_THAT(refused.body, HasSubstr("resolver context key 'token' is this node's own secret (FOSSA_SECRET_token): "
                                      "a task cannot give it"));
}

TEST(Secrets, ANodesOwnSecretsStayOffTheBrokerAndEachWorkerAddsItsOwn) {
  auto broker = start_broker();
  auto parent = node_on(*broker, "parent", /*consume=*/false, {kNodeSecret});
  const std::string id = parent->submit(task_without_token("no", 1));
  ASSERT_FALSE(id.empty());

  {  // The test reads the subtask off the queue as any worker would, and leaves it unacknowledged.
    auto opened = fossa::amqp::Connection::open({broker->amqp_url()});
    ASSERT_TRUE(opened) << opened.error();
    auto& reader = **opened;
    ASSERT_TRUE(reader.declare_queue("fossa_task_queue", true, false));
    ASSERT_TRUE(reader.consume("fossa_task_queue", 1));
    const auto subtask = fossa::testing::next_delivery(reader);
    ASSERT_TRUE(subtask) << "the subtask did not arrive: " << subtask.error();
    const auto body = ayeaye::Json::parse(subtask->message.body);
    EXPECT_EQ(body["resolver_context"]["greeting"], kGreeting) << subtask->message.body;
    EXPECT_FALSE(body["resolver_context"].contains("token")) << subtask->message.body;
    EXPECT_EQ(subtask->message.body.find(kSecret), std::string::npos);
    for (const auto& [name, value] : subtask->message.headers) EXPECT_EQ(value.find(kSecret), std::string::npos) << name;
  }  // closed: the broker hands the subtask on

  auto worker = node_on(*broker, "worker", /*consume=*/true, {kNodeSecret});
  const auto doc = parent->wait_for_end(id);
  ASSERT_EQ(doc["status"], "complete") << "the worker node added its own token: " << doc.dump();
  EXPECT_EQ(parent->get("/api/0.01/task/" + id + ".0").json()["node"], "worker");
  EXPECT_TRUE(plain_but_not_secret(doc.dump()));
  EXPECT_EQ(joined(worker->log_lines()).find(kSecret), std::string::npos);
}

// ---- the broker -------------------------------------------------------------------------------

// The test plays a worker that ignores x-fossa-secret-keys, as Python's do: it reads the subtask
// message off the queue as any worker would, and answers with the secret in plain text.
TEST(Secrets, OnTheBrokerOnlyTheKeysTravelInTheHeaderAndTheParentRedactsAForeignWorkersAnswers) {
  auto broker = start_broker();
  auto parent = node_on(*broker, "parent", /*consume=*/false);
  const std::string id = parent->submit(secret_task("no", 1));
  ASSERT_FALSE(id.empty());

  auto opened = fossa::amqp::Connection::open({broker->amqp_url()});
  ASSERT_TRUE(opened) << opened.error();
  auto& worker = **opened;
  ASSERT_TRUE(worker.declare_queue("fossa_task_queue", true, false));
  ASSERT_TRUE(worker.consume("fossa_task_queue", 1));
  const auto subtask = fossa::testing::next_delivery(worker);
  ASSERT_TRUE(subtask) << "the subtask did not arrive: " << subtask.error();
  const auto& message = subtask->message;
  EXPECT_EQ(message.headers.at("x-fossa-secret-keys"), R"(["token"])");
  for (const auto& [name, value] : message.headers) EXPECT_EQ(value.find(kSecret), std::string::npos) << name;
  EXPECT_EQ(message.correlation_id.find(kSecret), std::string::npos);
  // The value itself must reach the worker, in the body, which Python reads as a whole.
  const auto body = ayeaye::Json::parse(message.body);
  EXPECT_EQ(body["resolver_context"]["token"], kSecret);
  EXPECT_EQ(body["resolver_context"]["greeting"], kGreeting);
  EXPECT_FALSE(body.contains("resolver_context_secrets")) << message.body;

  // The foreign worker's answer: a log line and a failure, the secret in plain text in both.
  ayeaye::TaskFailed failure;
  failure.model_class_name = "SecretTalker";
  failure.method_name = "talk";
  failure.method_kwargs = body["method_kwargs"];
  failure.resolver_context = body["resolver_context"];
  failure.exception_class_name = "ValueError";
  failure.traceback = {"Traceback (most recent call last):", "ValueError: foreign worker refused token " + kSecret +
                                                                 " to greet " + kGreeting};
  for (const ayeaye::TaskMessage& answer :
       {ayeaye::TaskMessage(ayeaye::TaskLogMessage{"foreign worker got token " + kSecret + " to greet " + kGreeting, "INFO"}),
        ayeaye::TaskMessage(failure)}) {
    fossa::amqp::Message reply;
    reply.body = ayeaye::to_json(answer).dump();
    reply.correlation_id = message.correlation_id;
    ASSERT_TRUE(worker.publish(message.reply_to, reply));
  }
  ASSERT_TRUE(worker.ack(subtask->delivery_tag));

  const auto doc = parent->wait_for_end(id);
  ASSERT_EQ(doc["status"], "failed") << doc.dump();
  EXPECT_TRUE(plain_but_not_secret(doc.dump()));
  const auto sub = parent->get("/api/0.01/task/" + id + ".0").json();
  EXPECT_THAT(sub["log_tail"].dump(), HasSubstr(redacted("foreign worker got")));
  EXPECT_EQ(last_trace_line(sub), "ValueError: " + redacted("foreign worker refused"));
  EXPECT_EQ(sub["results"]["payload"]["resolver_context"]["token"], "***");
  EXPECT_TRUE(plain_but_not_secret(sub.dump()));
  EXPECT_TRUE(plain_but_not_secret(page(*parent, "/task/" + id + ".0")));
  EXPECT_TRUE(plain_but_not_secret(page(*parent, "/task/" + id)));
  EXPECT_THAT(json_log_line(*parent, "task failed").value("error", ""), HasSubstr(redacted("foreign worker refused")));
  EXPECT_TRUE(plain_but_not_secret(joined(parent->log_lines())));
}

TEST(Secrets, AWorkerNodeLearnsWhichValuesAreSecretFromTheHeaderAndShowsThemAsStars) {
  auto broker = start_broker();
  auto parent = node_on(*broker, "parent", /*consume=*/false);
  auto worker = node_on(*broker, "worker", /*consume=*/true);

  const std::string done = parent->submit(secret_task("no", 2));
  ASSERT_FALSE(done.empty());
  const auto done_doc = parent->wait_for_end(done);
  ASSERT_EQ(done_doc["status"], "complete") << "the worker node had the real secret: " << done_doc.dump();
  const std::string failed = parent->submit(secret_task("throw", 1));
  ASSERT_EQ(parent->wait_for_end(failed)["status"], "failed");

  // The worker's own documents of the subtasks it ran, under the protocol's ids (which its log names).
  std::vector<std::string> ran;
  for (const auto& line : worker->log_lines()) {
    const auto json = ayeaye::Json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (json.is_object() && json.value("msg", "") == "subtask from the queue started") ran.push_back(json["task_id"]);
  }
  ASSERT_EQ(ran.size(), 3u) << joined(worker->log_lines());
  for (const auto& id : ran) {
    const auto task = worker->get("/api/0.01/task/" + fossa::net::encode_path_segment(id)).json();
    EXPECT_EQ(task["resolver_context"]["token"], "***") << task.dump();
    EXPECT_EQ(task["resolver_context"]["greeting"], kGreeting) << task.dump();
    const std::string i = task["method_kwargs"]["i"].dump();
    EXPECT_THAT(task["log_tail"].dump(), HasSubstr(redacted("subtask " + i + " prints"))) << "its standard output";
    EXPECT_TRUE(plain_but_not_secret(task.dump()));
    EXPECT_TRUE(plain_but_not_secret(page(*worker, "/task/" + fossa::net::encode_path_segment(id)))) << id;
  }
  // The worker logs no context and no model line, so there is nothing plain to pair with here.
  EXPECT_EQ(joined(worker->log_lines()).find(kSecret), std::string::npos);

  // What the worker answered, as the parent recorded it.
  for (const auto& id : {done + ".0", done + ".1", failed + ".0"}) {
    const auto sub = parent->get("/api/0.01/task/" + id).json();
    EXPECT_EQ(sub["node"], "worker") << sub.dump();
    EXPECT_TRUE(plain_but_not_secret(sub.dump())) << id;
  }
  EXPECT_EQ(last_trace_line(parent->get("/api/0.01/task/" + failed + ".0").json()),
            "std::runtime_error: " + redacted("subtask 0 refused"));
}

// ---- the gateway ------------------------------------------------------------------------------

std::string gateway_bin() { return (std::filesystem::path(fossa_bin()).parent_path() / "fossa-gateway").string(); }

TEST(Secrets, TheGatewayAndFossaSubmitShowANodesTasksWithTheSecretAsStars) {
  fossa::testing::TempDir dir;
  ::chmod(dir.path().c_str(), 0755);  // the broker runs as the rabbitmq user
  const auto up = run_command(fossa_bin(), {"cluster", "--dir", dir.path(), "up", "--workers", "2"});
  ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
  struct Down {
    std::string dir;
    ~Down() { run_command(fossa_bin(), {"cluster", "--dir", dir, "down"}); }
  } down{dir.path()};
  const std::string password = "gateway password";
  NodeProcess gateway(NodeProcess::Launch{gateway_bin(),
                                          {"--port", "0", "--bind", "127.0.0.1", "--cluster-dir", dir.path()},
                                          {"GATEWAY_HTTP_PASSWORD=" + password},
                                          "fossa-gateway ready"});
  TestClient client(gateway.port());
  client.basic_auth("fossa", password);
  const auto tasks = ayeaye::Json::parse(client.get("/api/clusters/local/tasks").body);
  const std::string address = tasks["tasks"][1]["node_address"];

  const auto submitted = run_command(fossa_bin(), {"submit", "SecretTalker", "--node", "http://" + address, "--secret",
                                                   "token=" + kSecret, "-c", "greeting=" + kGreeting, "-c",
                                                   "fail=throw", "-c", "subtasks=1", "--wait"});
  EXPECT_EQ(submitted.exit_code, 1) << submitted.out << submitted.err;
  EXPECT_THAT(submitted.out, HasSubstr(redacted("subtask 0 refused")));
  EXPECT_TRUE(plain_but_not_secret(submitted.out));
  EXPECT_TRUE(plain_but_not_secret(submitted.err));

  const auto info = client.get("/api/clusters/local/nodes/" + address);
  ASSERT_EQ(info.status, 200);
  const auto recent = ayeaye::Json::parse(info.body)["recent_completed_tasks"];
  ASSERT_FALSE(recent.empty()) << info.body;
  EXPECT_EQ(recent[0]["resolver_context"]["token"], "***") << info.body;
  EXPECT_TRUE(plain_but_not_secret(info.body));
  const auto node_page = client.get("/local/node_info/" + address);
  ASSERT_EQ(node_page.status, 200);
  EXPECT_THAT(node_page.body, HasSubstr(redacted("subtask 0 refused")));  // the failure's message
  EXPECT_TRUE(plain_but_not_secret(node_page.body));
}

}  // namespace
