// fossa-gateway against a real local cluster (`fossa cluster up`): every path behind basic auth,
// the throttle, the cluster's tasks and a node's page, and no request to anything else.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "support/command.h"
#include "support/listening_port.h"
#include "support/node_process.h"

namespace {

using fossa::testing::fossa_bin;
using fossa::testing::ListeningPort;
using fossa::testing::status_of;
using fossa::testing::NodeProcess;
using fossa::testing::run_command;
using ::testing::HasSubstr;

const std::string kPassword = "correct horse battery staple";

std::string gateway_bin() { return (std::filesystem::path(fossa_bin()).parent_path() / "fossa-gateway").string(); }

// A local cluster of two nodes, for the length of a test.
class LocalCluster {
 public:
  LocalCluster() {
    ::chmod(dir_.path().c_str(), 0755);  // the broker runs as the rabbitmq user
    const auto up = run_command(fossa_bin(), {"cluster", "--dir", dir_.path(), "up", "--workers", "2"});
    if (up.exit_code != 0) throw std::runtime_error("fossa cluster up failed: " + up.out + up.err);
  }
  ~LocalCluster() { run_command(fossa_bin(), {"cluster", "--dir", dir_.path(), "down"}); }
  const std::string& dir() const { return dir_.path(); }

 private:
  fossa::testing::TempDir dir_;
};

std::unique_ptr<NodeProcess> start_gateway(const LocalCluster& cluster) {
  return std::make_unique<NodeProcess>(NodeProcess::Launch{
      gateway_bin(), {"--port", "0", "--bind", "127.0.0.1", "--cluster-dir", cluster.dir()},
      {"GATEWAY_HTTP_PASSWORD=" + kPassword}, "fossa-gateway ready"});
}

httplib::Client client_for(const NodeProcess& gateway, const std::string& password = kPassword) {
  httplib::Client client("127.0.0.1", gateway.port());
  if (!password.empty()) client.set_basic_auth("fossa", password.c_str());
  return client;
}

TEST(Gateway, RefusesToStartWithoutAPassword) {
  const auto r = run_command(gateway_bin(), {"--port", "0", "--cluster-dir", "/nowhere"}, {"GATEWAY_HTTP_PASSWORD="});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("GATEWAY_HTTP_PASSWORD"));
  const auto bad_port = run_command(gateway_bin(), {}, {"GATEWAY_HTTP_PASSWORD=x", "GATEWAY_HTTP_PORT=eighty"});
  EXPECT_EQ(bad_port.exit_code, 2);
  EXPECT_THAT(bad_port.err, HasSubstr("GATEWAY_HTTP_PORT must be a port number"));
  const auto neither = run_command(gateway_bin(), {"--port", "0"}, {"GATEWAY_HTTP_PASSWORD=x"});
  EXPECT_EQ(neither.exit_code, 2);
  EXPECT_THAT(neither.err, HasSubstr("--cluster-dir"));
}

TEST(Gateway, RefusesToStartWithAShortPassword) {
  const auto r = run_command(gateway_bin(), {"--port", "0", "--node", "http://127.0.0.1:1"},
                             {"GATEWAY_HTTP_PASSWORD=eleven char"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("too short"));
}

TEST(Gateway, EveryAnswerCarriesTheSecurityHeadersAndTheBasicSchemeIsCaseInsensitive) {
  NodeProcess node;
  NodeProcess gateway(NodeProcess::Launch{gateway_bin(), {"--port", "0", "--bind", "127.0.0.1", "--node", node.url()},
                                          {"GATEWAY_HTTP_PASSWORD=" + kPassword}, "fossa-gateway ready"});
  httplib::Client client("127.0.0.1", gateway.port());
  // "fossa:correct horse battery staple" (kPassword) in base64, sent with the scheme's name in lower case.
  const std::string credentials = "Zm9zc2E6Y29ycmVjdCBob3JzZSBiYXR0ZXJ5IHN0YXBsZQ==";
  const auto refused = client.Get("/");
  const auto lower_case = client.Get("/", {{"Authorization", "basic " + credentials}});
  ASSERT_TRUE(refused && lower_case);
  EXPECT_EQ(refused->status, 401);
  EXPECT_EQ(lower_case->status, 200);
  for (const auto* answer : {&*refused, &*lower_case}) {
    EXPECT_EQ(answer->get_header_value("Content-Security-Policy"), "default-src 'self'; frame-ancestors 'none'");
    EXPECT_EQ(answer->get_header_value("X-Frame-Options"), "DENY");
    EXPECT_EQ(answer->get_header_value("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(answer->get_header_value("Referrer-Policy"), "no-referrer");
  }
}

TEST(Gateway, EveryPathAsksForTheUserAndPasswordAndRepeatedFailuresAreThrottled) {
  LocalCluster cluster;
  auto gateway = start_gateway(cluster);
  for (const std::string path : {"/", "/api/clusters", "/local/tasks", "/no/such/path"}) {
    auto anonymous = client_for(*gateway, "");
    const auto r = anonymous.Get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 401) << path;
    EXPECT_THAT(r->get_header_value("WWW-Authenticate"), HasSubstr("Basic")) << path;
  }
  EXPECT_EQ(client_for(*gateway).Get("/api/clusters")->status, 200);
  auto wrong = client_for(*gateway, "not the password");
  for (int i = 0; i < 5; ++i) EXPECT_EQ(wrong.Get("/api/clusters")->status, 401);
  const auto throttled = wrong.Get("/api/clusters");
  EXPECT_EQ(throttled->status, 429);
  EXPECT_FALSE(throttled->get_header_value("Retry-After").empty());
  EXPECT_EQ(client_for(*gateway).Get("/api/clusters")->status, 429) << "the address is throttled, whatever it sends";
}

TEST(Gateway, ShowsTheClustersTasksAndANodesPageAndContactsNothingElse) {
  LocalCluster cluster;
  auto gateway = start_gateway(cluster);
  auto client = client_for(*gateway);
  const auto clusters = ayeaye::Json::parse(client.Get("/api/clusters")->body);
  ASSERT_EQ(clusters["clusters"].size(), 1u);
  EXPECT_EQ(clusters["clusters"][0]["arn"], "local");
  const auto tasks = ayeaye::Json::parse(client.Get("/api/clusters/local/tasks")->body);
  ASSERT_EQ(tasks["tasks"].size(), 2u);
  const std::string address = tasks["tasks"][1]["node_address"];
  EXPECT_EQ(tasks["tasks"][1]["task_id"], "node-2");

  // A job on the cluster, then its node's page through the gateway.
  const auto job = run_command(fossa_bin(), {"submit", "PartitionedExampleEtl", "--node", "http://" + address,
                                             "-c", "complexity=1", "--wait"});
  ASSERT_EQ(job.exit_code, 0) << job.out << job.err;
  const auto info = ayeaye::Json::parse(client.Get("/api/clusters/local/nodes/" + address)->body);
  EXPECT_EQ(info["node_info"]["node_ident"], "node-2");
  EXPECT_EQ(info["recent_completed_tasks"][0]["model_class"], "PartitionedExampleEtl");
  const auto page = client.Get("/local/node_info/" + address);
  EXPECT_EQ(page->status, 200);
  EXPECT_THAT(page->body, HasSubstr("<h1>Node node-2</h1>"));
  EXPECT_THAT(page->body, HasSubstr("PartitionedExampleEtl"));
  EXPECT_THAT(client.Get("/local/tasks")->body, HasSubstr("/local/node_info/" + address));

  // An address that is not a task of the cluster: refused without even a connection to it.
  ListeningPort outsider;
  const std::string outside = "127.0.0.1:" + std::to_string(outsider.port());
  EXPECT_EQ(status_of(client.Get("/api/clusters/local/nodes/" + outside)), 404);
  EXPECT_EQ(status_of(client.Get("/local/node_info/" + outside)), 404);
  EXPECT_EQ(client.Get("/api/clusters/elsewhere/tasks")->status, 404);
  EXPECT_FALSE(outsider.was_connected());
}

// Waits for `pid`, not a child of ours, to end (a hang guard of 30 s: pidfd readiness is the event).
void wait_for_end_of(pid_t pid) {
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (pidfd < 0) return;  // already gone
  pollfd fd{pidfd, POLLIN, 0};
  const int ready = ::poll(&fd, 1, 30000);
  ::close(pidfd);
  if (ready != 1) throw std::runtime_error("pid " + std::to_string(pid) + " did not end");
}

TEST(Gateway, SaysWhenTheLocalClusterIsDegradedOrDown) {
  LocalCluster cluster;
  auto gateway = start_gateway(cluster);
  auto client = client_for(*gateway);
  const auto local = [&client] { return ayeaye::Json::parse(client.Get("/api/clusters")->body)["clusters"][0]; };
  EXPECT_EQ(local()["status"], "ACTIVE") << local();
  std::ifstream file(cluster.dir() + "/cluster.json");
  const auto state = ayeaye::Json::parse(file);

  const pid_t node = state["nodes"][1]["pid"];
  ::kill(node, SIGKILL);
  wait_for_end_of(node);
  EXPECT_EQ(local()["status"], "DEGRADED") << local();
  EXPECT_THAT(local()["detail"].get<std::string>(), HasSubstr("node-2 (pid " + std::to_string(node) + ") is not running"));

  const pid_t supervisor = state["supervisor_pid"];
  ::kill(supervisor, SIGKILL);
  wait_for_end_of(supervisor);
  EXPECT_EQ(local()["status"], "DOWN") << local();
  EXPECT_THAT(local()["detail"].get<std::string>(), HasSubstr("its supervisor (pid " + std::to_string(supervisor)));
  EXPECT_THAT(client.Get("/")->body, HasSubstr("</a></td><td>DOWN <span class=\"muted\">its supervisor"));

  ASSERT_EQ(run_command(fossa_bin(), {"cluster", "--dir", cluster.dir(), "down"}).exit_code, 0);
  EXPECT_EQ(local()["status"], "DOWN") << local();
  EXPECT_THAT(local()["detail"].get<std::string>(), HasSubstr("no cluster is up"));
}

TEST(Gateway, SaysWhetherTheNodesItWasGivenAnswer) {
  NodeProcess node;
  NodeProcess gateway(NodeProcess::Launch{gateway_bin(), {"--port", "0", "--bind", "127.0.0.1", "--node", node.url()},
                                          {"GATEWAY_HTTP_PASSWORD=" + kPassword}, "fossa-gateway ready"});
  auto client = client_for(gateway);
  const auto local = [&client] { return ayeaye::Json::parse(client.Get("/api/clusters")->body)["clusters"][0]; };
  EXPECT_EQ(local()["status"], "ACTIVE") << local();
  node.stop(SIGTERM);
  EXPECT_EQ(local()["status"], "DOWN") << local();
  EXPECT_THAT(local()["detail"].get<std::string>(), HasSubstr(node.url() + " does not answer"));
}

TEST(Gateway, WithACertificateItSpeaksOnlyHttps) {
  LocalCluster cluster;
  fossa::testing::TempDir keys;
  const std::string cert = keys.path() + "/cert.pem";
  const std::string key = keys.path() + "/key.pem";
  const auto made = run_command("/usr/bin/openssl", {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                                                     "/CN=127.0.0.1", "-keyout", key, "-out", cert});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  NodeProcess gateway(NodeProcess::Launch{
      gateway_bin(),
      {"--port", "0", "--bind", "127.0.0.1", "--cluster-dir", cluster.dir(), "--tls-cert", cert, "--tls-key", key},
      {"GATEWAY_HTTP_PASSWORD=" + kPassword}, "fossa-gateway ready on https://"});

  httplib::SSLClient https("127.0.0.1", gateway.port());
  https.set_ca_cert_path(cert.c_str());  // trust exactly this throwaway certificate
  https.enable_server_certificate_verification(true);
  https.set_basic_auth("fossa", kPassword.c_str());
  const auto answer = https.Get("/api/clusters");
  ASSERT_TRUE(answer) << httplib::to_string(answer.error());
  EXPECT_EQ(answer->status, 200);
  httplib::Client plain("127.0.0.1", gateway.port());
  plain.set_basic_auth("fossa", kPassword.c_str());
  const auto in_clear = plain.Get("/api/clusters");
  EXPECT_TRUE(!in_clear || in_clear->status != 200) << "plain HTTP must not be served";

  const auto half = run_command(gateway_bin(), {"--port", "0", "--cluster-dir", cluster.dir(), "--tls-cert", cert},
                                {"GATEWAY_HTTP_PASSWORD=x"});
  EXPECT_EQ(half.exit_code, 2);
  EXPECT_THAT(half.err, HasSubstr("both --tls-cert and --tls-key"));
}

}  // namespace
