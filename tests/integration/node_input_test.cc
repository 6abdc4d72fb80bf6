// A node given hostile JSON: a deep body, a number no double holds. Each is a 400 that names the
// field, and the node (and every task it runs) serves on.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "support/node_process.h"

namespace {

using fossa::testing::NodeProcess;
using ::testing::HasSubstr;

const std::string kApi = "/api/0.01";

std::string nested_arrays(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }

void expect_node_serves_on(NodeProcess& node) {
  const std::string id = node.submit({{"model_class", "NothingEtl"}});
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(node.wait_for_end(id)["status"], "complete");
}

TEST(NodeInput, KwargsFiftyThousandArraysDeepAreA400AndTheNodeServesOn) {
  NodeProcess node;
  const auto answer = node.post(kApi + "/task", R"({"model_class": "Fanout", "method": "noop", "method_kwargs": {"i": )" +
                                                     nested_arrays(50'000) + "}}");
  EXPECT_EQ(answer.status, 400) << answer.body;
  EXPECT_THAT(answer.json()["error"]["message"].get<std::string>(),
              HasSubstr("nesting deeper than 256 levels at method_kwargs.i[0][0]"));
  expect_node_serves_on(node);
}

TEST(NodeInput, AResolverContextNestedBeyondTheLimitIsA400) {
  NodeProcess node;
  const auto answer =
      node.post(kApi + "/task", R"({"model_class": "NothingEtl", "resolver_context": {"k": )" + nested_arrays(1'000) + "}}");
  EXPECT_EQ(answer.status, 400) << answer.body;
  EXPECT_THAT(answer.body, HasSubstr("nesting deeper than 256 levels at resolver_context.k"));
  expect_node_serves_on(node);
}

TEST(NodeInput, ANumberBeyondADoubleIsA400NamingItsField) {
  NodeProcess node;
  const auto answer =
      node.post(kApi + "/task", R"({"model_class": "Fanout", "method": "noop", "method_kwargs": {"i": 1e999}})");
  EXPECT_EQ(answer.status, 400) << answer.body;
  EXPECT_THAT(answer.json()["error"]["message"].get<std::string>(), HasSubstr("1e999"));
  EXPECT_THAT(answer.json()["error"]["message"].get<std::string>(), HasSubstr("method_kwargs.i"));
  expect_node_serves_on(node);
}

}  // namespace
