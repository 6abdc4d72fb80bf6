// fossa-gateway against a real local cluster (`fossa cluster up`): every path behind basic auth,
// the throttle, the cluster's tasks and a node's page, and no request to anything else.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "support/command.h"
#include "support/gate.h"
#include "support/listening_port.h"
#include "support/node_process.h"
#include "support/test_client.h"

namespace {

using fossa::testing::fossa_bin;
using fossa::testing::ListeningPort;
using fossa::testing::NodeProcess;
using fossa::testing::run_command;
using fossa::testing::TestClient;
using ::testing::HasSubstr;

const std::string kPassword = "correct horse battery staple";

std::string gateway_bin() { return (std::filesystem::path(fossa_bin()).parent_path() / "fossa-gateway").string(); }

// A local cluster of two nodes (or as many as asked, with as many slots each), for the length of a test.
class LocalCluster {
 public:
  explicit LocalCluster(int workers = 2, int capacity = 0) {
    ::chmod(dir_.path().c_str(), 0755);  // the broker runs as the rabbitmq user
    std::vector<std::string> args{"cluster", "--dir", dir_.path(), "up", "--workers", std::to_string(workers)};
    if (capacity > 0) args.insert(args.end(), {"--capacity", std::to_string(capacity)});
    const auto up = run_command(fossa_bin(), args);
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

TestClient client_for(const NodeProcess& gateway, const std::string& password = kPassword) {
  TestClient client(gateway.port());  // its deadline is beyond the longest long poll (?wait=20)
  if (!password.empty()) client.basic_auth("fossa", password);
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
  TestClient client(gateway.port());
  // "fossa:correct horse battery staple" (kPassword) in base64, sent with the scheme's name in lower case.
  const std::string credentials = "Zm9zc2E6Y29ycmVjdCBob3JzZSBiYXR0ZXJ5IHN0YXBsZQ==";
  const auto refused = client.get("/");
  const auto lower_case = client.get("/", {{"Authorization", "basic " + credentials}});
  ASSERT_TRUE(refused.answered() && lower_case.answered());
  EXPECT_EQ(refused.status, 401);
  EXPECT_EQ(lower_case.status, 200);
  for (const auto* answer : {&refused, &lower_case}) {
    EXPECT_EQ(answer->header("Content-Security-Policy"), "default-src 'self'; frame-ancestors 'none'");
    EXPECT_EQ(answer->header("X-Frame-Options"), "DENY");
    EXPECT_EQ(answer->header("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(answer->header("Referrer-Policy"), "no-referrer");
  }
}

TEST(Gateway, EveryPathAsksForTheUserAndPasswordAndRepeatedFailuresAreThrottled) {
  LocalCluster cluster;
  auto gateway = start_gateway(cluster);
  for (const std::string path : {"/", "/api/clusters", "/local/tasks", "/no/such/path"}) {
    auto anonymous = client_for(*gateway, "");
    const auto r = anonymous.get(path);
    ASSERT_TRUE(r.answered()) << path << ": " << r.error;
    EXPECT_EQ(r.status, 401) << path;
    EXPECT_THAT(r.header("WWW-Authenticate"), HasSubstr("Basic")) << path;
  }
  EXPECT_EQ(client_for(*gateway).get("/api/clusters").status, 200);
  auto wrong = client_for(*gateway, "not the password");
  for (int i = 0; i < 5; ++i) EXPECT_EQ(wrong.get("/api/clusters").status, 401);
  const auto throttled = wrong.get("/api/clusters");
  EXPECT_EQ(throttled.status, 429);
  EXPECT_FALSE(throttled.header("Retry-After").empty());
  EXPECT_EQ(client_for(*gateway).get("/api/clusters").status, 429) << "the address is throttled, whatever it sends";
}

TEST(Gateway, ShowsTheClustersTasksAndANodesPageAndContactsNothingElse) {
  LocalCluster cluster;
  auto gateway = start_gateway(cluster);
  auto client = client_for(*gateway);
  const auto clusters = ayeaye::Json::parse(client.get("/api/clusters").body);
  ASSERT_EQ(clusters["clusters"].size(), 1u);
  EXPECT_EQ(clusters["clusters"][0]["arn"], "local");
  const auto tasks = ayeaye::Json::parse(client.get("/api/clusters/local/tasks").body);
  ASSERT_EQ(tasks["tasks"].size(), 2u);
  const std::string address = tasks["tasks"][1]["node_address"];
  EXPECT_EQ(tasks["tasks"][1]["task_id"], "node-2");

  // A job on the cluster, then its node's page through the gateway.
  const auto job = run_command(fossa_bin(), {"submit", "PartitionedExampleEtl", "--node", "http://" + address,
                                             "-c", "complexity=1", "--wait"});
  ASSERT_EQ(job.exit_code, 0) << job.out << job.err;
  const auto info = ayeaye::Json::parse(client.get("/api/clusters/local/nodes/" + address).body);
  EXPECT_EQ(info["node_info"]["node_ident"], "node-2");
  EXPECT_EQ(info["recent_completed_tasks"][0]["model_class"], "PartitionedExampleEtl");
  const auto page = client.get("/local/node_info/" + address);
  EXPECT_EQ(page.status, 200);
  EXPECT_THAT(page.body, HasSubstr("<h1>Node node-2</h1>"));
  EXPECT_THAT(page.body, HasSubstr("PartitionedExampleEtl"));
  EXPECT_THAT(client.get("/local/tasks").body, HasSubstr("/local/node_info/" + address));

  // An address that is not a task of the cluster: refused without even a connection to it.
  ListeningPort outsider;
  const std::string outside = "127.0.0.1:" + std::to_string(outsider.port());
  EXPECT_EQ(client.get("/api/clusters/local/nodes/" + outside).status, 404);
  EXPECT_EQ(client.get("/local/node_info/" + outside).status, 404);
  EXPECT_EQ(client.get("/api/clusters/elsewhere/tasks").status, 404);
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
  const auto local = [&client] { return ayeaye::Json::parse(client.get("/api/clusters").body)["clusters"][0]; };
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
  EXPECT_THAT(client.get("/").body, HasSubstr("</a></td><td>DOWN <span class=\"muted\">its supervisor"));

  // What the dead supervisor started, `down` stops: the node still running, the broker and its epmd.
  const auto down = run_command(fossa_bin(), {"cluster", "--dir", cluster.dir(), "down"});
  ASSERT_EQ(down.exit_code, 0) << down.err;
  EXPECT_THAT(down.out, HasSubstr("the supervisor had not stopped node-1 (pid "));
  for (const pid_t pid : {state["nodes"][0]["pid"].get<pid_t>(), state["broker_pid"].get<pid_t>(),
                          state["broker_epmd_pid"].get<pid_t>()}) {
    EXPECT_FALSE(fossa::testing::process_alive(pid)) << "pid " << pid << " outlived `fossa cluster down`";
  }
  EXPECT_EQ(local()["status"], "DOWN") << local();
  EXPECT_THAT(local()["detail"].get<std::string>(), HasSubstr("no cluster is up"));
}

TEST(Gateway, SaysWhetherTheNodesItWasGivenAnswer) {
  NodeProcess node;
  NodeProcess gateway(NodeProcess::Launch{gateway_bin(), {"--port", "0", "--bind", "127.0.0.1", "--node", node.url()},
                                          {"GATEWAY_HTTP_PASSWORD=" + kPassword}, "fossa-gateway ready"});
  auto client = client_for(gateway);
  const auto local = [&client] { return ayeaye::Json::parse(client.get("/api/clusters").body)["clusters"][0]; };
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

  auto https = TestClient("https://127.0.0.1:" + std::to_string(gateway.port())).basic_auth("fossa", kPassword);
  https.trust(cert);  // exactly this throwaway certificate
  const auto answer = https.get("/api/clusters");
  ASSERT_TRUE(answer.answered()) << answer.error;
  EXPECT_EQ(answer.status, 200);
  const auto in_clear = TestClient(gateway.port()).basic_auth("fossa", kPassword).get("/api/clusters");
  EXPECT_TRUE(!in_clear.answered() || in_clear.status != 200) << "plain HTTP must not be served";

  const auto half = run_command(gateway_bin(), {"--port", "0", "--cluster-dir", cluster.dir(), "--tls-cert", cert},
                                {"GATEWAY_HTTP_PASSWORD=x"});
  EXPECT_EQ(half.exit_code, 2);
  EXPECT_THAT(half.err, HasSubstr("both --tls-cert and --tls-key"));
}

// The jobs API and a job's page through the gateway: a job spread over four nodes, each subtask
// in its node's lane once.
// The nodes of `fossa cluster up` are not this test's children: their logs are files, with nothing
// to subscribe to, so this reads them until `count` of them say `text` (within a deadline).
std::set<std::string> wait_for_nodes_logging(const LocalCluster& cluster, int nodes, std::size_t count, const std::string& text) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
  for (;;) {
    std::set<std::string> said;
    for (int i = 1; i <= nodes; ++i) {
      std::ifstream log(cluster.dir() + "/node-" + std::to_string(i) + ".log");
      const std::string content((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
      if (content.find(text) != std::string::npos) said.insert("node-" + std::to_string(i));
    }
    if (said.size() >= count) return said;
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error(std::to_string(said.size()) + " of " + std::to_string(count) + " nodes logged '" + text + "' in 2 min");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // between reads of the logs, not a wait for an event
  }
}

TEST(GatewayJobs, AJobPostedThroughTheGatewayRunsAcrossFourNodesAndItsPageHasALanePerNode) {
  // Five nodes of one slot each: the one the job lands on lends its slot to no queued subtask, so
  // its four gated subtasks, all waiting at once, can only be on the four other nodes, one each.
  LocalCluster cluster(5, 1);
  auto gateway = start_gateway(cluster);
  auto client = client_for(*gateway);
  fossa::testing::Gate gate;
  const auto posted = client.post("/api/clusters/local/jobs",
                                  R"({"model_class": "GatedFanout", "resolver_context": {"subtasks": "4", "gate": ")" +
                                      gate.path() + R"("}})",
                                  "application/json");
  ASSERT_TRUE(posted.answered()) << posted.error;
  ASSERT_EQ(posted.status, 201) << posted.body;
  const auto answer = ayeaye::Json::parse(posted.body);
  const std::string id = answer["job_id"];
  EXPECT_EQ(posted.header("Location"), "/api/clusters/local/jobs/" + id);
  EXPECT_EQ(answer["links"]["page"], "/local/jobs/" + id);
  const auto running = wait_for_nodes_logging(cluster, 5, 4, "subtask from the queue started");
  const auto let_through = gate.open_for(4);
  ayeaye::Json doc;
  for (int polls = 0; polls < 10; ++polls) {  // each a long poll of up to 20 s
    const auto polled = client.get("/api/clusters/local/jobs/" + id + "?wait=20");
    ASSERT_TRUE(polled.answered()) << polled.error;
    doc = ayeaye::Json::parse(polled.body);
    if (doc["status"] != "running") break;
  }
  ASSERT_EQ(doc["status"], "complete") << doc.dump();
  EXPECT_EQ(doc["job_id"], id);
  EXPECT_EQ(doc["node"], answer["node"]);
  EXPECT_EQ(doc["subtasks"]["done"], 4);

  const auto page = client.get("/local/jobs/" + id, {{"Accept", "application/json"}});
  ASSERT_EQ(page.status, 200) << page.body;
  const auto data = ayeaye::Json::parse(page.body);
  std::multiset<std::string> subtasks;
  std::set<std::string> lanes;
  for (const auto& lane : data["lanes"]) {
    lanes.insert(lane["node"].get<std::string>());
    for (const auto& sub : lane["subtasks"]) subtasks.insert(sub["task_id"].get<std::string>());
  }
  EXPECT_EQ(lanes.size(), 4u) << data.dump();
  EXPECT_EQ(lanes, running) << "a lane for each node that ran a subtask";
  EXPECT_EQ(subtasks.size(), 4u);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(subtasks.count(id + "." + std::to_string(i)), 1u) << i;
  EXPECT_THAT(data["estimated_cost_text"].get<std::string>(), HasSubstr("$")) << "a sliver of a cent reads 'under $0.0001'";
  EXPECT_THAT(data["cost_basis"].get<std::string>(), HasSubstr("as if on Fargate"));
  // Waiting told from working (issue 26): each bar's queue wait and run, as the workers said; node
  // time is the job's own and the subtasks' runs, not their waits.
  for (const auto& lane : data["lanes"]) {
    for (const auto& bar : lane["subtasks"]) {
      ASSERT_TRUE(bar["queue_wait_seconds"].is_number() && bar["run_seconds"].is_number()) << bar.dump();
      EXPECT_GE(bar["queue_wait_seconds"].get<double>(), 0) << bar.dump();
      EXPECT_LE(bar["run_seconds"].get<double>(), bar["to_seconds"].get<double>() - bar["from_seconds"].get<double>() + 1e-9)
          << bar.dump();
    }
  }
  EXPECT_EQ(data["untimed_attempts"], 0) << data.dump();
  EXPECT_NEAR(data["node_seconds"].get<double>(),
              data["elapsed_seconds"].get<double>() + data["subtask_run_seconds"].get<double>(), 1e-9)
      << data.dump();
  const auto html = client.get("/local/jobs/" + id);
  EXPECT_THAT(html.body, HasSubstr("Estimated cost: "));
  EXPECT_THAT(html.body, HasSubstr("of queue wait"));
  EXPECT_THAT(html.body, HasSubstr("<script src=\"/static/gateway.js\"></script>"));

  const auto sub = ayeaye::Json::parse(client.get("/api/clusters/local/jobs/" + id + ".3").body);
  EXPECT_EQ(sub["parent_task_id"], id);
  for (const char* time : {"sent", "taken", "run_started", "run_ended"}) {
    EXPECT_TRUE(sub.contains(time) && sub[time].is_string()) << time << " in " << sub.dump();
  }
  EXPECT_EQ(sub["node_address"], answer["node"]) << "the parent's node keeps its subtasks' documents";
  const auto list = ayeaye::Json::parse(client.get("/api/clusters/local/jobs").body);
  ASSERT_FALSE(list["jobs"].empty());
  EXPECT_EQ(list["jobs"][0]["job_id"], id);
  EXPECT_EQ(list["jobs"][0]["subtasks"]["total"], 4);
  EXPECT_THAT(client.get("/local/jobs").body, HasSubstr("href=\"/local/jobs/" + id + "\""));
}

TEST(GatewayJobs, WithEveryNodeFullAJobIsRefusedSayingSoAndTakenOnceASlotIsFree) {
  LocalCluster cluster(2, 1);
  auto gateway = start_gateway(cluster);
  auto client = client_for(*gateway);
  fossa::testing::Gate gate;
  const std::string gated = R"({"model_class": "GateEtl", "resolver_context": {"gate": ")" + gate.path() + R"("}})";
  const auto first = client.post("/api/clusters/local/jobs", gated, "application/json");
  const auto second = client.post("/api/clusters/local/jobs", gated, "application/json");
  ASSERT_EQ(first.status, 201) << first.body;
  ASSERT_EQ(second.status, 201) << second.body;
  EXPECT_NE(ayeaye::Json::parse(first.body)["node"], ayeaye::Json::parse(second.body)["node"]);
  const auto full = client.post("/api/clusters/local/jobs", gated, "application/json");
  EXPECT_EQ(full.status, 503);
  EXPECT_THAT(full.body, HasSubstr("no node of cluster local has a free slot: 2 nodes asked"));
  EXPECT_EQ(full.header("Retry-After"), "10");
  // Both wait at the gate at once: let both through together (one open() at a time would need the
  // first gone before the second comes, and which goes first is not set — gate.h), then follow the first.
  const auto let_through = gate.open_for(2);
  const std::string id = ayeaye::Json::parse(first.body)["job_id"];
  ayeaye::Json ended = {{"status", "running"}};
  for (int polls = 0; polls < 10 && ended.value("status", "running") == "running"; ++polls) {
    const auto answer = client.get("/api/clusters/local/jobs/" + id + "?wait=20");
    ASSERT_TRUE(answer.answered()) << answer.error;
    ended = ayeaye::Json::parse(answer.body);
  }
  EXPECT_EQ(ended["status"], "complete") << ended.dump();
  const auto later = client.post("/api/clusters/local/jobs", R"({"model_class": "NothingEtl"})", "application/json");
  EXPECT_EQ(later.status, 201) << later.body;
}

TEST(GatewayJobs, BadJobsUnknownClustersAndWrongPasswordsAreRefusedWithWhatIsWrong) {
  LocalCluster cluster(1);
  auto gateway = start_gateway(cluster);
  auto client = client_for(*gateway);
  const auto post = [&client](const std::string& path, const std::string& body) {
    return client.post(path, body, "application/json");
  };
  const auto not_json = post("/api/clusters/local/jobs", "{model_class");
  EXPECT_EQ(not_json.status, 400);
  EXPECT_THAT(not_json.body, HasSubstr("the request body is not JSON"));
  EXPECT_EQ(post("/api/clusters/local/jobs", "[1]").status, 400);
  const auto deep = post("/api/clusters/local/jobs", std::string(300, '[') + std::string(300, ']'));
  EXPECT_EQ(deep.status, 400);
  EXPECT_THAT(deep.body, HasSubstr("deeper"));
  const auto unknown_model = post("/api/clusters/local/jobs", R"({"model_class": "NoSuchModel"})");
  EXPECT_EQ(unknown_model.status, 412);
  EXPECT_THAT(unknown_model.body, HasSubstr("Model class 'NoSuchModel' is not in the list of accepted classes"));
  const auto no_method = post("/api/clusters/local/jobs", R"({"model_class": "NothingEtl", "method": "fly"})");
  EXPECT_EQ(no_method.status, 400) << "the node's own message, passed on";
  EXPECT_THAT(no_method.body, HasSubstr("has no method 'fly'"));
  EXPECT_EQ(post("/api/clusters/elsewhere/jobs", R"({"model_class": "NothingEtl"})").status, 404);
  EXPECT_EQ(client.get("/api/clusters/elsewhere/jobs").status, 404);
  EXPECT_EQ(client.get("/api/clusters/local/jobs/no-such-job").status, 404);
  EXPECT_EQ(client.get("/api/clusters/local/jobs/bad%20id").status, 400);
  EXPECT_EQ(client.get("/api/clusters/local/jobs/x-1?wait=21").status, 400);
  EXPECT_EQ(post("/api/clusters/local/jobs", std::string(2 << 20, ' ')).status, 413);
  auto wrong = client_for(*gateway, "not the password");
  EXPECT_EQ(wrong.post("/api/clusters/local/jobs", R"({"model_class": "NothingEtl"})", "application/json").status, 401);
}

}  // namespace
