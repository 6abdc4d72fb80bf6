// `fossa models` as people and programs read it: the text and the JSON list the same models; and
// the program as it ships lists the examples a user learns from, none of the tests' fixtures.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/command.h"

using fossa::testing::fossa_bin;
using fossa::testing::run_command;
using fossa::testing::shipped_fossa_bin;

namespace {

std::vector<std::string> model_names(const std::string& program) {
  const auto listed = run_command(program, {"models", "--json"});
  if (listed.exit_code != 0) throw std::runtime_error(program + " models --json: " + listed.err);
  const auto document = nlohmann::json::parse(listed.out);
  std::vector<std::string> names;
  for (const auto& model : document.at("models")) names.push_back(model.at("name").get<std::string>());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

TEST(FossaModels, JsonListsEveryModelOfTheTextWithItsSubtaskMethods) {
  auto text = run_command(fossa_bin(), {"models"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  std::vector<std::string> text_names;  // the unindented lines, without "  (partitioned)"
  std::istringstream lines(text.out);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line[0] != ' ') text_names.push_back(line.substr(0, line.find("  (")));
  }

  auto json = run_command(fossa_bin(), {"models", "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const auto document = nlohmann::json::parse(json.out);
  std::vector<std::string> json_names;
  for (const auto& model : document.at("models")) json_names.push_back(model.at("name").get<std::string>());
  EXPECT_EQ(json_names, text_names);

  const auto example = std::find_if(document["models"].begin(), document["models"].end(),
                                    [](const auto& model) { return model["name"] == "PartitionedExampleEtl"; });
  ASSERT_NE(example, document["models"].end());
  EXPECT_EQ((*example)["partitioned"], true);
  EXPECT_EQ((*example)["methods"],
            nlohmann::json::parse(R"([{"name": "crypto_challenge", "parameters": ["ch", "count"]}])"));
}

TEST(FossaModels, TheShippedProgramListsTheExamplesAndNoTestFixture) {
  EXPECT_EQ(model_names(shipped_fossa_bin()),
            (std::vector<std::string>{"Fanout", "LongRunningEtl", "NoaaClimatology", "NothingEtl", "PartialFailure",
                                      "PartitionedExampleEtl", "SqlRangeSummaries", "StaggeredEtl"}));
}

TEST(FossaModels, TheTestsProgramAddsTheFixturesToTheExamples) {
  const auto shipped = model_names(shipped_fossa_bin());
  const auto with_fixtures = model_names(fossa_bin());
  EXPECT_TRUE(std::includes(with_fixtures.begin(), with_fixtures.end(), shipped.begin(), shipped.end()));
  for (const char* fixture : {"GateEtl", "SegfaultEtl", "ChannelVandalEtl", "SecretTalker", "HalfSecondEtl"}) {
    EXPECT_TRUE(std::binary_search(with_fixtures.begin(), with_fixtures.end(), fixture)) << fixture;
    EXPECT_FALSE(std::binary_search(shipped.begin(), shipped.end(), fixture)) << fixture;
  }
}
