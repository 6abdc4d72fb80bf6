// A job page's link to its workers' log lines in CloudWatch Logs (docs/gateway.md, "Log lines in
// CloudWatch"), through a real fossa-gateway in front of a real node: with --log-group (a stack's
// gateway has its cluster's) the page links to a Logs Insights query of that group by the job's id;
// without it (a local cluster) there is no such link.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

#include "support/command.h"
#include "support/node_process.h"
#include "support/test_client.h"

namespace {

using fossa::testing::fossa_bin;
using fossa::testing::NodeProcess;
using fossa::testing::run_command;
using fossa::testing::TestClient;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kPassword = "correct horse battery staple";

std::string gateway_bin() { return (std::filesystem::path(fossa_bin()).parent_path() / "fossa-gateway").string(); }

std::unique_ptr<NodeProcess> gateway_for(const NodeProcess& node, const std::vector<std::string>& more) {
  std::vector<std::string> args{"--port", "0", "--bind", "127.0.0.1", "--node", node.url()};
  args.insert(args.end(), more.begin(), more.end());
  return std::make_unique<NodeProcess>(
      NodeProcess::Launch{gateway_bin(), args, {"GATEWAY_HTTP_PASSWORD=" + kPassword}, "fossa-gateway ready"});
}

// A job placed through `gateway`, and its page once the node has started it.
std::pair<std::string, std::string> job_and_page(const NodeProcess& gateway) {
  TestClient client(gateway.port());
  client.basic_auth("fossa", kPassword);
  const auto posted = client.post("/api/clusters/local/jobs", R"({"model_class": "PartitionedExampleEtl"})");
  if (!posted.answered() || posted.status != 201) throw std::runtime_error("the gateway did not take the job: " + posted.body + posted.error);
  const std::string id = ayeaye::Json::parse(posted.body)["job_id"];
  const auto page = client.get("/local/jobs/" + id);
  if (!page.answered() || page.status != 200) throw std::runtime_error("the job's page: HTTP " + std::to_string(page.status) + page.body);
  return {id, page.body};
}

}  // namespace

TEST(JobLogsLink, WithALogGroupAJobPageLinksToItsLinesInCloudWatchLogs) {
  NodeProcess node;
  const auto gateway = gateway_for(node, {"--log-group", "/fossa/test/ecs", "--region", "eu-west-2"});
  const auto [id, page] = job_and_page(*gateway);
  EXPECT_THAT(page, HasSubstr(">Log lines in CloudWatch</a>"));
  EXPECT_THAT(page, HasSubstr("href=\"https://eu-west-2.console.aws.amazon.com/cloudwatch/home?region=eu-west-2#logsV2:logs-insights"));
  EXPECT_THAT(page, HasSubstr("*2Ffossa*2Ftest*2Fecs")) << "the log group";
  EXPECT_THAT(page, HasSubstr("filter*20job*5Fid*20*3D*20*22" + id + "*22")) << "the job's id";
}

TEST(JobLogsLink, WithoutALogGroupAJobPageHasNoSuchLink) {
  NodeProcess node;
  const auto gateway = gateway_for(node, {});
  const auto [id, page] = job_and_page(*gateway);
  EXPECT_THAT(page, HasSubstr("Job " + id));
  EXPECT_THAT(page, Not(HasSubstr("CloudWatch")));
}

TEST(JobLogsLink, ALogGroupWithoutARegionIsRefusedByALocalGateway) {
  NodeProcess node;
  const auto r = run_command(gateway_bin(), {"--port", "0", "--node", node.url(), "--log-group", "/fossa/test/ecs"},
                             {"GATEWAY_HTTP_PASSWORD=" + kPassword});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("--log-group /fossa/test/ecs needs --region"));
}
