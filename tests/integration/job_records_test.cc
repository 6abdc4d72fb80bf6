// Jobs that outlive their workers (docs/gateway.md, "Job records"), on a real local cluster with a
// gateway of the test's own (so its flags and its restarts are the test's): a parent whose node
// is SIGKILLed runs again on another node and completes with two attempts; finished jobs, their
// subtasks and failures are still listed and shown once every worker is gone and the gateway has
// restarted, and a job running across that restart is still followed; a job with no subtask ending
// is told stalled. Each waits for the gateway's own log lines, never a guessed time.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include "jobs/job_store.h"

#include "support/command.h"
#include "support/gate.h"
#include "support/node_process.h"
#include "support/process_exit.h"
#include "support/test_client.h"

namespace {

using fossa::testing::exits_within;
using fossa::testing::fossa_bin;
using fossa::testing::Gate;
using fossa::testing::NodeProcess;
using fossa::testing::run_command;
using fossa::testing::TestClient;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kPassword = "correct horse battery staple";

// `fossa cluster up --workers N` and a fossa-gateway over it, its records in the cluster's
// directory; both stopped at the end whatever the outcome.
class GatewayCluster {
 public:
  explicit GatewayCluster(int workers, std::vector<std::string> gateway_flags = {}) : flags_(std::move(gateway_flags)) {
    ::chmod(dir_.path().c_str(), 0755);  // the broker runs as the rabbitmq user
    const auto up = run_command(fossa_bin(), {"cluster", "--dir", dir_.path(), "up", "--workers", std::to_string(workers)});
    if (up.exit_code != 0) throw std::runtime_error("fossa cluster up failed: " + up.out + up.err);
    start_gateway();
  }
  ~GatewayCluster() {
    gateway_.reset();
    run_command(fossa_bin(), {"cluster", "--dir", dir_.path(), "down"});
  }

  NodeProcess& gateway() { return *gateway_; }
  TestClient client() const {
    TestClient client(gateway_->port());
    client.basic_auth("fossa", kPassword);
    return client;
  }
  // Stops the gateway (SIGTERM) and starts a new one on the same records.
  void restart_gateway() {
    gateway_->stop(SIGTERM);
    start_gateway();
  }
  // The pids of the worker nodes, by address ("127.0.0.1:PORT").
  std::map<std::string, pid_t> node_pids() const {
    std::ifstream file(dir_.path() + "/cluster.json");
    const auto state = ayeaye::Json::parse(file);
    std::map<std::string, pid_t> out;
    for (const auto& node : state["nodes"]) {
      std::string url = node["url"];
      out[url.substr(url.find("//") + 2)] = node["pid"].get<pid_t>();
    }
    return out;
  }
  // Waits until the nodes' logs hold `count` lines with `text` in all.
  void wait_for_node_logs(std::size_t count, const std::string& text) const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
    for (;;) {
      std::size_t said = 0;
      for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
        const std::string name = entry.path().filename().string();
        if (name.rfind("node-", 0) != 0 || entry.path().extension() != ".log") continue;
        std::ifstream log(entry.path());
        for (std::string line; std::getline(log, line);) said += line.find(text) != std::string::npos;
      }
      if (said >= count) return;
      if (std::chrono::steady_clock::now() > deadline) {
        throw std::runtime_error("the nodes logged '" + text + "' " + std::to_string(said) + " times in 2 min, not " + std::to_string(count));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));  // between reads of the logs, not a wait for an event
    }
  }
  // The subtasks from the queue the nodes' logs say started, as (node address, pid), once there
  // are `count` (the logs are read until they say so, within a deadline).
  std::vector<std::pair<std::string, pid_t>> subtasks_started(std::size_t count) const {
    std::ifstream file(dir_.path() + "/cluster.json");
    const auto state = ayeaye::Json::parse(file);
    const std::regex line("subtask from the queue started task_id=\\S+ job_id=\\S+ method=\\S+ pid=([0-9]+)");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
    for (;;) {
      std::vector<std::pair<std::string, pid_t>> started;
      for (std::size_t i = 0; i < state["nodes"].size(); ++i) {
        const std::string url = state["nodes"][i]["url"];
        std::ifstream log(dir_.path() + "/node-" + std::to_string(i + 1) + ".log");
        const std::string text{std::istreambuf_iterator<char>(log), std::istreambuf_iterator<char>()};
        for (std::sregex_iterator it(text.begin(), text.end(), line), end; it != end; ++it) {
          started.emplace_back(url.substr(url.find("//") + 2), static_cast<pid_t>(std::stol((*it)[1].str())));
        }
      }
      if (started.size() >= count) return started;
      if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error(std::to_string(started.size()) + " subtasks started in 2 min");
      std::this_thread::sleep_for(std::chrono::milliseconds(20));  // between reads of the logs, not a wait for an event
    }
  }
  // The gateway's record of job `id` once its document has `key` (the loop saves it every few
  // seconds; the records are read until it does, within a deadline).
  ayeaye::Json recorded_document_with(const std::string& id, const std::string& key) const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
    for (;;) {
      if (auto store = fossa::gateway::open_job_store(dir_.path() + "/gateway")) {
        if (auto record = (*store)->get(id); record && *record && (*record)->document.is_object() && (*record)->document.contains(key)) {
          return (*record)->document;
        }
      }
      if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("the record of job " + id + " has no " + key + " after 1 min");
      std::this_thread::sleep_for(std::chrono::milliseconds(20));  // between reads of the records, not a wait for an event
    }
  }
  std::vector<std::string> jobs_env() const { return {"FOSSA_GATEWAY_URL=" + gateway_->url(), "FOSSA_GATEWAY_PASSWORD=" + kPassword}; }

 private:
  void start_gateway() {
    std::vector<std::string> args{"--port", "0", "--bind", "127.0.0.1", "--cluster-dir", dir_.path(), "--state-dir", dir_.path() + "/gateway"};
    args.insert(args.end(), flags_.begin(), flags_.end());
    const std::string gateway = (std::filesystem::path(fossa_bin()).parent_path() / "fossa-gateway").string();
    gateway_ = std::make_unique<NodeProcess>(NodeProcess::Launch{gateway, args, {"GATEWAY_HTTP_PASSWORD=" + kPassword}, "fossa-gateway ready"});
  }

  fossa::testing::TempDir dir_;
  std::vector<std::string> flags_;
  std::unique_ptr<NodeProcess> gateway_;
};

// POSTs a task through the gateway; its job id and node.
std::pair<std::string, std::string> post_job(const TestClient& client, const ayeaye::Json& task) {
  const auto posted = client.post("/api/clusters/local/jobs", task.dump());
  if (!posted.answered() || posted.status != 201) throw std::runtime_error("the gateway did not take the job: " + posted.body + posted.error);
  const auto answer = ayeaye::Json::parse(posted.body);
  return {answer["job_id"], answer["node"]};
}

ayeaye::Json get_json(const TestClient& client, const std::string& path, const fossa::http_client::Headers& headers = {}) {
  const auto got = client.get(path, headers);
  if (!got.answered() || got.status != 200) throw std::runtime_error("GET " + path + ": HTTP " + std::to_string(got.status) + " " + got.body + got.error);
  return ayeaye::Json::parse(got.body);
}

ayeaye::Json gated_fanout(const Gate& gate, int subtasks) {
  return {{"model_class", "GatedFanout"}, {"resolver_context", {{"gate", gate.path()}, {"subtasks", std::to_string(subtasks)}}}};
}

}  // namespace

TEST(JobRecords, AParentWhoseNodeIsKilledRunsAgainOnAnotherNodeAndEverySubtaskCountsOnce) {
  GatewayCluster cluster(3);
  Gate gate;
  const auto client = cluster.client();
  const auto [id, first_node] = post_job(client, gated_fanout(gate, 4));
  cluster.wait_for_node_logs(4, "subtask from the queue started");  // the first attempt's four, at the gate
  const pid_t parent_node = cluster.node_pids().at(first_node);
  ASSERT_EQ(::kill(parent_node, SIGKILL), 0);  // its node is gone, with the parent and the subtasks there
  const std::string placed = cluster.gateway().wait_for_log("job " + id + ": attempt 2 placed on ");
  EXPECT_THAT(placed, Not(HasSubstr(first_node)));
  // The second attempt's four subtasks, and the first's still waiting or sent again after the kill (their
  // results go nowhere): more bytes than can be read, so none waits.
  const auto let_through = gate.open_for(16);
  cluster.gateway().wait_for_log("job " + id + " ended complete");

  const auto doc = get_json(client, "/api/clusters/local/jobs/" + id);
  EXPECT_EQ(doc["status"], "complete") << doc.dump();
  EXPECT_EQ(doc["job_id"], id);
  EXPECT_EQ(doc["subtasks"]["total"], 4);
  EXPECT_EQ(doc["subtasks"]["done"], 4) << "each of the second attempt's subtasks once, none of the first's";
  EXPECT_EQ(doc["subtasks"]["failed"], 0);
  ASSERT_EQ(doc["attempts"].size(), 2u) << doc.dump();
  EXPECT_EQ(doc["attempts"][0]["node"], first_node);
  EXPECT_THAT(doc["attempts"][0]["outcome"].dump(), HasSubstr("lost: its node at " + first_node + " left the cluster"));
  EXPECT_EQ(doc["attempts"][1]["outcome"], "complete");
  EXPECT_NE(doc["attempts"][1]["node"], first_node);
  EXPECT_EQ(doc["node"], doc["attempts"][1]["node"]);

  const auto page = get_json(client, "/local/jobs/" + id, {{"Accept", "application/json"}});
  ASSERT_EQ(page["attempts"].size(), 2u);
  const auto html = client.get("/local/jobs/" + id).body;
  EXPECT_THAT(html, HasSubstr("<h2>Attempts</h2>"));
  EXPECT_THAT(html, HasSubstr("left the cluster"));
  const auto list = get_json(client, "/api/clusters/local/jobs");
  ASSERT_FALSE(list["jobs"].empty());
  EXPECT_EQ(list["jobs"][0]["job_id"], id);
  EXPECT_EQ(list["jobs"][0]["attempts"], 2);
  EXPECT_EQ(list["jobs"].size(), 1u) << "the second attempt is not listed as a job of its own: " << list.dump();
}

TEST(JobRecords, FinishedJobsOutliveEveryWorkerAndTheGatewayAndARunningJobIsFollowedAcrossARestart) {
  GatewayCluster cluster(2);
  auto client = cluster.client();
  // One after the other: the first's subtasks fill every slot while it runs.
  const auto [complete, complete_node] = post_job(client, {{"model_class", "PartitionedExampleEtl"}, {"resolver_context", {{"complexity", "2"}}}});
  cluster.gateway().wait_for_log("job " + complete + " ended complete");
  const auto [failed, failed_node] = post_job(client, {{"model_class", "PartialFailure"}});
  cluster.gateway().wait_for_log("job " + failed + " ended failed");
  Gate gate;
  const auto [running, running_node] = post_job(client, {{"model_class", "GateEtl"}, {"resolver_context", {{"gate", gate.path()}}}});

  cluster.restart_gateway();
  client = cluster.client();
  gate.open();
  cluster.gateway().wait_for_log("job " + running + " ended complete");

  for (const auto& [address, pid] : cluster.node_pids()) ASSERT_EQ(::kill(pid, SIGKILL), 0) << address;
  cluster.restart_gateway();
  client = cluster.client();

  const auto jobs = run_command(fossa_bin(), {"jobs"}, cluster.jobs_env());
  EXPECT_EQ(jobs.exit_code, 0) << jobs.out << jobs.err;
  EXPECT_THAT(jobs.out, testing::ContainsRegex(complete + " +[0-9.:]+ +PartitionedExampleEtl +complete"));
  EXPECT_THAT(jobs.out, testing::ContainsRegex(failed + " +[0-9.:]+ +PartialFailure +failed"));
  EXPECT_THAT(jobs.out, testing::ContainsRegex(running + " +[0-9.:]+ +GateEtl +complete"));
  EXPECT_THAT(jobs.out, Not(HasSubstr("null")));

  const auto doc = get_json(client, "/api/clusters/local/jobs/" + failed);
  EXPECT_EQ(doc["status"], "failed");
  EXPECT_EQ(doc["subtasks"]["total"], 4);
  EXPECT_EQ(doc["subtasks"]["failed"], 1);
  const auto sub = get_json(client, "/api/clusters/local/jobs/" + failed + ".0");
  EXPECT_EQ(sub["status"], "failed") << "subtask 0 divides by zero: " << sub.dump();
  const auto page = get_json(client, "/local/jobs/" + failed, {{"Accept", "application/json"}});
  int shown = 0;
  for (const auto& lane : page["lanes"]) shown += static_cast<int>(lane["subtasks"].size());
  EXPECT_EQ(shown, 4) << page.dump();
  const auto html = client.get("/local/jobs/" + failed).body;
  EXPECT_THAT(html, HasSubstr("<h2>Failures</h2>"));
  EXPECT_THAT(html, HasSubstr("division by zero"));
  const auto done = get_json(client, "/api/clusters/local/jobs/" + complete);
  EXPECT_EQ(done["status"], "complete");
  EXPECT_EQ(done["subtasks"]["done"], done["subtasks"]["total"]);
}

TEST(JobRecords, AJobWithNoSubtaskEndingIsToldStalledUntilOneEnds) {
  GatewayCluster cluster(2, {"--stall-minutes", "0.01"});
  Gate gate;
  const auto client = cluster.client();
  const auto [id, node] = post_job(client, gated_fanout(gate, 2));
  cluster.gateway().wait_for_log("job " + id + " is stalled: no subtask has ended for ");
  const auto list = get_json(client, "/api/clusters/local/jobs");
  ASSERT_FALSE(list["jobs"].empty());
  EXPECT_EQ(list["jobs"][0]["status"], "stalled") << list.dump();
  const auto jobs = run_command(fossa_bin(), {"jobs"}, cluster.jobs_env());
  EXPECT_THAT(jobs.out, testing::ContainsRegex(id + " +[0-9.:]+ +GatedFanout +stalled"));
  const auto page = get_json(client, "/local/jobs/" + id, {{"Accept", "application/json"}});
  EXPECT_EQ(page["status"], "stalled");
  EXPECT_EQ(page["live"], true);
  const auto doc = get_json(client, "/api/clusters/local/jobs/" + id);
  EXPECT_EQ(doc["status"], "running") << "the document keeps its status, for clients that wait on it";
  EXPECT_EQ(doc["stalled"], true);

  const auto let_through = gate.open_for(2);
  cluster.gateway().wait_for_log("job " + id + " ended complete");
  const auto after = get_json(client, "/api/clusters/local/jobs");
  EXPECT_EQ(after["jobs"][0]["status"], "complete");
}

TEST(JobRecords, AJobCancelledWhileItsNodeIsSilentEndsCancelledIsNotRunAgainAndItsSubtasksStopEverywhere) {
  GatewayCluster cluster(3);
  Gate gate;  // never opened: the subtasks wait until they are stopped
  const auto client = cluster.client();
  const auto [id, parent_node] = post_job(client, gated_fanout(gate, 4));
  const auto started = cluster.subtasks_started(4);
  const std::string pool = cluster.recorded_document_with(id, "pool_id")["pool_id"];
  const pid_t silent = cluster.node_pids().at(parent_node);
  const pid_t parent_pid = get_json(client, "/api/clusters/local/jobs/" + id)["pid"].get<pid_t>();
  ASSERT_EQ(::kill(silent, SIGSTOP), 0);  // its node is silent, not gone: it still holds the parent

  const auto cancelled = client.send("DELETE", "/api/clusters/local/jobs/" + id, "", {});
  ::kill(silent, SIGCONT);  // whatever the outcome: the cluster is stopped at the end
  ASSERT_EQ(cancelled.status, 202) << cancelled.body;
  const auto answer = ayeaye::Json::parse(cancelled.body);
  EXPECT_EQ(answer["status"], "cancelled");
  EXPECT_THAT(answer["problem"].get<std::string>(), HasSubstr("did not answer"));
  EXPECT_THAT(answer["problem"].get<std::string>(), HasSubstr("its subtasks were stopped on every node through the node at "));
  EXPECT_EQ(answer["cancelled_by"], "fossa from 127.0.0.1");

  // The silent node answers again: it is asked to cancel the parent, and hears the pool cancelled.
  cluster.gateway().wait_for_log("task " + id + ": its node at " + parent_node +
                                 " answered the cancel owed to it");
  EXPECT_TRUE(exits_within(parent_pid, std::chrono::seconds(30))) << "the parent, pid " << parent_pid;
  for (const auto& [node, pid] : started) {
    EXPECT_TRUE(exits_within(pid, std::chrono::seconds(30))) << "a subtask on " << node << ", pid " << pid;
  }
  cluster.wait_for_node_logs(3, "a parent task's subtasks cancelled");
  const auto doc = get_json(client, "/api/clusters/local/jobs/" + id);
  EXPECT_EQ(doc["status"], "cancelled") << doc.dump();
  EXPECT_EQ(doc["cancelled_by"], "fossa from 127.0.0.1");
  EXPECT_TRUE(doc.contains("cancelled_at"));
  ASSERT_EQ(doc["attempts"].size(), 1u) << "not run again: " << doc.dump();
  EXPECT_EQ(doc["attempts"][0]["outcome"], "cancelled");
  EXPECT_EQ(pool, doc["pool_id"]);
  const auto list = get_json(client, "/api/clusters/local/jobs");
  ASSERT_FALSE(list["jobs"].empty());
  EXPECT_EQ(list["jobs"][0]["job_id"], id);
  EXPECT_EQ(list["jobs"][0]["status"], "cancelled");
  EXPECT_EQ(list["jobs"][0]["attempts"], 1);
  const auto again = client.send("DELETE", "/api/clusters/local/jobs/" + id, "", {});
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_THAT(again.body, HasSubstr("has ended (cancelled): there is nothing to cancel"));

  // The node route that passed it on: asked again, no harm; a pool that is not one, refused.
  const std::string problem = answer["problem"];
  const auto through = problem.substr(problem.find("through the node at ") + 20);
  TestClient other("http://" + through.substr(0, through.find(';')));
  const auto repeated = other.post("/api/0.01/task/" + id + "/cancel?pool=" + pool, "", "text/plain");
  EXPECT_EQ(repeated.status, 202) << repeated.body;
  EXPECT_THAT(repeated.body, HasSubstr("cancelling elsewhere"));
  const auto bad = other.post("/api/0.01/task/" + id + "/cancel?pool=AB%2FCD", "", "text/plain");
  EXPECT_EQ(bad.status, 400) << bad.body;
}
