#include "amqp/refused_subtask.h"

#include <gtest/gtest.h>

#include "amqp/link.h"

namespace amqp = fossa::amqp;
using namespace std::chrono_literals;

namespace {

const amqp::SubtaskRefusals::Clock::time_point kNoon{std::chrono::hours(24 * 20'000 + 12)};

// A subtask for a model no program here has, as a parent publishes it.
amqp::Message delivered_subtask() {
  amqp::Message m;
  m.body = R"({"model_class": "ModelOfANewerImage", "method": "part", "method_kwargs": {"i": 3},
              "resolver_context": {"pw": "hunter2"}, "model_construction_kwargs": {},
              "partition_initialise_kwargs": {}})";
  m.reply_to = "amq.gen-parent";
  m.correlation_id = "qwert:3";
  m.content_type = "application/json";
  m.persistent = true;
  m.headers = {{std::string(amqp::kSecretKeysHeader), R"(["pw"])"}, {std::string(amqp::kLogRepliesHeader), "1"}};
  return m;
}

amqp::SubtaskForAnotherModel decoded(const amqp::Message& m) {
  auto decoded = amqp::decode_subtask(m.body, m.reply_to, m.correlation_id, {"pw"});
  return std::get<amqp::SubtaskForAnotherModel>(std::move(decoded));
}

}  // namespace

TEST(RefusedSubtask, IsHandedBackUnchangedThroughTheDelayQueueWithTheRefusalAdded) {
  const amqp::Message m = delivered_subtask();
  const auto refused = amqp::refuse_subtask(m, decoded(m), 42, "old-image:7", kNoon, {120s, 300});
  EXPECT_FALSE(refused.event.gave_up);
  EXPECT_EQ(refused.event.model, "ModelOfANewerImage");
  const amqp::LinkCommand& c = refused.command;
  EXPECT_EQ(c.kind, amqp::LinkCommand::Kind::kHandBack);
  EXPECT_EQ(c.routing_key, amqp::kRetryQueue);
  EXPECT_TRUE(c.exchange.empty());
  EXPECT_EQ(c.taken_id, 42u);
  EXPECT_TRUE(c.ack_after_confirm) << "acknowledged only once the hand-back is confirmed";
  EXPECT_EQ(c.message.body, m.body);
  EXPECT_EQ(c.message.reply_to, m.reply_to);
  EXPECT_EQ(c.message.correlation_id, m.correlation_id);
  EXPECT_TRUE(c.message.persistent);
  EXPECT_EQ(c.message.expiration, std::to_string(amqp::kHandBackDelay.count()));
  EXPECT_EQ(c.message.headers.at(std::string(amqp::kSecretKeysHeader)), R"(["pw"])");
  EXPECT_EQ(c.message.headers.at(std::string(amqp::kLogRepliesHeader)), "1");
  const auto record = amqp::read_refusals(c.message.headers);
  ASSERT_TRUE(record);
  EXPECT_EQ(record->count, 1);
  EXPECT_EQ(record->nodes, std::vector<std::string>{"old-image:7"});
}

TEST(RefusedSubtask, AMalformedRecordIsReplacedByAFreshOne) {
  amqp::Message m = delivered_subtask();
  m.headers[std::string(amqp::kRefusalsHeader)] = R"({"count": "lots"})";
  const auto refused = amqp::refuse_subtask(m, decoded(m), 1, "old-image:7", kNoon, {120s, 300});
  EXPECT_FALSE(refused.event.gave_up);
  const auto record = amqp::read_refusals(refused.command.message.headers);
  ASSERT_TRUE(record);
  EXPECT_EQ(record->count, 1);
  EXPECT_EQ(record->first_refused, kNoon);
}

TEST(RefusedSubtask, RefusedTooLongItIsAnsweredFailedNamingTheModelAndTheNodes) {
  amqp::Message m = delivered_subtask();
  amqp::SubtaskRefusals earlier;
  earlier.first_refused = kNoon - 130s;
  earlier.count = 9;
  earlier.nodes = {"old-image:7", "python-node"};
  m.headers[std::string(amqp::kRefusalsHeader)] = amqp::encode_refusals(earlier);
  const auto refused = amqp::refuse_subtask(m, decoded(m), 5, "other:1", kNoon, {120s, 300});
  EXPECT_TRUE(refused.event.gave_up);
  const amqp::LinkCommand& c = refused.command;
  EXPECT_EQ(c.kind, amqp::LinkCommand::Kind::kReply);
  EXPECT_EQ(c.routing_key, "amq.gen-parent");
  EXPECT_EQ(c.message.correlation_id, "qwert:3");
  EXPECT_TRUE(c.ack_after_confirm);
  EXPECT_EQ(c.taken_id, 5u);
  EXPECT_EQ(c.message.headers.at(std::string(amqp::kNodeHeader)), "other:1");
  auto message = ayeaye::parse_task_message(std::string_view(c.message.body));
  ASSERT_TRUE(message) << message.error();
  const auto& failed = std::get<ayeaye::TaskFailed>(*message);
  EXPECT_EQ(failed.exception_class_name, amqp::kNoNodeCanRunModel);
  EXPECT_EQ(failed.model_class_name, "ModelOfANewerImage");
  EXPECT_EQ(failed.method_name, "part");
  EXPECT_EQ(failed.task_id, "qwert:3::amq.gen-parent");
  EXPECT_EQ(failed.resolver_context, (ayeaye::Json{{"pw", "***"}})) << "a secret stays secret in the answer";
  EXPECT_EQ(failed.message(),
            "no node could run model 'ModelOfANewerImage': refused 10 times in 130 s, by old-image:7, python-node, "
            "other:1 (a node gives a subtask up once it was first refused 120 s ago or 300 times: "
            "--refused-subtask-limit, --refused-subtask-refusals)");
}
