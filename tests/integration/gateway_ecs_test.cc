// fossa-gateway's ECS discovery against the AWS emulator (moto_server, started by the test on a
// free loopback port), and the signing of its requests as a server sees them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <regex>
#include <thread>

#include "support/command.h"
#include "support/node_process.h"

namespace {

using fossa::testing::fossa_bin;
using fossa::testing::NodeProcess;
using fossa::testing::run_command;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

const std::string kPassword = "ecs test password";

std::string gateway_bin() { return (std::filesystem::path(fossa_bin()).parent_path() / "fossa-gateway").string(); }

std::vector<std::string> aws_env(const std::string& endpoint) {
  return {"AWS_ENDPOINT_URL=" + endpoint, "AWS_REGION=eu-west-2", "AWS_ACCESS_KEY_ID=testing",
          "AWS_SECRET_ACCESS_KEY=testing", "GATEWAY_HTTP_PASSWORD=" + kPassword};
}

std::unique_ptr<NodeProcess> start_moto() {
  return std::make_unique<NodeProcess>(
      NodeProcess::Launch{"/usr/bin/env", {"moto_server", "-H", "127.0.0.1", "-p", "0"}, {}, "Running on"});
}

// Creates, in the emulator, a cluster running `count` Fargate tasks; returns its ARN.
std::string make_cluster(const std::string& endpoint, const std::string& name, int count,
                         const std::string& group = "service:fossa-worker") {
  const auto fixture = std::filesystem::path(__FILE__).parent_path() / "support" / "ecs_fixture.py";
  const auto r = run_command("/usr/bin/env", {"python3", fixture.string(), name, std::to_string(count), group}, aws_env(endpoint));
  if (r.exit_code != 0) throw std::runtime_error("ecs_fixture.py failed: " + r.err);
  return r.out.substr(0, r.out.find('\n'));
}

std::unique_ptr<NodeProcess> start_gateway(const std::vector<std::string>& env) {
  return std::make_unique<NodeProcess>(NodeProcess::Launch{
      gateway_bin(), {"--port", "0", "--bind", "127.0.0.1", "--discovery", "ecs"}, env, "fossa-gateway ready"});
}

httplib::Client client_for(const NodeProcess& gateway) {
  httplib::Client client("127.0.0.1", gateway.port());
  client.set_basic_auth("fossa", kPassword.c_str());
  return client;
}

TEST(GatewayEcs, ListsTheClustersAndTheirTasksWithPrivateAddressesAndContactsNothingElse) {
  auto moto = start_moto();
  const std::string cluster = make_cluster(moto->url(), "fossa-workers", 2);
  make_cluster(moto->url(), "other", 1, "service:rabbitmq");
  auto gateway = start_gateway(aws_env(moto->url()));
  auto client = client_for(*gateway);

  const auto clusters = ayeaye::Json::parse(client.Get("/api/clusters")->body);
  ASSERT_EQ(clusters["clusters"].size(), 2u) << clusters.dump();
  EXPECT_EQ(clusters["clusters"][0]["arn"], cluster);
  EXPECT_EQ(clusters["clusters"][0]["name"], "fossa-workers");

  const std::string encoded = "arn%3Aaws%3Aecs%3Aeu-west-2%3A123456789012%3Acluster%2Ffossa-workers";
  const auto tasks = ayeaye::Json::parse(client.Get("/api/clusters/" + encoded + "/tasks")->body);
  ASSERT_EQ(tasks["tasks"].size(), 2u) << tasks.dump();
  for (const auto& task : tasks["tasks"]) {
    EXPECT_THAT(task["private_ipv4"].get<std::string>(), MatchesRegex(R"([0-9]+\.[0-9]+\.[0-9]+\.[0-9]+)"));
    EXPECT_EQ(task["node_address"], task["private_ipv4"].get<std::string>() + ":2345");
    EXPECT_EQ(task["group"], "service:fossa-worker");
  }
  const auto page = client.Get("/" + encoded + "/tasks");
  EXPECT_EQ(page->status, 200);
  EXPECT_THAT(page->body, HasSubstr("/node_info/" + tasks["tasks"][0]["node_address"].get<std::string>()));

  // A task of another group (the broker, say) shows its address without a link to a node page.
  const auto other = client.Get("/arn%3Aaws%3Aecs%3Aeu-west-2%3A123456789012%3Acluster%2Fother/tasks");
  EXPECT_THAT(other->body, HasSubstr("service:rabbitmq"));
  EXPECT_THAT(other->body, ::testing::Not(HasSubstr("/node_info/")));

  // No node runs at an emulated task's address: the page says what went wrong; it is not an error page.
  const auto node = client.Get("/" + encoded + "/node_info/" + tasks["tasks"][0]["node_address"].get<std::string>());
  EXPECT_EQ(node->status, 200);
  EXPECT_THAT(node->body, HasSubstr("<p class=\"problem\">the node at " + tasks["tasks"][0]["node_address"].get<std::string>()));
  // Addresses that are not tasks of this cluster are refused.
  EXPECT_EQ(client.Get("/api/clusters/" + encoded + "/nodes/127.0.0.1:" + std::to_string(moto->port()))->status, 404);
}

TEST(GatewayEcs, SignsEveryRequestWithSigV4AndSaysWhenItHasNoCredentials) {
  // A stand-in for ECS that records what it is sent.
  httplib::Server ecs;
  std::mutex mutex;
  httplib::Headers seen;
  ecs.Post("/", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mutex);
    seen = req.headers;
    res.set_content(R"({"clusterArns": []})", "application/x-amz-json-1.1");
  });
  const int port = ecs.bind_to_any_port("127.0.0.1");
  std::thread serving([&] { ecs.listen_after_bind(); });

  auto env = aws_env("http://127.0.0.1:1");  // overridden for ECS just below
  env.push_back("AWS_ENDPOINT_URL_ECS=http://127.0.0.1:" + std::to_string(port));
  env.push_back("AWS_SESSION_TOKEN=session-token-123");
  auto gateway = start_gateway(env);
  EXPECT_EQ(client_for(*gateway).Get("/api/clusters")->status, 200);
  {
    std::lock_guard lock(mutex);
    const auto header = [&](const char* name) {
      const auto found = seen.find(name);  // httplib's Headers compare names case-insensitively
      return found == seen.end() ? std::string() : found->second;
    };
    EXPECT_THAT(std::string(header("Authorization")),
                MatchesRegex(R"(AWS4-HMAC-SHA256 Credential=testing/[0-9]{8}/eu-west-2/ecs/aws4_request, )"
                             R"(SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64})"));
    EXPECT_THAT(std::string(header("Authorization")), HasSubstr("x-amz-target"));
    EXPECT_THAT(std::string(header("X-Amz-Date")), MatchesRegex(R"([0-9]{8}T[0-9]{6}Z)"));
    EXPECT_EQ(std::string(header("X-Amz-Security-Token")), "session-token-123");
    EXPECT_EQ(std::string(header("X-Amz-Target")), "AmazonEC2ContainerServiceV20141113.ListClusters");
  }

  // No credentials anywhere (no instance metadata here either): a clear 502, not a crash.
  auto bare = start_gateway({"AWS_REGION=eu-west-2", "AWS_ENDPOINT_URL=http://127.0.0.1:" + std::to_string(port),
                             "AWS_ACCESS_KEY_ID=", "AWS_SECRET_ACCESS_KEY=", "GATEWAY_HTTP_PASSWORD=" + kPassword});
  const auto refused = client_for(*bare).Get("/api/clusters");
  EXPECT_EQ(refused->status, 502);
  EXPECT_THAT(refused->body, HasSubstr("no AWS credentials"));
  ecs.stop();
  serving.join();
}

TEST(GatewayEcs, NeedsARegion) {
  const auto r = run_command(gateway_bin(), {"--port", "0", "--discovery", "ecs"},
                             {"GATEWAY_HTTP_PASSWORD=x", "AWS_REGION=", "AWS_DEFAULT_REGION="});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--region"));
}

}  // namespace
