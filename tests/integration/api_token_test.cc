// FOSSA_API_TOKEN: a node started with it asks every request but its health checks for
// `Authorization: Bearer <token>`; `fossa submit` and fossa-gateway send the token they are given.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "support/command.h"
#include "support/node_process.h"
#include "support/test_client.h"

namespace {

using fossa::testing::fossa_bin;
using fossa::testing::NodeProcess;
using fossa::testing::run_command;
using fossa::testing::TestClient;
using ::testing::HasSubstr;

const std::string kToken = "a-node-api-token";
const std::string kPassword = "a long enough gateway password";

int status(const NodeProcess& node, const std::string& path, const std::string& token = "") {
  TestClient client(node.port());
  if (!token.empty()) client.bearer_token(token);
  const auto answer = client.get(path);
  return answer.status;
}

TEST(ApiToken, TheNodeAsksForItsTokenOnEveryPathButTheHealthChecks) {
  NodeProcess node({}, {"FOSSA_API_TOKEN=" + kToken});
  for (const std::string path : {"/api/0.01/", "/api/0.01/node_info", "/", "/metrics"}) {
    EXPECT_EQ(status(node, path), 401) << path;
    EXPECT_EQ(status(node, path, "not-the-token"), 401) << path;
    EXPECT_EQ(status(node, path, kToken), 200) << path;
  }
  EXPECT_EQ(status(node, "/healthz"), 200);
  EXPECT_EQ(status(node, "/readyz"), 200);
}

// RFC 9110 §11.1: the scheme's name is case-insensitive; the token is not.
TEST(ApiToken, TheBearerSchemeIsCaseInsensitive) {
  NodeProcess node({}, {"FOSSA_API_TOKEN=" + kToken});
  const TestClient client(node.port());
  for (const std::string scheme : {"Bearer", "bearer", "BEARER"}) {
    const auto answer = client.get("/api/0.01/node_info", {{"Authorization", scheme + " " + kToken}});
    ASSERT_TRUE(answer.answered()) << answer.error;
    EXPECT_EQ(answer.status, 200) << scheme;
  }
  const auto wrong_case = client.get("/api/0.01/node_info", {{"Authorization", "Bearer A-NODE-API-TOKEN"}});
  ASSERT_TRUE(wrong_case.answered()) << wrong_case.error;
  EXPECT_EQ(wrong_case.status, 401);
}

TEST(ApiToken, FossaSubmitAndTheGatewaySendTheTokenTheyAreGiven) {
  NodeProcess node({}, {"FOSSA_API_TOKEN=" + kToken});
  const auto refused = run_command(fossa_bin(), {"submit", "NothingEtl", "--node", node.url()}, {"FOSSA_API_TOKEN="});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_THAT(refused.err, HasSubstr("401"));
  const auto submitted =
      run_command(fossa_bin(), {"submit", "NothingEtl", "--node", node.url(), "--wait"}, {"FOSSA_API_TOKEN=" + kToken});
  EXPECT_EQ(submitted.exit_code, 0) << submitted.err;

  const std::string gateway_bin = (std::filesystem::path(fossa_bin()).parent_path() / "fossa-gateway").string();
  const std::string node_page = "/api/clusters/local/nodes/127.0.0.1:" + std::to_string(node.port());
  for (const std::string& token : {std::string(), kToken}) {
    NodeProcess gateway(NodeProcess::Launch{gateway_bin,
                                            {"--port", "0", "--bind", "127.0.0.1", "--node", node.url()},
                                            {"GATEWAY_HTTP_PASSWORD=" + kPassword, "FOSSA_API_TOKEN=" + token},
                                            "fossa-gateway ready"});
    TestClient client(gateway.port());
    client.basic_auth("fossa", kPassword);
    const auto answer = client.get(node_page);
    ASSERT_TRUE(answer.answered()) << answer.error;
    EXPECT_EQ(answer.status, token.empty() ? 502 : 200) << answer.body;
  }
}

}  // namespace
