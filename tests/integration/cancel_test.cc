// Cancel (issue 24) on a real local cluster: `fossa cluster up --workers 3 --gateway`, a job whose
// subtasks wait at a gate on every node, `fossa cancel` through the gateway — and then every
// process of the job gone (each watched by its pid), every subtask's document and the job's
// "cancelled", every slot free; a job that has ended is a 409, and the page's Cancel button is
// refused for another site's page.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <thread>

#include "ayeaye/json.h"
#include "support/command.h"
#include "support/gate.h"
#include "support/process_exit.h"
#include "support/suite_set_up.h"
#include "support/test_client.h"

namespace {

using fossa::testing::exits_within;
using fossa::testing::fossa_bin;
using fossa::testing::run_command;
using fossa::testing::TempDir;
using fossa::testing::TestClient;
using ::testing::HasSubstr;

constexpr int kWorkers = 3;
constexpr int kSlotsPerNode = 2;

class Cancel : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    set_up_.run([] {
      ::chmod(dir_->path().c_str(), 0755);  // the broker runs as the rabbitmq user
      const auto up = run_command(fossa_bin(), {"cluster", "--dir", dir_->path(), "up", "--workers", std::to_string(kWorkers),
                                                "--capacity", std::to_string(kSlotsPerNode), "--gateway"});
      if (up.exit_code != 0) throw std::runtime_error("fossa cluster up --gateway failed: " + up.out + up.err);
      std::ifstream file(dir_->path() + "/cluster.json");
      state_ = new ayeaye::Json(ayeaye::Json::parse(file));
    });
  }
  static void TearDownTestSuite() {
    run_command(fossa_bin(), {"cluster", "--dir", dir_->path(), "down"});
    delete state_;
    delete dir_;
  }
  void SetUp() override { set_up_.check(); }

  static std::string gateway_url() { return (*state_)["gateway"]["url"].get<std::string>(); }
  static std::string password() { return (*state_)["gateway"]["password"].get<std::string>(); }
  static TestClient gateway() {
    TestClient client(gateway_url());
    client.basic_auth("fossa", password());
    return client;
  }
  static TestClient node(int i) {
    std::string url = (*state_)["nodes"][static_cast<std::size_t>(i)]["url"].get<std::string>();
    while (!url.empty() && url.back() == '/') url.pop_back();
    return TestClient(url);
  }
  static std::string node_log(int i) {
    std::ifstream log(dir_->path() + "/node-" + std::to_string(i + 1) + ".log");
    return {std::istreambuf_iterator<char>(log), std::istreambuf_iterator<char>()};
  }

  // The subtasks from the queue the nodes' logs say started (id -> {node, pid}), once there are
  // `count` of them. The nodes are not this test's children: their logs are files, with nothing to
  // subscribe to, so this reads them until they say so (within a deadline).
  struct Started {
    int node;
    pid_t pid;
  };
  static std::map<std::string, Started> wait_for_subtasks_started(std::size_t count, const std::string& method) {
    // Each with its job's id, the parent's task id (job_id=<parent>, as every node writes it).
    const std::regex line("subtask from the queue started task_id=(\\S+) job_id=[a-z]+-[0-9]+ method=" + method + " pid=([0-9]+)");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
    for (;;) {
      std::map<std::string, Started> started;
      for (int i = 0; i < kWorkers; ++i) {
        const std::string log = node_log(i);
        for (std::sregex_iterator it(log.begin(), log.end(), line), end; it != end; ++it) {
          started[(*it)[1].str()] = {i, static_cast<pid_t>(std::stol((*it)[2].str()))};
        }
      }
      if (started.size() >= count) return started;
      if (std::chrono::steady_clock::now() > deadline) {
        throw std::runtime_error(std::to_string(started.size()) + " of " + std::to_string(count) + " subtasks started in 2 min");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));  // between reads of the logs, not a wait for an event
    }
  }
  // How many nodes' logs say `text`, once `count` do (within a deadline, as above).
  static int wait_for_nodes_logging(int count, const std::string& text) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
    for (;;) {
      int said = 0;
      for (int i = 0; i < kWorkers; ++i) said += node_log(i).find(text) != std::string::npos ? 1 : 0;
      if (said >= count || std::chrono::steady_clock::now() > deadline) return said;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));  // between reads of the logs, not a wait for an event
    }
  }
  // A document followed with the long poll until it leaves "running".
  static ayeaye::Json ended_document(const TestClient& client, const std::string& path) {
    ayeaye::Json doc;
    for (int polls = 0; polls < 6; ++polls) {
      const auto polled = client.get(path + "?wait=20");
      if (!polled.answered() || polled.status != 200) return {{"error", polled.error + polled.body}};
      doc = ayeaye::Json::parse(polled.body);
      if (doc["status"] != "running") break;
    }
    return doc;
  }

  static fossa::testing::SuiteSetUp set_up_;
  static TempDir* dir_;
  static ayeaye::Json* state_;
};
fossa::testing::SuiteSetUp Cancel::set_up_;
TempDir* Cancel::dir_ = nullptr;
ayeaye::Json* Cancel::state_ = nullptr;

TEST_F(Cancel, StopsTheParentAndEverySubtaskOnEveryNodeAndFreesTheirSlots) {
  fossa::testing::Gate gate;  // never opened: the subtasks wait until they are stopped
  const auto client = gateway();
  const auto posted = client.post("/api/clusters/local/jobs",
                                  R"({"model_class": "GatedFanout", "resolver_context": {"subtasks": "9", "gate": ")" +
                                      gate.path() + R"("}})");
  ASSERT_TRUE(posted.answered()) << posted.error;
  ASSERT_EQ(posted.status, 201) << posted.body;
  const std::string id = ayeaye::Json::parse(posted.body)["job_id"];
  // Every slot but the parent's holds a subtask; the other four wait on the queue or on a node.
  const int running_at_once = kWorkers * kSlotsPerNode - 1;
  const auto started = wait_for_subtasks_started(static_cast<std::size_t>(running_at_once), "pass");
  const auto running = client.get("/api/clusters/local/jobs/" + id);
  ASSERT_EQ(running.status, 200) << running.body;
  const auto parent_doc = ayeaye::Json::parse(running.body);
  ASSERT_EQ(parent_doc["status"], "running");
  const pid_t parent_pid = parent_doc["pid"].get<pid_t>();
  std::set<int> nodes_running;
  for (const auto& [subtask, where] : started) nodes_running.insert(where.node);
  EXPECT_EQ(nodes_running.size(), static_cast<std::size_t>(kWorkers)) << "subtasks run on every node";

  const auto cancelled = run_command(fossa_bin(), {"cancel", id, "--gateway", gateway_url()},
                                     {"FOSSA_GATEWAY_PASSWORD=" + password()});
  ASSERT_EQ(cancelled.exit_code, 0) << cancelled.out << cancelled.err;
  EXPECT_THAT(cancelled.out, HasSubstr("job " + id + " cancelled"));

  EXPECT_TRUE(exits_within(parent_pid, std::chrono::seconds(30))) << "the parent, pid " << parent_pid;
  for (const auto& [subtask, where] : started) {
    EXPECT_TRUE(exits_within(where.pid, std::chrono::seconds(30))) << subtask << ", pid " << where.pid << ", on node " << where.node;
    const auto doc = ended_document(node(where.node), "/api/0.01/task/" + subtask);
    EXPECT_EQ(doc["status"], "cancelled") << doc.dump();
  }
  const auto job = ended_document(client, "/api/clusters/local/jobs/" + id);
  EXPECT_EQ(job["status"], "cancelled") << job.dump();
  EXPECT_EQ(job["results"]["payload"]["exception_class_name"], "fossa::Cancelled");
  EXPECT_EQ(wait_for_nodes_logging(kWorkers, "a parent task's subtasks cancelled"), kWorkers)
      << "every node heard the cancellation";
  for (int i = 0; i < kWorkers; ++i) {
    const auto info = node(i).get("/api/0.01/node_info");
    ASSERT_EQ(info.status, 200) << info.error;
    const auto json = ayeaye::Json::parse(info.body)["node_info"];
    EXPECT_EQ(json["available_processing_capacity"], json["max_concurrent_tasks"]) << "node " << i << ": its slots are free";
    EXPECT_EQ(json["running_subtasks"], 0) << "node " << i;
  }
}

TEST_F(Cancel, AJobThatHasEndedIsAConflictAndTheButtonIsRefusedForAnotherSitesPage) {
  const auto client = gateway();
  const auto posted = client.post("/api/clusters/local/jobs", R"({"model_class": "NothingEtl"})");
  ASSERT_EQ(posted.status, 201) << posted.body;
  const auto answer = ayeaye::Json::parse(posted.body);
  const std::string id = answer["job_id"];
  ASSERT_EQ(ended_document(client, "/api/clusters/local/jobs/" + id)["status"], "complete");

  const auto api = client.send("DELETE", "/api/clusters/local/jobs/" + id, "", {});
  EXPECT_EQ(api.status, 409) << api.body;
  EXPECT_THAT(api.body, HasSubstr("has ended (complete): there is nothing to cancel"));
  const auto cli = run_command(fossa_bin(), {"cancel", id, "--gateway", gateway_url()}, {"FOSSA_GATEWAY_PASSWORD=" + password()});
  EXPECT_EQ(cli.exit_code, 2) << cli.out << cli.err;
  EXPECT_THAT(cli.err, HasSubstr("has ended (complete)"));
  // On the node itself, beside Python Fossa's API.
  const std::string node_address = answer["node"];
  TestClient on_node("http://" + node_address);
  const auto direct = on_node.post("/api/0.01/task/" + id + "/cancel", "", "text/plain");
  EXPECT_EQ(direct.status, 409) << direct.body;
  const auto cli_on_node = run_command(fossa_bin(), {"cancel", id, "--node", "http://" + node_address});
  EXPECT_EQ(cli_on_node.exit_code, 2) << cli_on_node.out << cli_on_node.err;
  EXPECT_THAT(cli_on_node.err, HasSubstr("task " + id + " has ended (complete)"));

  const auto cross_site = client.post("/local/jobs/" + id + "/cancel", "", "application/x-www-form-urlencoded",
                                      {{"Sec-Fetch-Site", "cross-site"}});
  EXPECT_EQ(cross_site.status, 403) << cross_site.body;
  const auto same_site = client.post("/local/jobs/" + id + "/cancel", "", "application/x-www-form-urlencoded",
                                     {{"Sec-Fetch-Site", "same-origin"}});
  EXPECT_EQ(same_site.status, 409) << "the button's own page: it has ended";
  EXPECT_THAT(same_site.body, HasSubstr("has ended (complete)"));
}

}  // namespace
