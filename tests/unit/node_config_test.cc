#include "node/node_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sched.h>

#include <fstream>
#include <sstream>

using fossa::node::node_settings;
using fossa::node::resolve_node_config;
using ::testing::HasSubstr;

TEST(NodeConfig, AFlagOverridesItsVariableWhichOverridesTheDefault) {
  auto config = resolve_node_config({{"FOSSA_HTTP_PORT", "8080"}},
                                    {{"FOSSA_HTTP_PORT", "9090"}, {"FOSSA_TASK_HISTORY", "7"}, {"FOSSA_AMQP_HEARTBEAT", "5"}});
  ASSERT_TRUE(config) << config.error();
  EXPECT_EQ(config->port, 8080);
  EXPECT_EQ(config->history_size, 7u);
  EXPECT_EQ(config->amqp_heartbeat, std::chrono::seconds(5));
  EXPECT_EQ(config->subtask_documents, 1000u) << "the default";
}

TEST(NodeConfig, ABadValueIsRefusedNamingWhereItCameFrom) {
  auto from_variable = resolve_node_config({}, {{"FOSSA_MAX_CONCURRENT_TASKS", "0"}});
  ASSERT_FALSE(from_variable);
  EXPECT_EQ(from_variable.error(), "FOSSA_MAX_CONCURRENT_TASKS: must be at least 1, got 0");

  auto from_flag = resolve_node_config({{"FOSSA_HTTP_PORT", "70000"}}, {});
  ASSERT_FALSE(from_flag);
  EXPECT_EQ(from_flag.error(), "--port: must be at most 65535, got 70000");

  auto not_a_number = resolve_node_config({}, {{"FOSSA_TASK_TIME_LIMIT", "ten"}});
  ASSERT_FALSE(not_a_number);
  EXPECT_EQ(not_a_number.error(), "FOSSA_TASK_TIME_LIMIT: expected a whole number, got 'ten'");

  auto unknown_model = resolve_node_config({{"FOSSA_ACCEPTED_MODELS", "NothingEtl, NoSuchEtl"}}, {});
  ASSERT_FALSE(unknown_model);
  EXPECT_THAT(unknown_model.error(), HasSubstr("--accepted-models: 'NoSuchEtl' is not a model of this program"));

  auto bad_url = resolve_node_config({}, {{"RABBITMQ_URL", "http://broker"}});
  ASSERT_FALSE(bad_url);
  EXPECT_THAT(bad_url.error(), HasSubstr("RABBITMQ_URL: expected amqp://"));
}

TEST(NodeConfig, DefaultCapacityIsTwoTasksPerCpuAsInPythonFossa) {
  cpu_set_t set;
  ASSERT_EQ(sched_getaffinity(0, sizeof set, &set), 0);
  auto config = resolve_node_config({}, {});
  ASSERT_TRUE(config) << config.error();
  EXPECT_EQ(config->max_concurrent_tasks, 2 * CPU_COUNT(&set));

  auto halved = resolve_node_config({}, {{"FOSSA_CPU_TASK_RATIO", "0.5"}});
  ASSERT_TRUE(halved) << halved.error();
  EXPECT_EQ(halved->max_concurrent_tasks, (CPU_COUNT(&set) + 1) / 2);
}

TEST(NodeConfig, EverySettingHasAVariableADefaultAndHelp) {
  for (const auto& s : node_settings()) {
    EXPECT_FALSE(s.variable.empty());
    EXPECT_FALSE(s.default_text.empty()) << s.variable;
    EXPECT_FALSE(s.help.empty()) << s.variable;
    EXPECT_TRUE(s.flag.empty() || s.flag.rfind("--", 0) == 0) << s.flag;
  }
}

TEST(NodeConfig, TheTableInDocsNodeMdIsTheSettingsTable) {
  std::ifstream file(std::string(FOSSA_SOURCE_DIR) + "/docs/node.md");
  ASSERT_TRUE(file) << "cannot read docs/node.md";
  std::stringstream text;
  text << file.rdbuf();
  const std::string table = fossa::node::node_settings_markdown();
  EXPECT_NE(text.str().find(table), std::string::npos)
      << "docs/node.md's configuration table differs from node_settings(); it should read:\n"
      << table;
}
