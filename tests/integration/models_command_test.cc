// `fossa models` as people and programs read it: the text and the JSON list the same models.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "support/command.h"

using fossa::testing::fossa_bin;
using fossa::testing::run_command;

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
