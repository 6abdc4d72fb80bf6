// The gateway's scaling against the AWS emulator (moto_server: ECS, Secrets Manager, CloudWatch)
// and a real RabbitMQ: the depth of fossa_task_queue read with the broker's secret, the metric in
// CloudWatch, the worker service woken from zero; and the worker starter of the jobs API.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "amqp/connection.h"
#include "cluster/broker_process.h"
#include "discovery/ecs_discovery.h"
#include "net/http.h"
#include "scaling/ecs_worker_starter.h"
#include "support/command.h"
#include "support/moto.h"
#include "support/node_process.h"
#include "support/test_client.h"

namespace {

using fossa::BrokerProcess;
using fossa::testing::AwsVariables;
using fossa::testing::fossa_bin;
using fossa::testing::Moto;
using fossa::testing::NodeProcess;
using fossa::testing::run_command;
using fossa::testing::TestClient;
using ::testing::HasSubstr;

const std::string kPassword = "scaling test password";

// scaling_fixture.py `args` against `moto`; its stdout.
std::string fixture(const Moto& moto, const std::vector<std::string>& args) {
  const auto script = std::filesystem::path(__FILE__).parent_path() / "support" / "scaling_fixture.py";
  std::vector<std::string> all = {"python3", script.string()};
  all.insert(all.end(), args.begin(), args.end());
  const auto r = run_command("/usr/bin/env", all, moto.environment());
  if (r.exit_code != 0) throw std::runtime_error("scaling_fixture.py failed: " + r.err);
  return r.out;
}

// The service's desired count and the metric's values in the emulator.
ayeaye::Json shown(const Moto& moto, const std::string& cluster) { return ayeaye::Json::parse(fixture(moto, {"show", cluster})); }

std::unique_ptr<BrokerProcess> start_broker() {
  auto broker = BrokerProcess::start({});
  if (!broker) throw std::runtime_error("cannot start RabbitMQ: " + broker.error());
  return std::move(broker).value();
}

// `count` subtasks waiting in fossa_task_queue, as parents leave them when no worker takes them.
void fill_task_queue(const BrokerProcess& broker, int count) {
  auto connection = fossa::amqp::Connection::open({broker.amqp_url()});
  ASSERT_TRUE(connection) << connection.error();
  ASSERT_TRUE((*connection)->declare_queue("fossa_task_queue", true, false));
  for (int i = 0; i < count; ++i) {
    fossa::amqp::Message message;
    message.body = "{}";
    message.persistent = true;
    ASSERT_TRUE((*connection)->publish("fossa_task_queue", message));
  }
  // Every publish confirmed: the broker counts them all before the gateway asks.
  int confirmed = 0;
  while (confirmed < count) {
    auto incoming = (*connection)->poll(std::chrono::seconds(10));
    ASSERT_TRUE(incoming) << incoming.error();
    ASSERT_FALSE(incoming->empty()) << "the broker confirmed " << confirmed << " of " << count << " publishes";
    for (const auto& item : *incoming) {
      const auto* confirm = std::get_if<fossa::amqp::Confirm>(&item);
      ASSERT_TRUE(confirm != nullptr && confirm->ack);
      confirmed = static_cast<int>(confirm->sequence);
    }
  }
}

std::unique_ptr<NodeProcess> start_gateway(const Moto& moto, const std::string& cluster,
                                          const std::vector<std::string>& more = {}) {
  auto env = moto.environment();
  env.push_back("GATEWAY_HTTP_PASSWORD=" + kPassword);
  const auto gateway = (std::filesystem::path(fossa_bin()).parent_path() / "fossa-gateway").string();
  std::vector<std::string> args = {"--port", "0", "--bind", "127.0.0.1", "--discovery", "ecs", "--ecs-cluster", cluster};
  args.insert(args.end(), more.begin(), more.end());
  return std::make_unique<NodeProcess>(NodeProcess::Launch{gateway, args, env, "fossa-gateway ready"});
}

}  // namespace

TEST(GatewayScaling, WithWorkWaitingAndNoWorkerItPublishesTheBacklogAndWakesTheService) {
  Moto moto;
  auto broker = start_broker();
  fixture(moto, {"setup", "fossa-test", broker->amqp_url()});
  // What an earlier tick left: the gateway publishes once a minute, so however many ticks a run
  // spans, what counts is the latest datapoint.
  fixture(moto, {"publish", "fossa-test", "2", "--minutes-ago", "3"});
  fill_task_queue(*broker, 5);

  auto gateway = start_gateway(moto, "fossa-test");
  // Both lines come once the calls have been answered: the emulator holds the results by then.
  EXPECT_THAT(gateway->wait_for_log("scaling: published BacklogPerWorker"),
              HasSubstr("scaling: published BacklogPerWorker 5 to Fossa/test (5 waiting, 0 running on 0 worker(s))"));
  EXPECT_THAT(gateway->wait_for_log("scaling: set the desired count"), HasSubstr("of workers from 0 to 4: 5 waiting"));

  const auto state = shown(moto, "fossa-test");
  EXPECT_EQ(state["desired"], 4) << "5 waiting, at most 4 workers of 1 slot";
  const auto& metric = state["metric"];
  ASSERT_GE(metric.size(), 2u) << "the earlier tick's datapoint and the gateway's: " << metric.dump();
  EXPECT_EQ(metric.back(), 5.0) << "the latest datapoint, in the namespace and dimensions target tracking reads: "
                                << metric.dump();
  // Published before the backlog in each tick: no job, none stalled, and 0 is a value the alarm needs.
  EXPECT_EQ(state["stalled_jobs"], ayeaye::Json::parse("[0.0]")) << state["stalled_jobs"].dump();
}

TEST(GatewayScaling, ABrokerItCannotReachIsLoggedAndTheGatewayServesOn) {
  Moto moto;
  const int nobody = fossa::find_free_port();  // no broker there: the connection is refused
  fixture(moto, {"setup", "fossa-test", "amqp://guest:secret-password@127.0.0.1:" + std::to_string(nobody) + "/"});
  auto gateway = start_gateway(moto, "fossa-test");
  const auto line = gateway->wait_for_log("scaling: cannot count fossa_task_queue at ");
  EXPECT_THAT(line, HasSubstr("at amqp://guest:***@127.0.0.1:"));
  EXPECT_THAT(line, ::testing::Not(HasSubstr("secret-password")));
  gateway->wait_for_log("scaling: published StalledJobs 0 to Fossa/test");
  const auto state = shown(moto, "fossa-test");
  EXPECT_EQ(state["metric"].size(), 0u) << "nothing known of the work, no backlog published";
  EXPECT_EQ(state["stalled_jobs"], ayeaye::Json::parse("[0.0]")) << "the job records are known: the alarm still hears";
  const auto answer = gateway->get("/api/clusters");
  EXPECT_EQ(answer.status, 401) << "the gateway still answers (here: asking who is there)";
}

TEST(GatewayScaling, AJobPostedWithNoWorkerIsHeldAndTheServiceWoken) {
  Moto moto;
  fixture(moto, {"setup", "fossa-test", "amqp://guest:guest@127.0.0.1:5672/"});
  // The loop off: only the jobs API's starter may raise the count here.
  auto gateway = start_gateway(moto, "fossa-test", {"--scale-workers", "off"});
  TestClient client(gateway->port());
  client.basic_auth("fossa", kPassword);
  const auto posted = client.post("/api/clusters/fossa-test/jobs", R"({"model_class": "NothingEtl"})", "application/json");
  ASSERT_TRUE(posted.answered()) << posted.error;
  EXPECT_EQ(posted.status, 202) << posted.body;
  EXPECT_THAT(posted.body, HasSubstr("starting workers"));
  EXPECT_EQ(shown(moto, "fossa-test")["desired"], 1) << "asked before the 202";
}

TEST(GatewayScaling, AJobHeldForWorkersIsCancelledAtOnceWithWhoAndWhenAndShownCancelledEverywhere) {
  Moto moto;
  const std::string printed = fixture(moto, {"setup", "fossa-test", "amqp://guest:guest@127.0.0.1:5672/"});
  auto gateway = start_gateway(moto, "fossa-test", {"--scale-workers", "off"});
  TestClient client(gateway->port());
  client.basic_auth("fossa", kPassword);
  const auto posted = client.post("/api/clusters/fossa-test/jobs", R"({"model_class": "NothingEtl"})", "application/json");
  ASSERT_EQ(posted.status, 202) << posted.body;
  const std::string id = ayeaye::Json::parse(posted.body)["job_id"];

  const auto cancelled = client.send("DELETE", "/api/clusters/fossa-test/jobs/" + id, "", {});
  ASSERT_EQ(cancelled.status, 202) << cancelled.body;
  EXPECT_EQ(ayeaye::Json::parse(cancelled.body)["status"], "cancelled");
  const auto doc = ayeaye::Json::parse(client.get("/api/clusters/fossa-test/jobs/" + id).body);
  EXPECT_EQ(doc["status"], "cancelled") << doc.dump();
  EXPECT_EQ(doc["cancelled_by"], "fossa from 127.0.0.1");
  EXPECT_TRUE(doc.contains("cancelled_at")) << doc.dump();
  EXPECT_EQ(doc["attempts"].size(), 0u) << "never placed";
  const auto list = ayeaye::Json::parse(client.get("/api/clusters/fossa-test/jobs").body);
  ASSERT_EQ(list["jobs"].size(), 1u) << list.dump();
  EXPECT_EQ(list["jobs"][0]["status"], "cancelled");
  EXPECT_THAT(client.get("/fossa-test/jobs/" + id).body, HasSubstr("cancelled"));
  const auto again = client.send("DELETE", "/api/clusters/fossa-test/jobs/" + id, "", {});
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_THAT(again.body, HasSubstr("has ended (cancelled)"));

  // fossa cancel, and the page's button, do the same.
  const std::vector<std::string> env = {"FOSSA_GATEWAY_PASSWORD=" + kPassword};
  // Held under the cluster's id, as fossa cancel names it (from the gateway's list of clusters).
  const std::string arn = fossa::net::encode_path_segment(printed.substr(0, printed.find('\n')));
  const auto second = client.post("/api/clusters/" + arn + "/jobs", R"({"model_class": "NothingEtl"})", "application/json");
  ASSERT_EQ(second.status, 202) << second.body;
  const std::string second_id = ayeaye::Json::parse(second.body)["job_id"];
  const auto cli = run_command(fossa_bin(), {"cancel", second_id, "--gateway", gateway->url(), "--cluster", "fossa-test"}, env);
  EXPECT_EQ(cli.exit_code, 0) << cli.out << cli.err;
  EXPECT_THAT(cli.out, HasSubstr("job " + second_id + " cancelled"));
  const auto third = client.post("/api/clusters/fossa-test/jobs", R"({"model_class": "NothingEtl"})", "application/json");
  ASSERT_EQ(third.status, 202) << third.body;
  const std::string third_id = ayeaye::Json::parse(third.body)["job_id"];
  EXPECT_THAT(client.get("/fossa-test/jobs/" + third_id).body, HasSubstr("/jobs/" + third_id + "/cancel\""))
      << "the page of a held job has the button";
  const auto button = client.post("/fossa-test/jobs/" + third_id + "/cancel", "", "application/x-www-form-urlencoded",
                                  {{"Sec-Fetch-Site", "same-origin"}});
  EXPECT_EQ(button.status, 303) << button.body;
  EXPECT_EQ(ayeaye::Json::parse(client.get("/api/clusters/fossa-test/jobs/" + third_id).body)["status"], "cancelled");
}

TEST(GatewayScaling, TheWorkerStarterRaisesTheCountFromZeroAndAskingAgainDoesNoHarm) {
  Moto moto;
  const std::string printed = fixture(moto, {"setup", "fossa-test", "amqp://guest:guest@127.0.0.1:5672/"});
  AwsVariables aws({{"AWS_ACCESS_KEY_ID", "testing"}, {"AWS_SECRET_ACCESS_KEY", "testing"}, {"AWS_REGION", "us-east-1"},
                    {"AWS_ENDPOINT_URL", moto.url()}, {"AWS_EC2_METADATA_DISABLED", "true"}});
  fossa::gateway::GatewayConfig config;
  config.discovery = "ecs";
  config.ecs_cluster = "fossa-test";
  auto discovery = fossa::gateway::make_discovery(config);
  ASSERT_TRUE(discovery) << discovery.error();
  auto starter = fossa::gateway::make_worker_starter(config, **discovery);
  ASSERT_NE(starter, nullptr);

  const std::string arn = printed.substr(0, printed.find('\n'));
  EXPECT_EQ(starter->start_workers(arn), std::nullopt);
  EXPECT_EQ(shown(moto, "fossa-test")["desired"], 1);
  EXPECT_EQ(starter->start_workers("fossa-test"), std::nullopt);
  EXPECT_EQ(shown(moto, "fossa-test")["desired"], 1);
  EXPECT_THAT(starter->start_workers("another-cluster").value_or(""), HasSubstr("of the cluster fossa-test only"));
}
