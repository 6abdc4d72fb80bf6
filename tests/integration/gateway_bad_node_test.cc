// fossa-gateway (and `fossa submit`) in front of nodes it cannot trust (issue 22): a stand-in node
// (the project's own HTTP server, support/stand_in_node.h) that answers a task id with CR LF,
// fields of the wrong type, 200 for any id, or lists another node's jobs; real nodes holding tasks
// of a megabyte of context; a gateway with the wrong token; and ids a path may carry but a node
// must never see.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <mutex>
#include <set>

#include "node_calls.h"
#include "support/command.h"
#include "support/node_process.h"
#include "support/stand_in_node.h"
#include "support/test_client.h"

namespace {

using fossa::testing::fossa_bin;
using fossa::testing::NodeProcess;
using fossa::testing::StandInNode;
using ::testing::HasSubstr;
using ::testing::Not;
using Json = ayeaye::Json;

const std::string kPassword = "correct horse battery staple";

std::unique_ptr<NodeProcess> start_gateway(const std::vector<std::string>& node_urls, const std::vector<std::string>& env = {}) {
  std::vector<std::string> args = {"--port", "0", "--bind", "127.0.0.1"};
  for (const auto& url : node_urls) args.insert(args.end(), {"--node", url});
  std::vector<std::string> environment = {"GATEWAY_HTTP_PASSWORD=" + kPassword};
  environment.insert(environment.end(), env.begin(), env.end());
  return std::make_unique<NodeProcess>(NodeProcess::Launch{
      (std::filesystem::path(fossa_bin()).parent_path() / "fossa-gateway").string(), args, environment, "fossa-gateway ready"});
}

fossa::testing::TestClient client_for(const NodeProcess& gateway) {
  return fossa::testing::TestClient(gateway.port()).basic_auth("fossa", kPassword);
}

Json node_info(int free_slots, const Json& running = Json::array(), const Json& recent = Json::array()) {
  return {{"node_info", {{"node_ident", "stand-in"}, {"max_concurrent_tasks", 1}, {"available_processing_capacity", free_slots}}},
          {"running_tasks", running},
          {"recent_completed_tasks", recent}};
}

// The job's document through the gateway once it has ended (long polls of 20 s, at most ten).
Json ended(const fossa::testing::TestClient& client, const std::string& id) {
  Json doc;
  for (int polls = 0; polls < 10; ++polls) {
    const auto answer = client.get("/api/clusters/local/jobs/" + id + "?wait=20");
    if (!answer.answered()) throw std::runtime_error("no answer for job " + id);
    doc = Json::parse(answer.body);
    if (doc.value("status", "") != "running") break;
  }
  return doc;
}

// Finding 3: the node's task id went into Location unchecked, and its CR LF split the answer.
TEST(GatewayBadNode, ATaskIdWithCrLfIsRefused502AndNeverReachesAHeaderOrAPage) {
  const std::string forged = "x\r\nSet-Cookie: stolen=1\r\n\r\n<script>alert(1)</script>";
  StandInNode bad([&forged](fossa::net::Router& router) {
    router.get("/api/0.01/node_info", [&forged](const fossa::net::Request&, fossa::net::Response& res) {
      fossa::net::send_json(res, 200, node_info(1, Json::array({{{"task_id", forged}, {"status", "running"}}})));
    });
    router.post("/api/0.01/task", [&forged](const fossa::net::Request&, fossa::net::Response& res) {
      fossa::net::send_json(res, 200, {{"task_id", forged}, {"governor_accepted_ident", "stand-in"}});
    });
  });
  auto gateway = start_gateway({bad.url()});
  auto client = client_for(*gateway);
  const auto posted = client.post("/api/clusters/local/jobs", R"({"model_class": "NothingEtl"})", "application/json");
  ASSERT_TRUE(posted.answered()) << posted.error;
  EXPECT_EQ(posted.status, 502) << posted.body;
  EXPECT_EQ(posted.header("Set-Cookie"), "");
  EXPECT_EQ(posted.header("Location"), "");
  EXPECT_THAT(posted.body, HasSubstr("the node at " + bad.address() + " took the task but answered a task id that is not an id"));
  EXPECT_EQ(posted.body.find('\r'), std::string::npos) << "quoted as JSON text, escaped";

  const auto list = client.get("/api/clusters/local/jobs");
  ASSERT_TRUE(list.answered()) << list.error;
  EXPECT_EQ(list.status, 200);
  EXPECT_EQ(Json::parse(list.body)["jobs"], Json::array()) << "a listed id that is not an id is not listed";
  EXPECT_THAT(client.get("/local/jobs").body, Not(HasSubstr("Set-Cookie")));
}

// Finding 3, at the other client of nodes: `fossa submit --node` puts the task id in every URL it
// then follows, so an id that is not one stops it (exit 3: what answered is not the API).
TEST(SubmitBadNode, FossaSubmitRefusesATaskIdThatIsNotAnId) {
  StandInNode bad([](fossa::net::Router& router) {
    router.post("/api/0.01/task", [](const fossa::net::Request&, fossa::net::Response& res) {
      fossa::net::send_json(res, 200, {{"task_id", "../../x\r\ny"}, {"governor_accepted_ident", "stand-in"}});
    });
  });
  const auto r = fossa::testing::run_command(fossa_bin(), {"submit", "NothingEtl", "--node", bad.url(), "--wait"});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr(R"(took the task but answered a task id that is not an id (1 to 128 letters, digits, '.', '_' or '-', and not only dots): "../../x\r\ny")"));
  EXPECT_THAT(r.out, Not(HasSubstr("accepted")));
}

// Finding 6: a field of the wrong type in a node's document made the jobs list a 500.
TEST(GatewayBadNode, FieldsOfTheWrongTypeReadAsBlanksNeverA500) {
  const Json odd = {{"task_id", "odd-1"},  {"status", 5},       {"started", 7},         {"model_class", {"x"}},
                    {"finished", false},  {"duration_seconds", "long"}, {"subtasks", {{"total", "many"}, {"done", -1}}},
                    {"results", {{"type", 3}, {"payload", "none"}}}};
  const Json sane = {{"task_id", "sane-1"}, {"status", "complete"}, {"started", "2026-12-01T10:00:00.000Z"}, {"model_class", "NothingEtl"}};
  StandInNode bad([&](fossa::net::Router& router) {
    router.get("/api/0.01/node_info", [&](const fossa::net::Request&, fossa::net::Response& res) {
      Json info = node_info(0, Json::array({odd}), Json::array({sane}));
      info["node_info"]["max_concurrent_tasks"] = "two";
      fossa::net::send_json(res, 200, info);
    });
    router.get(R"(/api/0.01/task/([^/]+))", [&](const fossa::net::Request& req, fossa::net::Response& res) {
      if (req.matches[1] == "odd-1") return fossa::net::send_json(res, 200, odd);
      if (req.matches[1] == "sane-1") return fossa::net::send_json(res, 200, sane);
      fossa::net::send_json(res, 404, {{"message", "task unknown"}});
    });
  });
  auto gateway = start_gateway({bad.url()});
  auto client = client_for(*gateway);
  const auto list = client.get("/api/clusters/local/jobs");
  ASSERT_TRUE(list.answered()) << list.error;
  ASSERT_EQ(list.status, 200) << list.body;
  const auto jobs = Json::parse(list.body)["jobs"];
  ASSERT_EQ(jobs.size(), 2u) << jobs.dump();
  EXPECT_EQ(jobs[0]["job_id"], "sane-1") << "the one with a start time first";
  EXPECT_EQ(jobs[1], Json({{"job_id", "odd-1"}, {"node", bad.address()}, {"subtasks", Json::object()}}))
      << "every field of the wrong type left out";
  for (const std::string path : {"/local/jobs", "/local/jobs/odd-1", "/api/clusters/local/jobs/odd-1"}) {
    const auto answer = client.get(path);
    ASSERT_TRUE(answer.answered()) << answer.error << path;
    EXPECT_EQ(answer.status, 200) << path << ": " << answer.body;
  }
  const auto page = client.get("/local/jobs/odd-1", {{"Accept", "application/json"}});
  EXPECT_EQ(Json::parse(page.body)["status"], "") << "a blank, not a 500";
}

// Finding 6: a node answering 200 for any id claimed other nodes' jobs. A job is looked up only on
// the node the gateway placed it on, or the one node whose node_info lists it.
TEST(GatewayBadNode, ANodeAnsweringForAnyIdClaimsNoJobOfAnotherNode) {
  std::mutex mutex;
  std::string claimed;  // an id the liar also lists as its own
  StandInNode liar([&](fossa::net::Router& router) {
    router.get("/api/0.01/node_info", [&](const fossa::net::Request&, fossa::net::Response& res) {
      std::lock_guard lock(mutex);
      Json recent = Json::array();
      if (!claimed.empty()) recent.push_back({{"task_id", claimed}, {"status", "complete"}, {"model_class", "Forged"}});
      fossa::net::send_json(res, 200, node_info(0, Json::array(), recent));
    });
    router.get(R"(/api/0.01/task/([^/]+))", [](const fossa::net::Request& req, fossa::net::Response& res) {
      fossa::net::send_json(res, 200, {{"task_id", req.matches[1]}, {"status", "complete"}, {"model_class", "Forged"}});
    });
  });
  NodeProcess node;
  auto gateway = start_gateway({liar.url(), node.url()});  // the liar first: asked first by a search
  auto client = client_for(*gateway);

  // A job sent to the node directly (not placed by this gateway): found by the node's listing.
  const std::string direct = node.submit({{"model_class", "NothingEtl"}});
  ASSERT_FALSE(direct.empty());
  node.wait_for_end(direct);
  EXPECT_EQ(ended(client, direct)["model_class"], "NothingEtl");
  EXPECT_EQ(client.get("/api/clusters/local/jobs/" + direct + ".7").status, 404) << "no such subtask: the node says so";
  const auto nowhere = client.get("/api/clusters/local/jobs/nosuch-1");
  EXPECT_EQ(nowhere.status, 404) << nowhere.body;
  EXPECT_THAT(nowhere.body, HasSubstr("none of its 2 worker nodes lists it"));

  // A job the gateway placed: the liar listing it too changes nothing.
  const auto posted = client.post("/api/clusters/local/jobs", R"({"model_class": "NothingEtl"})", "application/json");
  ASSERT_EQ(posted.status, 201) << posted.body;
  const std::string placed = Json::parse(posted.body)["job_id"];
  {
    std::lock_guard lock(mutex);
    claimed = placed;
  }
  const auto list = Json::parse(client.get("/api/clusters/local/jobs").body)["jobs"];
  for (const auto& job : list) EXPECT_NE(job.value("model_class", ""), "Forged") << list.dump();
  EXPECT_EQ(ended(client, placed)["model_class"], "NothingEtl");

  // A job the gateway did not place, listed by both: it believes neither.
  {
    std::lock_guard lock(mutex);
    claimed = direct;
  }
  auto restarted = start_gateway({liar.url(), node.url()});
  auto fresh = client_for(*restarted);
  const auto disputed = fresh.get("/api/clusters/local/jobs/" + direct);
  EXPECT_EQ(disputed.status, 502) << disputed.body;
  EXPECT_THAT(disputed.body, HasSubstr("lists job " + direct + " as its own"));
}

// Finding 4: node_info carried each recent task's whole spec; ten tasks of 1 MB context took both
// nodes past --node-max-bytes (4 MiB), the jobs list went empty and every POST answered 503.
TEST(GatewayBadNode, TenTasksOfAMegabyteOfContextLeaveTheJobsListAndPostsWorking) {
  NodeProcess first;
  NodeProcess second;
  const std::string megabyte(1'000'000, 'c');
  std::set<std::string> ids;
  for (int i = 0; i < 10; ++i) {
    const auto& node = i % 2 == 0 ? first : second;
    const std::string id = node.submit({{"model_class", "NothingEtl"}, {"resolver_context", {{"big", megabyte}}}});
    ASSERT_FALSE(id.empty()) << i;
    EXPECT_EQ(node.wait_for_end(id)["status"], "complete");
    ids.insert(id);
  }
  const auto info = first.get("/api/0.01/node_info");
  EXPECT_LT(info.body.size(), 64u << 10) << "summaries, not specs";
  EXPECT_THAT(info.json()["recent_completed_tasks"][0]["omitted_fields"], testing::Contains("resolver_context"));

  auto gateway = start_gateway({first.url(), second.url()});
  auto client = client_for(*gateway);
  const auto list = Json::parse(client.get("/api/clusters/local/jobs").body);
  EXPECT_EQ(list["unreachable"], Json::array()) << list["unreachable"].dump();
  std::set<std::string> listed;
  for (const auto& job : list["jobs"]) listed.insert(job["job_id"].get<std::string>());
  EXPECT_EQ(listed, ids);
  const auto posted = client.post("/api/clusters/local/jobs", R"({"model_class": "NothingEtl"})", "application/json");
  EXPECT_EQ(posted.status, 201) << posted.body;
  // The whole spec is in the task's own document, which the gateway reads within its limit.
  const auto doc = client.get("/api/clusters/local/jobs/" + *ids.begin());
  ASSERT_EQ(doc.status, 200) << doc.body.substr(0, 300);
  EXPECT_EQ(Json::parse(doc.body)["resolver_context"]["big"], megabyte);
}

// Finding 6: a wrong FOSSA_API_TOKEN on the gateway is its own fault, said as such (502 naming
// the token), not "no worker node ... is running".
TEST(GatewayBadNode, AWrongTokenIs502NamingItNotNoWorkerNode) {
  NodeProcess node({}, {"FOSSA_API_TOKEN=the-nodes-token"});
  auto gateway = start_gateway({node.url()}, {"FOSSA_API_TOKEN=not-the-token"});
  auto client = client_for(*gateway);
  const auto posted = client.post("/api/clusters/local/jobs", R"({"model_class": "NothingEtl"})", "application/json");
  ASSERT_TRUE(posted.answered()) << posted.error;
  EXPECT_EQ(posted.status, 502) << posted.body;
  EXPECT_THAT(posted.body, HasSubstr("refused the gateway's token (FOSSA_API_TOKEN): HTTP 401"));
  const auto list = Json::parse(client.get("/api/clusters/local/jobs").body);
  EXPECT_THAT(list["unreachable"][0]["error"].get<std::string>(), HasSubstr("FOSSA_API_TOKEN"));
}

// Finding 6: `..` passed as a job id and libcurl resolved it, so the gateway read the node's
// /api/0.01/ as a job. Dot-only ids are refused; paths to nodes go as built (CURLOPT_PATH_AS_IS).
TEST(GatewayBadNode, DotOnlyJobIdsAreRefusedAndPathsToNodesAreNotResolved) {
  std::mutex mutex;
  std::vector<std::string> targets;
  StandInNode recorder([&](fossa::net::Router& router) {
    router.get("/api/0.01/node_info", [](const fossa::net::Request&, fossa::net::Response& res) {
      fossa::net::send_json(res, 200, node_info(0));
    });
    router.set_not_found([&](const fossa::net::Request& req, fossa::net::Response& res) {
      std::lock_guard lock(mutex);
      targets.push_back(req.target);
      fossa::net::send_json(res, 200, {{"hello", "world"}});
    });
  });
  auto gateway = start_gateway({recorder.url()});
  auto client = client_for(*gateway).path_as_is();  // the dots reach the gateway as typed
  for (const std::string id : {"..", "%2E%2E", ".", "..."}) {
    const auto answer = client.get("/api/clusters/local/jobs/" + id);
    ASSERT_TRUE(answer.answered()) << answer.error << id;
    EXPECT_EQ(answer.status, 400) << id << ": " << answer.body;
    EXPECT_THAT(answer.body, HasSubstr("not only dots")) << id;
  }
  {
    std::lock_guard lock(mutex);
    EXPECT_TRUE(targets.empty()) << targets.front();
  }
  fossa::gateway::NodeCalls calls;
  fossa::gateway::get_task(recorder.address(), "a/../..", 0, calls);
  std::lock_guard lock(mutex);
  ASSERT_EQ(targets.size(), 1u);
  EXPECT_EQ(targets[0], "/api/0.01/task/a/../..") << "sent as built, not resolved to /api/0.01/";
}

}  // namespace
