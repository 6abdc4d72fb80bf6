// What a `fossa node` asks of a request before it serves it, and what it puts on every answer
// (issue 22): it listens on loopback unless told otherwise, answers only to its own names (DNS
// rebinding), never puts X-Forwarded-Host into a link, reads a task only when it is sent as JSON,
// refuses a state-changing request a browser sends for another site, and carries the security
// headers the gateway carries.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "support/command.h"
#include "support/node_process.h"
#include "support/test_client.h"

namespace {

using fossa::testing::fossa_bin;
using fossa::testing::NodeProcess;
using fossa::testing::TestClient;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kTask = R"({"model_class": "NothingEtl"})";

// The local addresses (hex, as /proc/net/tcp{,6} writes them) of the sockets listening on `port`.
std::vector<std::string> listening_addresses(int port) {
  std::vector<std::string> found;
  char wanted[8];
  std::snprintf(wanted, sizeof wanted, "%04X", port);
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(table);
    std::string line;
    std::getline(in, line);  // the column names
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string slot, local, remote, state;
      fields >> slot >> local >> remote >> state;
      const auto colon = local.find(':');
      if (state == "0A" && colon != std::string::npos && local.substr(colon + 1) == wanted) found.push_back(local.substr(0, colon));
    }
  }
  return found;
}

TEST(NodeDoor, ListensOnLoopbackUnlessToldOtherwise) {
  NodeProcess plain(NodeProcess::Launch{fossa_bin(), {"node", "--port", "0"}, {}, "fossa node ready"});
  EXPECT_EQ(listening_addresses(plain.port()), std::vector<std::string>{"0100007F"}) << "127.0.0.1 only";
  NodeProcess everywhere(NodeProcess::Launch{fossa_bin(), {"node", "--port", "0"}, {"FOSSA_BIND=0.0.0.0"}, "fossa node ready"});
  EXPECT_EQ(listening_addresses(everywhere.port()), std::vector<std::string>{"00000000"}) << "told: every address";
}

TEST(NodeDoor, AnswersOnlyToItsOwnNames) {
  NodeProcess node({"--allowed-hosts", "Worker-7.example, other.example"});
  const TestClient client(node.port());
  const std::string port = ":" + std::to_string(node.port());
  for (const std::string& host : {"127.0.0.1" + port, "localhost" + port, "worker-7.example" + port, std::string("other.example")}) {
    const auto answer = client.get("/api/0.01/node_info", {{"Host", host}});
    ASSERT_TRUE(answer.answered()) << host << ": " << answer.error;
    EXPECT_EQ(answer.status, 200) << host;
  }
  // A name of the attacker's that resolves to the node (DNS rebinding, a forwarded port): the
  // attacker's page would be same-origin with it.
  for (const std::string path : {"/", "/api/0.01/node_info", "/api/0.01/task"}) {
    const auto rebound = path == "/api/0.01/task"
                             ? client.post(path, kTask, "application/json", {{"Host", "rebind.attacker.example" + port}})
                             : client.get(path, {{"Host", "rebind.attacker.example" + port}});
    ASSERT_TRUE(rebound.answered()) << path << ": " << rebound.error;
    EXPECT_EQ(rebound.status, 421) << path;
    EXPECT_THAT(rebound.body, HasSubstr("--allowed-hosts")) << path;
  }
  EXPECT_TRUE(node.get("/api/0.01/node_info").json()["recent_completed_tasks"].empty()) << "nothing was run";
  const auto bad = fossa::testing::run_command(fossa_bin(), {"node", "--port", "0", "--allowed-hosts", "a:80"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("--allowed-hosts: 'a:80' is not a host name"));
}

TEST(NodeDoor, LinksNameTheHostCalledNeverXForwardedHost) {
  NodeProcess node;
  const TestClient client(node.port());
  const auto posted = client.post("/api/0.01/task", kTask, "application/json", {{"X-Forwarded-Host", "evil.example"}});
  ASSERT_TRUE(posted.answered()) << posted.error;
  ASSERT_EQ(posted.status, 200) << posted.body;
  EXPECT_THAT(posted.body, HasSubstr("\"http://127.0.0.1:" + std::to_string(node.port()) + "/api/0.01/task/"));
  EXPECT_THAT(posted.body, Not(HasSubstr("evil.example")));
}

TEST(NodeDoor, ATaskIsReadOnlyWhenSentAsJson) {
  NodeProcess node;
  const TestClient client(node.port());
  // What a <form enctype="text/plain"> of another site posts: a body that parses as a task.
  for (const std::string type : {"text/plain", "application/x-www-form-urlencoded"}) {
    const auto answer = client.post("/api/0.01/task", kTask, type);
    ASSERT_TRUE(answer.answered()) << type << ": " << answer.error;
    EXPECT_EQ(answer.status, 415) << type;
    EXPECT_THAT(answer.body, HasSubstr("takes a JSON body, sent with Content-Type: application/json (got '" + type));
  }
  const auto typed = client.post("/api/0.01/task", kTask, "application/json; charset=utf-8");
  ASSERT_TRUE(typed.answered()) << typed.error;
  EXPECT_EQ(typed.status, 200) << typed.body;
}

TEST(NodeDoor, AStateChangingRequestABrowserSendsForAnotherSiteIsRefused) {
  NodeProcess node;
  const TestClient client(node.port());
  const std::string self = "http://127.0.0.1:" + std::to_string(node.port());
  for (const fossa::http_client::Headers& elsewhere : {fossa::http_client::Headers{{"Sec-Fetch-Site", "cross-site"}},
                                                       fossa::http_client::Headers{{"Sec-Fetch-Site", "same-site"}},
                                                       fossa::http_client::Headers{{"Origin", "http://127.0.0.1:1"}}}) {
    const auto refused = client.post("/api/0.01/task", kTask, "application/json", elsewhere);
    ASSERT_TRUE(refused.answered()) << refused.error;
    EXPECT_EQ(refused.status, 403) << elsewhere.begin()->second;
  }
  EXPECT_TRUE(node.get("/api/0.01/node_info").json()["recent_completed_tasks"].empty()) << "nothing was run";
  const auto own = client.post("/api/0.01/task", kTask, "application/json", {{"Sec-Fetch-Site", "same-origin"}, {"Origin", self}});
  ASSERT_TRUE(own.answered()) << own.error;
  EXPECT_EQ(own.status, 200) << own.body;
}

TEST(NodeDoor, EveryAnswerCarriesTheSecurityHeaders) {
  NodeProcess node({}, {"FOSSA_API_TOKEN=a-token"});
  const TestClient client(node.port());
  const auto page = client.get("/", {{"Authorization", "Bearer a-token"}});
  const auto refused = client.get("/");
  const auto health = client.get("/healthz");
  const auto misdirected = client.get("/healthz", {{"Host", "attacker.example"}});
  for (const auto* answer : {&page, &refused, &health, &misdirected}) ASSERT_TRUE(answer->answered()) << answer->error;
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(refused.status, 401);
  EXPECT_EQ(misdirected.status, 421);
  for (const auto* answer : {&page, &refused, &health, &misdirected}) {
    EXPECT_EQ(answer->header("Content-Security-Policy"), "default-src 'self'; frame-ancestors 'none'");
    EXPECT_EQ(answer->header("X-Frame-Options"), "DENY");
    EXPECT_EQ(answer->header("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(answer->header("Referrer-Policy"), "no-referrer");
  }
}

}  // namespace
