// fossa-gateway's ECS discovery against the AWS emulator (moto behind the strict front,
// support/moto.h, started by the test on a free loopback port), with ECS's paging kept by a proxy
// in front of it; and the signing of its requests as a server sees them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <mutex>
#include <regex>
#include <set>

#include "support/command.h"
#include "support/listening_port.h"
#include "support/moto.h"
#include "support/node_process.h"
#include "support/stand_in_server.h"
#include "support/test_client.h"

namespace {

using fossa::testing::fossa_bin;
using fossa::testing::ListeningPort;
using fossa::testing::Moto;
using fossa::testing::NodeProcess;
using fossa::testing::run_command;
using fossa::testing::StandInServer;
using fossa::testing::TestClient;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

const std::string kPassword = "ecs test password";

std::string gateway_bin() { return (std::filesystem::path(fossa_bin()).parent_path() / "fossa-gateway").string(); }

std::vector<std::string> aws_env(const std::string& endpoint) {
  return {"AWS_ENDPOINT_URL=" + endpoint, "AWS_REGION=eu-west-2", "AWS_ACCESS_KEY_ID=testing",
          "AWS_SECRET_ACCESS_KEY=testing", "GATEWAY_HTTP_PASSWORD=" + kPassword};
}

std::unique_ptr<Moto> start_moto() { return std::make_unique<Moto>(); }

// Creates, in the emulator, a cluster running `count` Fargate tasks; returns its ARN. `more` are
// ecs_fixture.py's options (--group, --deleted).
std::string make_cluster(const std::string& endpoint, const std::string& name, int count,
                         const std::vector<std::string>& more = {}) {
  const auto fixture = std::filesystem::path(__FILE__).parent_path() / "support" / "ecs_fixture.py";
  std::vector<std::string> args = {"python3", fixture.string(), name, std::to_string(count)};
  args.insert(args.end(), more.begin(), more.end());
  const auto r = run_command("/usr/bin/env", args, aws_env(endpoint));
  if (r.exit_code != 0) throw std::runtime_error("ecs_fixture.py failed: " + r.err);
  return r.out.substr(0, r.out.find('\n'));
}

std::unique_ptr<NodeProcess> start_gateway(const std::vector<std::string>& env) {
  return std::make_unique<NodeProcess>(NodeProcess::Launch{
      gateway_bin(), {"--port", "0", "--bind", "127.0.0.1", "--discovery", "ecs"}, env, "fossa-gateway ready"});
}

// ECS's paging and limits, which moto_server does not keep (it answers every list whole and
// describes any number of tasks at once): a proxy in front of it. ListTasks comes in pages of 100,
// ECS's default; ListClusters in pages of 1 (ECS may return fewer than a page, with a nextToken);
// a DescribeTasks or DescribeClusters of more than 100 is refused, as ECS refuses it.
class EcsWithLimits {
 public:
  explicit EcsWithLimits(int moto_port) : moto_(moto_port) {
    server_.routes().post("/", [this](const fossa::net::Request& req, fossa::net::Response& res) { handle(req, res); }, fossa::net::Body::kNone);
    server_.start();
  }
  ~EcsWithLimits() { server_.stop(); }
  std::string url() const { return server_.url(); }
  // How many calls of `operation` it answered, and the most items one Describe call asked for.
  int calls(const std::string& operation) {
    std::lock_guard lock(mutex_);
    return calls_[operation];
  }
  std::size_t largest_describe() {
    std::lock_guard lock(mutex_);
    return largest_describe_;
  }

 private:
  static constexpr std::size_t kDescribeLimit = 100;

  void handle(const fossa::net::Request& req, fossa::net::Response& res) {
    const std::string target = req.get_header_value("X-Amz-Target");
    const std::string operation = target.substr(target.rfind('.') + 1);
    auto body = ayeaye::Json::parse(req.body);
    const char* described = operation == "DescribeTasks" ? "tasks" : operation == "DescribeClusters" ? "clusters" : nullptr;
    if (described != nullptr) {
      std::lock_guard lock(mutex_);
      largest_describe_ = std::max(largest_describe_, body.value(described, ayeaye::Json::array()).size());
      if (body.value(described, ayeaye::Json::array()).size() > kDescribeLimit) {
        res.status = 400;
        const ayeaye::Json error = {{"__type", "InvalidParameterException"},
                                    {"message", std::string("at most 100 ") + described + " a call"}};
        res.set_content(error.dump(), "application/x-amz-json-1.1");
        return;
      }
    }
    const std::string token = body.value("nextToken", "");
    body.erase("nextToken");
    fossa::http_client::Headers headers;
    for (const char* name : {"Authorization", "X-Amz-Date", "X-Amz-Target", "X-Amz-Security-Token"}) {
      if (req.has_header(name)) headers.emplace_back(name, req.get_header_value(name));
    }
    const auto answer = moto_.post("/", body.dump(), "application/x-amz-json-1.1", headers);
    if (!answer.answered()) {
      res.status = 502;
      return;
    }
    res.status = answer.status;
    auto json = ayeaye::Json::parse(answer.body, nullptr, /*allow_exceptions=*/false);
    const char* listed = operation == "ListTasks" ? "taskArns" : operation == "ListClusters" ? "clusterArns" : nullptr;
    if (listed != nullptr && answer.status == 200) {
      const std::size_t page = operation == "ListTasks" ? 100 : 1;
      const std::size_t from = token.empty() ? 0 : std::stoul(token);
      const auto all = json[listed];
      json[listed] = ayeaye::Json::array();
      for (std::size_t i = from; i < all.size() && i < from + page; ++i) json[listed].push_back(all[i]);
      if (from + page < all.size()) json["nextToken"] = std::to_string(from + page);
    }
    {
      std::lock_guard lock(mutex_);
      ++calls_[operation];
    }
    res.set_content(json.is_discarded() ? answer.body : json.dump(), "application/x-amz-json-1.1");
  }

  TestClient moto_;
  StandInServer server_;
  std::mutex mutex_;
  std::map<std::string, int> calls_;
  std::size_t largest_describe_ = 0;
};

TestClient client_for(const NodeProcess& gateway) { return TestClient(gateway.port()).basic_auth("fossa", kPassword); }

TEST(GatewayEcs, ListsTheClustersAndTheirTasksWithPrivateAddressesAndContactsNothingElse) {
  auto moto = start_moto();
  const std::string cluster = make_cluster(moto->url(), "fossa-workers", 2);
  make_cluster(moto->url(), "other", 1, {"--group", "service:rabbitmq"});
  auto gateway = start_gateway(aws_env(moto->url()));
  auto client = client_for(*gateway);

  const auto clusters = ayeaye::Json::parse(client.get("/api/clusters").body);
  ASSERT_EQ(clusters["clusters"].size(), 2u) << clusters.dump();
  EXPECT_EQ(clusters["clusters"][0]["arn"], cluster);
  EXPECT_EQ(clusters["clusters"][0]["name"], "fossa-workers");

  const std::string encoded = "arn%3Aaws%3Aecs%3Aeu-west-2%3A123456789012%3Acluster%2Ffossa-workers";
  const auto tasks = ayeaye::Json::parse(client.get("/api/clusters/" + encoded + "/tasks").body);
  ASSERT_EQ(tasks["tasks"].size(), 2u) << tasks.dump();
  for (const auto& task : tasks["tasks"]) {
    EXPECT_THAT(task["private_ipv4"].get<std::string>(), MatchesRegex(R"([0-9]+\.[0-9]+\.[0-9]+\.[0-9]+)"));
    EXPECT_EQ(task["node_address"], task["private_ipv4"].get<std::string>() + ":2345");
    EXPECT_EQ(task["group"], "service:fossa-worker");
  }
  const auto page = client.get("/" + encoded + "/tasks");
  EXPECT_EQ(page.status, 200);
  EXPECT_THAT(page.body, HasSubstr("/node_info/" + tasks["tasks"][0]["node_address"].get<std::string>()));

  // A task of another group (the broker, say) shows its address without a link to a node page.
  const auto other = client.get("/arn%3Aaws%3Aecs%3Aeu-west-2%3A123456789012%3Acluster%2Fother/tasks");
  EXPECT_THAT(other.body, HasSubstr("service:rabbitmq"));
  EXPECT_THAT(other.body, ::testing::Not(HasSubstr("/node_info/")));

  // No node runs at an emulated task's address: the page says what went wrong; it is not an error page.
  const auto node = client.get("/" + encoded + "/node_info/" + tasks["tasks"][0]["node_address"].get<std::string>());
  EXPECT_EQ(node.status, 200);
  EXPECT_THAT(node.body, HasSubstr("<p class=\"problem\">the node at " + tasks["tasks"][0]["node_address"].get<std::string>()));
  // Addresses that are not tasks of this cluster are refused, without even a connection to them.
  ListeningPort outsider;
  const std::string outside = "127.0.0.1:" + std::to_string(outsider.port());
  EXPECT_EQ(client.get("/api/clusters/" + encoded + "/nodes/" + outside).status, 404);
  EXPECT_EQ(client.get("/" + encoded + "/node_info/" + outside).status, 404);
  EXPECT_FALSE(outsider.was_connected()) << "the gateway contacted an address that is no task of the cluster";
}

TEST(GatewayEcs, FollowsEveryPageOfTasksAndDescribesThemAHundredAtATime) {
  auto moto = start_moto();
  make_cluster(moto->url(), "fossa-workers", 130);
  EcsWithLimits ecs(moto->port());
  auto gateway = start_gateway(aws_env(ecs.url()));

  const auto answer = client_for(*gateway).get("/api/clusters/arn%3Aaws%3Aecs%3Aeu-west-2%3A123456789012%3Acluster%2Ffossa-workers/tasks");
  ASSERT_EQ(answer.status, 200) << answer.body;
  std::set<std::string> arns;
  const auto tasks = ayeaye::Json::parse(answer.body);
  for (const auto& task : tasks["tasks"]) arns.insert(task["task_arn"].get<std::string>());
  EXPECT_EQ(arns.size(), 130u) << "every task of both ListTasks pages, each once";
  EXPECT_EQ(ecs.calls("ListTasks"), 2);
  EXPECT_EQ(ecs.calls("DescribeTasks"), 2);
  EXPECT_EQ(ecs.largest_describe(), 100u);
}

TEST(GatewayEcs, ReportsEachClustersStatusFromDescribeClusters) {
  auto moto = start_moto();
  make_cluster(moto->url(), "fossa-workers", 2);
  make_cluster(moto->url(), "retired", 0, {"--deleted"});
  EcsWithLimits ecs(moto->port());
  auto gateway = start_gateway(aws_env(ecs.url()));
  auto client = client_for(*gateway);

  const auto answer = client.get("/api/clusters");
  ASSERT_EQ(answer.status, 200) << answer.body;
  std::map<std::string, ayeaye::Json> by_name;
  const auto clusters = ayeaye::Json::parse(answer.body);
  for (const auto& cluster : clusters["clusters"]) by_name[cluster["name"]] = cluster;
  ASSERT_EQ(by_name.size(), 2u) << answer.body << " (ListClusters comes in pages of one: both pages)";
  EXPECT_EQ(by_name["fossa-workers"]["status"], "ACTIVE");
  EXPECT_EQ(by_name["retired"]["status"], "INACTIVE");
  EXPECT_THAT(by_name["fossa-workers"]["detail"].get<std::string>(), HasSubstr("tasks running"));
  EXPECT_EQ(ecs.calls("DescribeClusters"), 1);

  const auto page = client.get("/");
  EXPECT_THAT(page.body, HasSubstr("retired</a></td><td>INACTIVE"));
  EXPECT_THAT(page.body, HasSubstr("fossa-workers</a></td><td>ACTIVE"));
}

TEST(GatewayEcs, AStacksGatewayShowsAndAsksAboutItsOwnClusterOnly) {
  auto moto = start_moto();
  const std::string ours = make_cluster(moto->url(), "fossa-prod", 1);
  const std::string theirs = make_cluster(moto->url(), "payroll", 1);
  auto gateway = std::make_unique<NodeProcess>(NodeProcess::Launch{
      gateway_bin(), {"--port", "0", "--bind", "127.0.0.1", "--discovery", "ecs", "--ecs-cluster", "fossa-prod"},
      aws_env(moto->url()), "fossa-gateway ready"});
  auto client = client_for(*gateway);
  const auto answer = client.get("/api/clusters");
  ASSERT_EQ(answer.status, 200) << answer.body;
  const auto clusters = ayeaye::Json::parse(answer.body)["clusters"];
  ASSERT_EQ(clusters.size(), 1u) << answer.body;
  EXPECT_EQ(clusters[0]["name"], "fossa-prod");
  EXPECT_EQ(clusters[0]["status"], "ACTIVE");
  EXPECT_EQ(client.get("/api/clusters/" + fossa::net::encode_path_segment(ours) + "/tasks").status, 200);
  const auto refused = client.get("/api/clusters/" + fossa::net::encode_path_segment(theirs) + "/tasks");
  EXPECT_NE(refused.status, 200) << "another cluster of the account: " << refused.body;
  EXPECT_THAT(refused.body, ::testing::Not(HasSubstr("payroll/"))) << "none of its tasks shown";
}

TEST(GatewayEcs, SignsEveryRequestWithSigV4AndSaysWhenItHasNoCredentials) {
  // A stand-in for ECS that records what it is sent.
  StandInServer ecs;
  std::mutex mutex;
  fossa::net::Request seen;
  ecs.routes().post("/", [&](const fossa::net::Request& req, fossa::net::Response& res) {
    std::lock_guard lock(mutex);
    seen = req;
    res.set_content(R"({"clusterArns": []})", "application/x-amz-json-1.1");
  }, fossa::net::Body::kNone);
  ecs.start();
  const int port = ecs.port();

  auto env = aws_env("http://127.0.0.1:1");  // overridden for ECS just below
  env.push_back("AWS_ENDPOINT_URL_ECS=http://127.0.0.1:" + std::to_string(port));
  env.push_back("AWS_SESSION_TOKEN=session-token-123");
  auto gateway = start_gateway(env);
  EXPECT_EQ(client_for(*gateway).get("/api/clusters").status, 200);
  {
    std::lock_guard lock(mutex);
    const auto header = [&](const char* name) { return seen.get_header_value(name); };  // names without case
    EXPECT_THAT(std::string(header("Authorization")),
                MatchesRegex(R"(AWS4-HMAC-SHA256 Credential=testing/[0-9]{8}/eu-west-2/ecs/aws4_request, )"
                             R"(SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64})"));
    EXPECT_THAT(std::string(header("Authorization")), HasSubstr("x-amz-target"));
    EXPECT_THAT(std::string(header("X-Amz-Date")), MatchesRegex(R"([0-9]{8}T[0-9]{6}Z)"));
    EXPECT_EQ(std::string(header("X-Amz-Security-Token")), "session-token-123");
    EXPECT_EQ(std::string(header("X-Amz-Target")), "AmazonEC2ContainerServiceV20141113.ListClusters");
  }

  // No credentials anywhere (instance metadata turned off): a clear 502, not a crash.
  auto bare = start_gateway({"AWS_REGION=eu-west-2", "AWS_ENDPOINT_URL=http://127.0.0.1:" + std::to_string(port),
                             "AWS_ACCESS_KEY_ID=", "AWS_SECRET_ACCESS_KEY=", "AWS_EC2_METADATA_DISABLED=true",
                             "GATEWAY_HTTP_PASSWORD=" + kPassword});
  const auto refused = client_for(*bare).get("/api/clusters");
  EXPECT_EQ(refused.status, 502);
  EXPECT_THAT(refused.body, HasSubstr("no AWS credentials"));
  ecs.stop();
}

TEST(GatewayEcs, NeedsARegion) {
  const auto r = run_command(gateway_bin(), {"--port", "0", "--discovery", "ecs"},
                             {"GATEWAY_HTTP_PASSWORD=x", "AWS_REGION=", "AWS_DEFAULT_REGION=", "AWS_EC2_METADATA_DISABLED=true"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--region"));
}

}  // namespace
