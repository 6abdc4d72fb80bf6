#include "amqp/refusal_rule.h"

#include <gtest/gtest.h>

namespace amqp = fossa::amqp;
using Verdict = amqp::RefusalDecision::Verdict;
using namespace std::chrono_literals;

namespace {

// The clock the rule is given: any time will do, it never reads one of its own.
const amqp::SubtaskRefusals::Clock::time_point kNoon{std::chrono::hours(24 * 20'000 + 12)};

}  // namespace

TEST(RefusalRule, AFirstRefusalHandsTheSubtaskBackAndStartsTheRecord) {
  const auto decision = amqp::decide_refusal(std::nullopt, "node-a", kNoon, {120s, 300});
  EXPECT_EQ(decision.verdict, Verdict::kHandBack);
  EXPECT_EQ(decision.refusals.first_refused, kNoon);
  EXPECT_EQ(decision.refusals.count, 1);
  EXPECT_EQ(decision.refusals.nodes, std::vector<std::string>{"node-a"});
  EXPECT_EQ(decision.refused_for, 0s);
}

TEST(RefusalRule, LaterRefusalsKeepTheFirstTimeAndNameEachNodeOnce) {
  auto first = amqp::decide_refusal(std::nullopt, "node-a", kNoon, {120s, 300});
  auto second = amqp::decide_refusal(first.refusals, "node-b", kNoon + 5s, {120s, 300});
  auto third = amqp::decide_refusal(second.refusals, "node-a", kNoon + 9s, {120s, 300});
  EXPECT_EQ(third.verdict, Verdict::kHandBack);
  EXPECT_EQ(third.refusals.first_refused, kNoon);
  EXPECT_EQ(third.refusals.count, 3);
  EXPECT_EQ(third.refusals.nodes, (std::vector<std::string>{"node-a", "node-b"}));
  EXPECT_EQ(third.refused_for, 9s);
}

TEST(RefusalRule, GivesUpOnceFirstRefusedTheLimitAgo) {
  const auto first = amqp::decide_refusal(std::nullopt, "node-a", kNoon, {120s, 300});
  EXPECT_EQ(amqp::decide_refusal(first.refusals, "node-b", kNoon + 119s, {120s, 300}).verdict, Verdict::kHandBack);
  const auto late = amqp::decide_refusal(first.refusals, "node-b", kNoon + 120s, {120s, 300});
  EXPECT_EQ(late.verdict, Verdict::kGiveUp);
  EXPECT_EQ(late.refused_for, 120s);
}

TEST(RefusalRule, ALimitOfZeroGivesUpAtTheFirstRefusal) {
  EXPECT_EQ(amqp::decide_refusal(std::nullopt, "node-a", kNoon, {0s, 300}).verdict, Verdict::kGiveUp);
}

TEST(RefusalRule, GivesUpAfterTooManyRefusalsEvenWhenTheFirstLooksRecent) {
  // A node whose clock runs an hour fast stamped the first refusal: by this node's clock it has
  // not happened yet, so only the count can end it.
  amqp::SubtaskRefusals record;
  record.first_refused = kNoon + 1h;
  record.count = 3;
  record.nodes = {"fast-clock"};
  const auto decision = amqp::decide_refusal(record, "node-a", kNoon, {120s, 4});
  EXPECT_EQ(decision.verdict, Verdict::kGiveUp);
  EXPECT_EQ(decision.refused_for, 0s) << "a first refusal in the future counts as just now";
  record.count = 2;
  EXPECT_EQ(amqp::decide_refusal(record, "node-a", kNoon, {120s, 4}).verdict, Verdict::kHandBack);
}

TEST(RefusalRule, TheNodeListStaysBoundedWhileEveryRefusalIsCounted) {
  std::optional<amqp::SubtaskRefusals> record;
  for (int i = 0; i < 40; ++i) record = amqp::decide_refusal(record, "node-" + std::to_string(i), kNoon, {120s, 300}).refusals;
  EXPECT_EQ(record->count, 40);
  EXPECT_EQ(record->nodes.size(), amqp::SubtaskRefusals::kMaxNodes);
  EXPECT_EQ(record->nodes.front(), "node-0");
}
