// What a person sees of a node: `fossa submit` against a real node process, and the node's HTML
// pages fetched over real HTTP (the browser's view of them is tests/browser).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>


#include <regex>

#include "support/command.h"
#include "support/listening_port.h"
#include "support/node_process.h"
#include "support/test_client.h"

namespace {

using fossa::testing::NodeProcess;
using fossa::testing::RefusingPort;
using fossa::testing::run_command;
using fossa::testing::TestClient;
using ::testing::HasSubstr;
using ::testing::Not;

fossa::testing::CommandResult submit(const std::vector<std::string>& args, const std::vector<std::string>& env = {}) {
  std::vector<std::string> full = {"submit"};
  full.insert(full.end(), args.begin(), args.end());
  return run_command(fossa::testing::fossa_bin(), full, env);
}

TEST(FossaSubmit, WaitsForATaskAndExitsZeroWhenItCompletes) {
  NodeProcess node;
  const auto r = submit({"NothingEtl", "--node", node.url(), "--wait"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, testing::ContainsRegex("task [a-z]+-1 accepted: " + node.url() + "/api/0.01/task/[a-z]+-1"));
  EXPECT_THAT(r.out, HasSubstr("NothingEtl complete in "));
}

TEST(FossaSubmit, PassesTheContextAndReportsSubtasks) {
  NodeProcess node({"--max-concurrent-tasks", "2"});
  const auto r = submit({"PartitionedExampleEtl", "--context", "complexity=3", "--wait"}, {"FOSSA_NODE_URL=" + node.url()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("PartitionedExampleEtl complete in "));
  EXPECT_THAT(r.out, HasSubstr(": 16 subtasks, 0 failed, 0 retried"));
  std::smatch id;
  ASSERT_TRUE(std::regex_search(r.out, id, std::regex(R"(task ([a-z]+-1) accepted)"))) << r.out;
  const auto doc = node.get("/api/0.01/task/" + id[1].str()).json();
  EXPECT_EQ(doc["resolver_context"], ayeaye::Json({{"complexity", "3"}}));
  EXPECT_EQ(node.get("/api/0.01/task/" + id[1].str() + ".0").json()["method_kwargs"]["count"], 3);
}

TEST(FossaSubmit, ExitsOneWithTheFailureAndTheFailedSubtask) {
  NodeProcess node({"--max-concurrent-tasks", "3"});
  const auto r = submit({"PartialFailure", "--node", node.url(), "--wait"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr("PartialFailure failed"));
  std::smatch origin;
  ASSERT_TRUE(std::regex_search(r.out, origin, std::regex(R"(failed subtask: ([a-z]+-1\.\d+) \()"))) << r.out;
  EXPECT_EQ(node.get("/api/0.01/task/" + origin[1].str()).json()["status"], "failed");
  EXPECT_THAT(r.err, HasSubstr("trace:"));
}

TEST(FossaSubmit, WithoutWaitPrintsTheTaskAndReturns) {
  NodeProcess node;
  const auto r = submit({"HalfSecondEtl", "--node", node.url()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::smatch id;
  ASSERT_TRUE(std::regex_search(r.out, id, std::regex(R"(task ([a-z]+-1) accepted)"))) << r.out;
  EXPECT_EQ(node.wait_for_end(id[1])["status"], "complete");
}

TEST(FossaSubmit, ARefusedTaskExitsTwoWithTheNodesReason) {
  NodeProcess node({"--accepted-models", "NothingEtl"});
  const auto r = submit({"HalfSecondEtl", "--node", node.url(), "--wait"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("the node refused the task (HTTP 412)"));
  EXPECT_THAT(r.err, HasSubstr("'HalfSecondEtl' is not in the list of accepted classes"));
}

TEST(FossaSubmit, BadArgumentsExitTwoAndAnUnreachableNodeExitsThree) {
  const RefusingPort refusing;
  const auto unreachable = submit({"NothingEtl", "--node", "http://127.0.0.1:" + std::to_string(refusing.port())});
  EXPECT_EQ(unreachable.exit_code, 3);
  EXPECT_THAT(unreachable.err, HasSubstr("cannot reach the node at http://127.0.0.1:" + std::to_string(refusing.port())));

  const auto bad_url = submit({"NothingEtl", "--node", "ftp://somewhere"});
  EXPECT_EQ(bad_url.exit_code, 2);
  EXPECT_THAT(bad_url.err, HasSubstr("--node must be an http:// or https:// URL, got 'ftp://somewhere'"));

  const auto bad_context = submit({"NothingEtl", "--context", "no-equals-sign", "--node", "http://127.0.0.1:1"});
  EXPECT_EQ(bad_context.exit_code, 2);
  EXPECT_THAT(bad_context.err, HasSubstr("no-equals-sign"));
}

TEST(NodePages, TheNodePageListsRunningAndRecentTasks) {
  NodeProcess node({"--max-concurrent-tasks", "2", "--node-ident", "page-test-node"});
  const std::string done = node.submit({{"model_class", "NothingEtl"}});
  node.wait_for_end(done);
  const std::string running = node.submit({{"model_class", "LongRunningEtl"}});
  node.wait_for_log([&](const std::string& line) { return line.find("task started") != std::string::npos &&
                                                          line.find(running) != std::string::npos; });
  const auto page = node.get("/");
  EXPECT_EQ(page.status, 200);
  EXPECT_THAT(page.content_type, HasSubstr("text/html"));
  EXPECT_THAT(page.body, HasSubstr("<h1>Node page-test-node</h1>"));
  EXPECT_THAT(page.body, HasSubstr("<h2>Running tasks (1)</h2>"));
  EXPECT_THAT(page.body, HasSubstr("<h2>Recent tasks (1)</h2>"));
  EXPECT_THAT(page.body, HasSubstr("href=\"task/" + running + "\""));
  EXPECT_THAT(page.body, HasSubstr("href=\"task/" + done + "\""));
  EXPECT_THAT(page.body, HasSubstr("data-live=\"true\""));
}

TEST(NodePages, ATaskPageShowsTheFailureTraceAndTheFailedSubtask) {
  NodeProcess node({"--max-concurrent-tasks", "3"});
  const std::string id = node.submit({{"model_class", "PartialFailure"}});
  const auto doc = node.wait_for_end(id);
  const std::string origin = doc["results"]["payload"]["failure_origin_task_id"];
  const auto page = node.get("/task/" + id);
  EXPECT_EQ(page.status, 200);
  EXPECT_THAT(page.body, HasSubstr("<span class=\"status failed\">failed</span>"));
  EXPECT_THAT(page.body, HasSubstr("Failed because subtask <a href=\"task/" + origin + "\">"));
  EXPECT_THAT(page.body, HasSubstr("data-live=\"false\""));
  const auto subtask_page = node.get("/task/" + origin);
  EXPECT_THAT(subtask_page.body, HasSubstr("<h2>Trace</h2>"));
  EXPECT_THAT(subtask_page.body, HasSubstr("std::domain_error: division by zero"));
  EXPECT_EQ(node.get("/task/no-such-task").status, 404);
}

TEST(NodePages, EverythingIsServedByTheNodeAndEscaped) {
  NodeProcess node;
  const std::string id = node.submit({{"model_class", "NothingEtl"}, {"resolver_context", {{"who", "<script>alert(1)</script>"}}}});
  node.wait_for_end(id);
  for (const std::string& path : std::vector<std::string>{"/", "/task/" + id}) {
    const auto page = node.get(path);
    EXPECT_THAT(page.body, Not(HasSubstr("http://"))) << path << ": nothing is fetched from elsewhere";
    EXPECT_THAT(page.body, Not(HasSubstr("https://"))) << path;
    EXPECT_THAT(page.body, Not(HasSubstr("<script>alert"))) << path;
  }
  EXPECT_THAT(node.get("/task/" + id).body, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;"));
  const auto css = node.get("/static/fossa.css");
  EXPECT_EQ(css.status, 200);
  EXPECT_THAT(css.content_type, HasSubstr("text/css"));
  const auto script = node.get("/static/fossa.js");
  EXPECT_EQ(script.status, 200);
  EXPECT_THAT(script.content_type, HasSubstr("javascript"));
}

TEST(NodePages, LinksFollowTheProxyPrefix) {
  NodeProcess node;
  TestClient client(node.port());
  const auto proxied = client.get("/", {{"X-Forwarded-Prefix", "/nodes/a1"}});
  ASSERT_TRUE(proxied.answered()) << proxied.error;
  EXPECT_THAT(proxied.body, HasSubstr("<base href=\"/nodes/a1/\">"));
  const auto odd = client.get("/", {{"X-Forwarded-Prefix", "/nodes/\"><script>"}});
  ASSERT_TRUE(odd.answered()) << odd.error;
  EXPECT_THAT(odd.body, HasSubstr("<base href=\"/\">")) << "a prefix that is not a plain path is ignored";
  const auto posted = client.post("/api/0.01/task", R"({"model_class": "NothingEtl"})", "application/json",
                                  {{"X-Forwarded-Prefix", "/nodes/a1"}, {"X-Forwarded-Proto", "https"}});
  ASSERT_TRUE(posted.answered()) << posted.error;
  EXPECT_THAT(posted.body, HasSubstr("\"https://127.0.0.1:" + std::to_string(node.port()) + "/nodes/a1/api/0.01/task/"));
}

}  // namespace
