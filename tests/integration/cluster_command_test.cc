// `fossa cluster up|status|down` as a person uses it: real processes, a real broker, and a job
// submitted to the cluster it started.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "support/command.h"
#include "support/node_process.h"

namespace {

using fossa::testing::fossa_bin;
using fossa::testing::NodeProcess;
using fossa::testing::process_alive;
using fossa::testing::run_command;
using ::testing::HasSubstr;

ayeaye::Json read_json(const std::string& path) {
  std::ifstream file(path);
  return ayeaye::Json::parse(file, nullptr, /*allow_exceptions=*/false);
}

TEST(FossaCluster, UpRunsAJobAcrossItsNodesAndDownStopsOnlyWhatUpStarted) {
  fossa::testing::TempDir dir;
  ::chmod(dir.path().c_str(), 0755);  // the broker runs as the rabbitmq user
  NodeProcess bystander;              // not the cluster's: down must leave it alone
  struct DownWhateverHappens {  // the test's own `down` is checked below; this one is for an early end
    std::string dir;
    ~DownWhateverHappens() { run_command(fossa_bin(), {"cluster", "--dir", dir, "down"}); }
  } down_at_the_end{dir.path()};

  const auto up = run_command(fossa_bin(), {"cluster", "--dir", dir.path(), "up", "--workers", "2", "--capacity", "2"});
  ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
  EXPECT_THAT(up.out, HasSubstr("node-1    http://127.0.0.1:"));
  EXPECT_THAT(up.out, HasSubstr("node-2    http://127.0.0.1:"));
  const auto state = read_json(dir.path() + "/cluster.json");
  ASSERT_TRUE(state.is_object()) << "cluster.json";
  const std::string node_url = state["nodes"][0]["url"];

  const auto status = run_command(fossa_bin(), {"cluster", "--dir", dir.path(), "status"});
  EXPECT_EQ(status.exit_code, 0) << status.out << status.err;
  EXPECT_THAT(status.out, HasSubstr("node-2"));
  EXPECT_THAT(status.out, HasSubstr("2/2 slots free"));

  const auto job = run_command(fossa_bin(), {"submit", "PartitionedExampleEtl", "--node", node_url, "-c", "complexity=2",
                                             "--wait", "--subtasks"});
  EXPECT_EQ(job.exit_code, 0) << job.out << job.err;
  EXPECT_THAT(job.out, HasSubstr("16 subtasks, 0 failed"));
  EXPECT_THAT(job.out, HasSubstr("subtasks by node: node-1 "));
  EXPECT_THAT(job.out, HasSubstr(", node-2 "));

  const auto again = run_command(fossa_bin(), {"cluster", "--dir", dir.path(), "up"});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_THAT(again.err, HasSubstr("already up"));

  const auto down = run_command(fossa_bin(), {"cluster", "--dir", dir.path(), "down"});
  EXPECT_EQ(down.exit_code, 0) << down.out << down.err;
  EXPECT_FALSE(process_alive(state["supervisor_pid"].get<pid_t>()));
  EXPECT_FALSE(process_alive(state["broker_pid"].get<pid_t>()));
  for (const auto& node : state["nodes"]) EXPECT_FALSE(process_alive(node["pid"].get<pid_t>())) << node.dump();
  EXPECT_TRUE(process_alive(bystander.pid()));
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/cluster.json"));
  EXPECT_TRUE(std::filesystem::exists(dir.path() + "/node-1.log")) << "logs stay for reading";

  const auto after = run_command(fossa_bin(), {"cluster", "--dir", dir.path(), "status"});
  EXPECT_EQ(after.exit_code, 1);
  EXPECT_THAT(after.err, HasSubstr("no cluster is up"));
}

TEST(FossaCluster, BadOptionsAreRefused) {
  const auto no_action = run_command(fossa_bin(), {"cluster"});
  EXPECT_NE(no_action.exit_code, 0);
  EXPECT_THAT(no_action.out + no_action.err, HasSubstr("subcommand"));
  const auto zero = run_command(fossa_bin(), {"cluster", "up", "--workers", "0"});
  EXPECT_NE(zero.exit_code, 0);
  EXPECT_THAT(zero.err, HasSubstr("--workers"));
}

}  // namespace
