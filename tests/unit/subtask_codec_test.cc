#include "amqp/subtask_codec.h"

#include <gtest/gtest.h>

using ayeaye::Json;
namespace amqp = fossa::amqp;

namespace {

// Why a delivery is not a task, or "" when it is one (or one for a model this node lacks).
std::string not_a_subtask(const amqp::DecodedSubtask& decoded) {
  const auto* not_task = std::get_if<amqp::NotASubtask>(&decoded);
  return not_task == nullptr ? "" : not_task->reason;
}

}  // namespace

TEST(SubtaskCodec, BodyHasExactlyThePythonFields) {
  ayeaye::TaskSpec spec;
  spec.model_class = "PartitionedExampleEtl";
  spec.method = "crypto_challenge";
  spec.method_kwargs = {{"ch", "a"}, {"count", 4}};
  spec.resolver_context.set("token", "s3cret", /*secret=*/true);
  const Json body = Json::parse(amqp::encode_subtask_body(spec));
  EXPECT_EQ(body, Json::parse(R"({"model_class": "PartitionedExampleEtl", "method": "crypto_challenge",
      "method_kwargs": {"ch": "a", "count": 4}, "resolver_context": {"token": "s3cret"},
      "model_construction_kwargs": {}, "partition_initialise_kwargs": {}})"))
      << "the worker needs the real value; nothing else may be in the body";
}

TEST(SubtaskCodec, DecodesAPythonParentsMessage) {
  auto decoded = amqp::decode_subtask(
      R"({"model_class": "PartialFailure", "method": "do_something", "method_kwargs": {"subtask_id": 2},
          "resolver_context": {}, "model_construction_kwargs": {}, "partition_initialise_kwargs": {}})",
      "amq.gen-abc", "qwert:2");
  const auto* delivery = std::get_if<amqp::SubtaskDelivery>(&decoded);
  ASSERT_NE(delivery, nullptr) << not_a_subtask(decoded);
  EXPECT_EQ(delivery->spec.task_id, "qwert:2::amq.gen-abc");
  EXPECT_EQ(delivery->spec.method_kwargs["subtask_id"], 2);
}

TEST(SubtaskCodec, SecretKeysComeFromTheHeader) {
  auto decoded = amqp::decode_subtask(R"({"model_class": "Fanout", "resolver_context": {"pw": "x"}})", "r", "abcde:0",
                                      {"pw"});
  const auto* delivery = std::get_if<amqp::SubtaskDelivery>(&decoded);
  ASSERT_NE(delivery, nullptr) << not_a_subtask(decoded);
  EXPECT_TRUE(delivery->spec.resolver_context.is_secret("pw"));
}

TEST(SubtaskCodec, UndeliverableMessagesSayWhy) {
  EXPECT_EQ(not_a_subtask(amqp::decode_subtask("not json", "r", "abcde:0")).rfind("the body is not JSON: parse error at line 1, column 2", 0), 0u);
  EXPECT_EQ(not_a_subtask(amqp::decode_subtask(R"({"method": "go"})", "r", "abcde:0")),
            "the body is not a task: 'model_class' is a mandatory field");
  EXPECT_EQ(not_a_subtask(amqp::decode_subtask(R"({"model_class": "Fanout", "method_kwargs": []})", "r", "abcde:0")),
            "the body is not a task: task field 'method_kwargs' must be a JSON object, got an array");
  EXPECT_NE(not_a_subtask(amqp::decode_subtask(R"({"model_class": "Fanout"})", "", "abcde:0")).find("no reply_to"),
            std::string::npos);
  EXPECT_NE(not_a_subtask(amqp::decode_subtask(R"({"model_class": "Fanout"})", "r", "")).find("no correlation_id"),
            std::string::npos);
}

TEST(SubtaskCodec, ATaskForAModelThisProgramLacksIsATaskForAnotherNodeNotADeadLetter) {
  const auto decoded = amqp::decode_subtask(R"({"model_class": "NoSuchEtl", "method": "part", "resolver_context": {"pw": "x"}})",
                                            "amq.gen-abc", "qwert:3", {"pw"});
  const auto* other = std::get_if<amqp::SubtaskForAnotherModel>(&decoded);
  ASSERT_NE(other, nullptr) << not_a_subtask(decoded);
  EXPECT_EQ(other->reason(), "unknown model 'NoSuchEtl' (this node cannot run it)");
  EXPECT_EQ(other->task.spec.method, "part");
  EXPECT_EQ(other->task.spec.task_id, "qwert:3::amq.gen-abc");
  EXPECT_EQ(other->task.reply_to, "amq.gen-abc");
  EXPECT_EQ(other->task.correlation_id, "qwert:3");
  EXPECT_TRUE(other->task.spec.resolver_context.is_secret("pw"));
}

TEST(SubtaskCodec, CorrelationIdsRoundTrip) {
  const std::string pool = amqp::new_pool_id();
  ASSERT_EQ(pool.size(), 5u);
  for (char c : pool) EXPECT_TRUE(c >= 'a' && c <= 'z');
  auto parsed = amqp::parse_correlation_id(amqp::make_correlation_id(pool, 17));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->pool_id, pool);
  EXPECT_EQ(parsed->subtask_number, 17u);
  EXPECT_FALSE(amqp::parse_correlation_id("nonsense").ok());
  EXPECT_FALSE(amqp::parse_correlation_id("abcde:x").ok());
  EXPECT_FALSE(amqp::parse_correlation_id("abcde:").ok());
}

TEST(SubtaskCodec, ABodyNestedBeyondTheLimitIsRefusedNamingWhere) {
  const std::string deep = std::string(50'000, '[') + std::string(50'000, ']');
  const std::string reason = not_a_subtask(amqp::decode_subtask(
      R"({"model_class": "Fanout", "method": "noop", "method_kwargs": {"i": )" + deep + "}}", "amq.gen-abc", "qwert:2"));
  EXPECT_EQ(reason.rfind("the body is not JSON: nesting deeper than 256 levels at method_kwargs.i[0]", 0), 0u) << reason;
}

TEST(SubtaskCodec, ACancellationCarriesItsPoolAndAnythingElseIsRefused) {
  EXPECT_EQ(amqp::decode_cancellation(amqp::encode_cancellation("abcde")).value(), "abcde");
  for (const char* body : {"", "not json", "{}", R"({"pool_id": 5})", R"({"pool_id": ""})", R"({"pool_id": "ab:c"})",
                           R"({"pool_id": "ABCDE"})"}) {
    EXPECT_FALSE(amqp::decode_cancellation(body)) << body;
  }
}

TEST(SubtaskCodec, AWorkersTimesTravelToTheMicrosecond) {
  using Clock = amqp::SubtaskTimes::Clock;
  const Clock::time_point taken{std::chrono::microseconds(1'796'651'508'123'456)};
  const amqp::SubtaskTimes sent{taken, taken + std::chrono::microseconds(250), taken + std::chrono::microseconds(1'250)};
  const std::string header = amqp::encode_subtask_times(sent);
  EXPECT_EQ(Json::parse(header), Json::parse(R"({"taken": "2026-12-07T13:51:48.123456Z",
      "started": "2026-12-07T13:51:48.123706Z", "ended": "2026-12-07T13:51:48.124706Z"})"));
  auto got = amqp::decode_subtask_times(header);
  ASSERT_TRUE(got.ok()) << got.error();
  EXPECT_EQ(got->taken, sent.taken);
  EXPECT_EQ(got->started, sent.started);
  EXPECT_EQ(got->ended, sent.ended);
}

TEST(SubtaskCodec, TimesAreWrittenInOneFixedFormThatReadsBackExactly) {
  using Clock = amqp::SubtaskTimes::Clock;
  // A leap day's last microsecond, and the first of the next day.
  const Clock::time_point taken = *amqp::decode_utc_time("2028-02-29T23:59:59.999999Z");
  const amqp::SubtaskTimes sent{taken, taken + std::chrono::microseconds(1), taken + std::chrono::microseconds(2)};
  const std::string header = amqp::encode_subtask_times(sent);
  EXPECT_EQ(header,
            R"({"ended":"2028-03-01T00:00:00.000001Z","started":"2028-03-01T00:00:00.000000Z","taken":"2028-02-29T23:59:59.999999Z"})");
  auto got = amqp::decode_subtask_times(header);
  ASSERT_TRUE(got.ok()) << got.error();
  EXPECT_EQ(got->taken, sent.taken);
  EXPECT_EQ(got->ended, sent.ended);
}

TEST(SubtaskCodec, ATimeOfADayThatDoesNotExistIsNotATime) {
  EXPECT_TRUE(amqp::decode_utc_time("2026-12-07T13:51:48Z").has_value());
  for (const char* text : {"2026-02-29T10:00:00Z", "2026-02-30T10:00:00Z", "2026-13-01T10:00:00Z", "2026-00-10T10:00:00Z",
                           "2026-12-07T24:00:00Z", "2026-12-07T13:60:00Z", "2026-12-07T13:51:61Z", "2026-12-07 13:51:48Z",
                           "+026-12-07T13:51:48Z", "2026-12-07T13:51:48", "2026-12-07T13:51:48.1234567890Z"}) {
    EXPECT_FALSE(amqp::decode_utc_time(text).has_value()) << text;
  }
}

TEST(SubtaskCodec, TimesAreReadToAnyFractionOfASecond) {
  auto got = amqp::decode_subtask_times(
      R"({"taken": "2026-12-07T13:51:48Z", "started": "2026-12-07T13:51:48.5Z", "ended": "2026-12-07T13:51:49.250000000Z"})");
  ASSERT_TRUE(got.ok()) << got.error();
  EXPECT_EQ(got->started - got->taken, std::chrono::milliseconds(500));
  EXPECT_EQ(got->ended - got->taken, std::chrono::milliseconds(1'250));
}

// A result without the header (a Python worker's) has no times; one with a header that is not
// three times in order has none either, and says why: nothing is guessed.
TEST(SubtaskCodec, TimesThatAreNotThreeIsoTimesInOrderAreRefusedSayingWhy) {
  EXPECT_EQ(amqp::decode_subtask_times("").error().rfind("x-fossa-times is not JSON", 0), 0u);
  EXPECT_EQ(amqp::decode_subtask_times("[]").error(), "x-fossa-times is not a JSON object");
  EXPECT_EQ(amqp::decode_subtask_times(R"({"taken": "2026-12-07T13:51:48Z", "started": "2026-12-07T13:51:48Z"})").error(),
            "x-fossa-times has no time 'ended'");
  EXPECT_EQ(amqp::decode_subtask_times(
                R"({"taken": "2026-12-07T13:51:48Z", "started": "2026-12-07T13:51:48Z", "ended": "2026-12-07T13:51:48+01:00"})")
                .error(),
            R"(x-fossa-times's 'ended' is not an ISO time in UTC: "2026-12-07T13:51:48+01:00")");
  EXPECT_EQ(amqp::decode_subtask_times(
                R"({"taken": "2026-12-07T13:51:48Z", "started": "2026-12-07T13:51:48Z", "ended": "2026-12-07T13:51:48.Z"})")
                .ok(),
            false);
  EXPECT_EQ(amqp::decode_subtask_times(
                R"({"taken": "2026-12-07T13:51:49Z", "started": "2026-12-07T13:51:48Z", "ended": "2026-12-07T13:51:50Z"})")
                .error(),
            "x-fossa-times's times are not in order (taken, started, ended)");
}

TEST(SubtaskCodec, AJobIdHeaderIsTakenOnlyWhenItIsAPlainIdOfBoundedLength) {
  EXPECT_EQ(amqp::job_id_from_header("qwert-3"), "qwert-3");
  EXPECT_EQ(amqp::job_id_from_header("qwert-3.12"), "qwert-3.12") << "a subtask's id is a job id too";
  EXPECT_EQ(amqp::job_id_from_header(std::string(amqp::kMaxJobIdLength, 'a')), std::string(amqp::kMaxJobIdLength, 'a'));
  for (const std::string& bad : {std::string(), std::string(amqp::kMaxJobIdLength + 1, 'a'), std::string("abc\ndef"),
                                std::string("a b"), std::string("job\" or 1"), std::string("{\"job\":1}"),
                                std::string("caf\xc3\xa9"), std::string("a\0b", 3)}) {
    EXPECT_EQ(amqp::job_id_from_header(bad), "") << "dropped, never trusted into a log line: " << bad;
  }
}
