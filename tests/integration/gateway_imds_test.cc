// fossa-gateway on an EC2 instance: its credentials and region from instance metadata (IMDSv2),
// here a fake metadata service on loopback (AWS_EC2_METADATA_SERVICE_ENDPOINT) that, like the
// real one with tokens required, answers nothing without a session token; and a stand-in for ECS
// that records how each request was signed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <mutex>
#include <set>

#include "support/command.h"
#include "support/node_process.h"
#include "support/stand_in_server.h"
#include "support/test_client.h"

namespace {

using fossa::testing::fossa_bin;
using fossa::testing::NodeProcess;
using fossa::testing::StandInServer;
using fossa::testing::TestClient;
using ::testing::HasSubstr;

const std::string kPassword = "imds test password";
const std::string kRole = "fossa-gateway-role";

std::string gateway_bin() { return (std::filesystem::path(fossa_bin()).parent_path() / "fossa-gateway").string(); }

// "2024-05-01T12:00:00Z", `from_now` away.
std::string aws_time(std::chrono::seconds from_now) {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + from_now);
  std::tm utc{};
  ::gmtime_r(&t, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// A small HTTP server on loopback for the length of a test; it stops before what it records goes.
class Server {
 public:
  Server() = default;
  ~Server() { server_.stop(); }
  std::string url() const { return server_.url(); }

 protected:
  StandInServer server_;
  std::mutex mutex_;
};

// Instance metadata as IMDSv2 with tokens required serves it: PUT /latest/api/token (with a TTL
// header) hands out a token; every GET without a token it handed out gets 401. It serves a role,
// that role's credentials (the ones `serve` set last) and a region.
class FakeInstanceMetadata : public Server {
 public:
  struct Credentials {
    std::string key_id;
    std::string token;
    std::string expiration;
  };

  explicit FakeInstanceMetadata(bool hands_out_tokens = true) {
    server_.routes().put("/latest/api/token", [this, hands_out_tokens](const fossa::net::Request& req, fossa::net::Response& res) {
      std::lock_guard lock(mutex_);
      if (!hands_out_tokens) return void(res.status = 403);
      if (!req.has_header("X-aws-ec2-metadata-token-ttl-seconds")) return void(res.status = 400);
      const std::string token = "imds-token-" + std::to_string(tokens_.size() + 1);
      tokens_.insert(token);
      res.set_content(token, "text/plain");
    }, fossa::net::Body::kNone);
    server_.routes().get(R"(/latest/.*)", [this](const fossa::net::Request& req, fossa::net::Response& res) {
      std::lock_guard lock(mutex_);
      if (tokens_.count(req.get_header_value("X-aws-ec2-metadata-token")) == 0) {
        ++refused_;
        return void(res.status = 401);
      }
      if (req.path == "/latest/meta-data/placement/region") return res.set_content("ap-southeast-2", "text/plain");
      if (req.path == "/latest/meta-data/iam/security-credentials/") return res.set_content(kRole, "text/plain");
      if (req.path == "/latest/meta-data/iam/security-credentials/" + kRole) {
        ++credential_fetches_;
        return res.set_content(ayeaye::Json{{"Code", "Success"},
                                            {"Type", "AWS-HMAC"},
                                            {"AccessKeyId", served_.key_id},
                                            {"SecretAccessKey", "secret-of-" + served_.key_id},
                                            {"Token", served_.token},
                                            {"Expiration", served_.expiration}}
                                   .dump(),
                               "application/json");
      }
      res.status = 404;
    });
    server_.start();
  }
  void serve(Credentials credentials) {
    std::lock_guard lock(mutex_);
    served_ = std::move(credentials);
  }
  int credential_fetches() {
    std::lock_guard lock(mutex_);
    return credential_fetches_;
  }
  int refused() {
    std::lock_guard lock(mutex_);
    return refused_;
  }

 private:
  std::set<std::string> tokens_;
  Credentials served_;
  int credential_fetches_ = 0;
  int refused_ = 0;
};

// A stand-in for ECS: answers ListClusters and DescribeClusters with nothing, recording the key id,
// region and session token each request was signed with.
class RecordingEcs : public Server {
 public:
  struct Signed {
    std::string key_id;
    std::string region;
    std::string session_token;
  };
  RecordingEcs() {
    server_.routes().post("/", [this](const fossa::net::Request& req, fossa::net::Response& res) {
      std::lock_guard lock(mutex_);
      // "AWS4-HMAC-SHA256 Credential=<key id>/<date>/<region>/ecs/aws4_request, ..."
      const std::string authorization = req.get_header_value("Authorization");
      const auto from = authorization.find("Credential=") + 11;
      const auto key_end = authorization.find('/', from);
      const auto region_from = authorization.find('/', key_end + 1) + 1;
      seen_.push_back({authorization.substr(from, key_end - from),
                       authorization.substr(region_from, authorization.find('/', region_from) - region_from),
                       req.get_header_value("X-Amz-Security-Token")});
      res.set_content(R"({"clusterArns": []})", "application/x-amz-json-1.1");
    }, fossa::net::Body::kNone);
    server_.start();
  }
  std::vector<Signed> seen() {
    std::lock_guard lock(mutex_);
    return seen_;
  }

 private:
  std::vector<Signed> seen_;
};

// The gateway as on the instance: no credentials or region of its own, only instance metadata.
std::unique_ptr<NodeProcess> start_gateway(const FakeInstanceMetadata& imds, const RecordingEcs& ecs,
                                           std::vector<std::string> env = {}) {
  env.insert(env.end(), {"AWS_EC2_METADATA_SERVICE_ENDPOINT=" + imds.url(), "AWS_ENDPOINT_URL_ECS=" + ecs.url(),
                         "AWS_ACCESS_KEY_ID=", "AWS_SECRET_ACCESS_KEY=", "AWS_SESSION_TOKEN=", "AWS_REGION=",
                         "AWS_DEFAULT_REGION=", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI=",
                         "AWS_CONTAINER_CREDENTIALS_FULL_URI=", "AWS_EC2_METADATA_DISABLED=",
                         "GATEWAY_HTTP_PASSWORD=" + kPassword});
  return std::make_unique<NodeProcess>(NodeProcess::Launch{
      gateway_bin(), {"--port", "0", "--bind", "127.0.0.1", "--discovery", "ecs"}, env, "fossa-gateway ready"});
}

int clusters_status(const NodeProcess& gateway) {
  return TestClient(gateway.port()).basic_auth("fossa", kPassword).get("/api/clusters").status;
}

TEST(GatewayImds, SignsWithTheRolesCredentialsAndTheRegionFromInstanceMetadataAskedWithAToken) {
  FakeInstanceMetadata imds;
  imds.serve({"ASIAROLEKEY", "role-session-token", aws_time(std::chrono::hours(6))});
  RecordingEcs ecs;
  auto gateway = start_gateway(imds, ecs);

  ASSERT_EQ(clusters_status(*gateway), 200);
  const auto seen = ecs.seen();
  ASSERT_FALSE(seen.empty());
  for (const auto& request : seen) {
    EXPECT_EQ(request.key_id, "ASIAROLEKEY");
    EXPECT_EQ(request.region, "ap-southeast-2");
    EXPECT_EQ(request.session_token, "role-session-token");
  }
  EXPECT_EQ(imds.refused(), 0) << "every request to instance metadata carried a token it handed out";
}

TEST(GatewayImds, FetchesTheRolesCredentialsAgainWhenTheyExpireAndNotBefore) {
  FakeInstanceMetadata imds;
  // Due for renewal as they are handed out (they expire within the gateway's 5 minutes' margin):
  // used once, then fetched again.
  imds.serve({"ASIAFIRST", "first-session", aws_time(std::chrono::minutes(1))});
  RecordingEcs ecs;
  auto gateway = start_gateway(imds, ecs);

  ASSERT_EQ(clusters_status(*gateway), 200);
  EXPECT_EQ(imds.credential_fetches(), 1);
  imds.serve({"ASIASECOND", "second-session", aws_time(std::chrono::hours(6))});
  ASSERT_EQ(clusters_status(*gateway), 200);
  EXPECT_EQ(imds.credential_fetches(), 2);
  imds.serve({"ASIATHIRD", "third-session", aws_time(std::chrono::hours(6))});
  ASSERT_EQ(clusters_status(*gateway), 200);
  EXPECT_EQ(imds.credential_fetches(), 2) << "credentials good for hours are not fetched again";

  std::vector<std::string> keys;
  for (const auto& request : ecs.seen()) {
    if (keys.empty() || keys.back() != request.key_id) keys.push_back(request.key_id);
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"ASIAFIRST", "ASIASECOND"}));
  EXPECT_EQ(ecs.seen().back().session_token, "second-session");
}

TEST(GatewayImds, WithoutATokenFromInstanceMetadataItHasNoCredentialsAndAsksNothingElse) {
  FakeInstanceMetadata imds(/*hands_out_tokens=*/false);  // as from a container one hop too far
  RecordingEcs ecs;
  auto gateway = start_gateway(imds, ecs, {"AWS_REGION=eu-west-2"});

  const auto answer = TestClient(gateway->port()).basic_auth("fossa", kPassword).get("/api/clusters");
  ASSERT_TRUE(answer.answered()) << answer.error;
  EXPECT_EQ(answer.status, 502);
  EXPECT_THAT(answer.body, HasSubstr("no AWS credentials"));
  EXPECT_EQ(imds.refused(), 0) << "no IMDSv1 request, without a token";
  EXPECT_TRUE(ecs.seen().empty());
}

}  // namespace
