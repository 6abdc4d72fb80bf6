#include "ayeaye/task_message.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <variant>

#include "ayeaye/task_spec.h"

using ayeaye::Json;

TEST(TaskMessage, CompleteHasTheProtocolsJsonForm) {
  const Json json = ayeaye::to_json(ayeaye::TaskComplete{"crypto_challenge", {{"ch", "a"}}, Json::array({"a", 27})});
  EXPECT_EQ(json, Json::parse(R"({"type": "TaskComplete", "payload": {"method_name": "crypto_challenge",
      "method_kwargs": {"ch": "a"}, "return_value": ["a", 27]}})"));
}

TEST(TaskMessage, FailedHasEveryProtocolFieldAndNoOthers) {
  ayeaye::TaskFailed failed;
  failed.model_class_name = "PartialFailure";
  failed.method_name = "do_something";
  failed.exception_class_name = "std::domain_error";
  failed.traceback = {"in PartialFailure.do_something", "std::domain_error: division by zero"};
  failed.task_id = "abc:0";
  const Json payload = ayeaye::to_json(failed)["payload"];
  std::vector<std::string> keys;
  for (const auto& [key, value] : payload.items()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"exception_class_name", "failure_origin_task_id", "method_kwargs",
                                            "method_name", "model_class_name", "model_construction_kwargs",
                                            "partition_initialise_kwargs", "resolver_context", "task_id",
                                            "traceback"}));
  EXPECT_TRUE(payload["failure_origin_task_id"].is_null());
  EXPECT_EQ(failed.message(), "division by zero");
}

// Every field of `actual` as in `expected`, each named when it differs.
void expect_same_failure(const ayeaye::TaskFailed& actual, const ayeaye::TaskFailed& expected) {
  EXPECT_EQ(actual.model_class_name, expected.model_class_name);
  EXPECT_EQ(actual.model_construction_kwargs, expected.model_construction_kwargs);
  EXPECT_EQ(actual.partition_initialise_kwargs, expected.partition_initialise_kwargs);
  EXPECT_EQ(actual.method_name, expected.method_name);
  EXPECT_EQ(actual.method_kwargs, expected.method_kwargs);
  EXPECT_EQ(actual.resolver_context, expected.resolver_context);
  EXPECT_EQ(actual.exception_class_name, expected.exception_class_name);
  EXPECT_EQ(actual.traceback, expected.traceback);
  EXPECT_EQ(actual.task_id, expected.task_id);
  EXPECT_EQ(actual.failure_origin_task_id, expected.failure_origin_task_id);
}

// A parent task failed by one of its subtasks: every field set, and none to its default, so a
// field the encoder or the decoder drops cannot pass unseen.
ayeaye::TaskFailed every_field_failed() {
  ayeaye::TaskFailed failed;
  failed.model_class_name = "PartialFailure";
  failed.model_construction_kwargs = {{"mode", "strict"}};
  failed.partition_initialise_kwargs = {{"partition", 3}, {"of", 8}};
  failed.method_name = "do_something";
  failed.method_kwargs = {{"subtask_id", 3}, {"tags", {"a", "b"}}};
  failed.resolver_context = {{"env", "prod"}};
  failed.exception_class_name = "std::domain_error";
  failed.traceback = {"in PartialFailure.do_something", "std::domain_error: division by zero"};
  failed.task_id = "abcde";
  failed.failure_origin_task_id = "abcde:3";
  return failed;
}

TEST(TaskMessage, RoundTripsEveryType) {
  for (const Json& json : {ayeaye::to_json(ayeaye::TaskComplete{"m", {{"x", 1}}, 5}),
                           ayeaye::to_json(every_field_failed()),
                           ayeaye::to_json(ayeaye::TaskLogMessage{"hello", "WARNING"})}) {
    auto parsed = ayeaye::parse_task_message(json);
    ASSERT_TRUE(parsed.ok()) << parsed.error();
    EXPECT_EQ(ayeaye::to_json(*parsed), json);
  }
}

// JSON to JSON alone would not see a field that both directions drop: this compares the values.
TEST(TaskMessage, FailedRoundTripsEveryField) {
  const ayeaye::TaskFailed failed = every_field_failed();
  const std::string text = ayeaye::to_json(failed).dump();  // the text on the wire
  auto parsed = ayeaye::parse_task_message(std::string_view(text));
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  ASSERT_TRUE(std::holds_alternative<ayeaye::TaskFailed>(*parsed));
  expect_same_failure(std::get<ayeaye::TaskFailed>(*parsed), failed);
}

TEST(TaskMessage, ReadsPythonsFailedMessage) {
  // As Python Aye-Aye 0.0.66 writes it for a subtask: no failure origin, a Python class name, and
  // traceback lines that end in newlines.
  auto parsed = ayeaye::parse_task_message(std::string_view(R"({"type": "TaskFailed", "payload": {
      "model_class_name": "PartialFailure", "model_construction_kwargs": {"mode": "strict"},
      "partition_initialise_kwargs": {"partition": 0}, "method_name": "do_something",
      "method_kwargs": {"subtask_id": 0}, "resolver_context": {"env": "prod"},
      "exception_class_name": "<class 'ZeroDivisionError'>",
      "traceback": ["Traceback ...", "ZeroDivisionError: division by zero\n"],
      "task_id": "abcde:0::amq.gen-1", "failure_origin_task_id": null}})"));
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  ASSERT_TRUE(std::holds_alternative<ayeaye::TaskFailed>(*parsed));
  ayeaye::TaskFailed expected;
  expected.model_class_name = "PartialFailure";
  expected.model_construction_kwargs = {{"mode", "strict"}};
  expected.partition_initialise_kwargs = {{"partition", 0}};
  expected.method_name = "do_something";
  expected.method_kwargs = {{"subtask_id", 0}};
  expected.resolver_context = {{"env", "prod"}};
  expected.exception_class_name = "<class 'ZeroDivisionError'>";
  expected.traceback = {"Traceback ...", "ZeroDivisionError: division by zero\n"};
  expected.task_id = "abcde:0::amq.gen-1";
  expect_same_failure(std::get<ayeaye::TaskFailed>(*parsed), expected);
}

TEST(TaskMessage, ReadsPythonsFailedParentMessage) {
  // As Python Aye-Aye 0.0.66 writes it for the parent task a subtask failed: the origin named.
  auto parsed = ayeaye::parse_task_message(std::string_view(R"({"type": "TaskFailed", "payload": {
      "model_class_name": "PartialFailure", "model_construction_kwargs": {}, "partition_initialise_kwargs": {},
      "method_name": "go", "method_kwargs": {}, "resolver_context": {},
      "exception_class_name": "<class 'ZeroDivisionError'>", "traceback": ["ZeroDivisionError: division by zero\n"],
      "task_id": "abcde", "failure_origin_task_id": "abcde:0::amq.gen-1"}})"));
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  ASSERT_TRUE(std::holds_alternative<ayeaye::TaskFailed>(*parsed));
  const auto& failed = std::get<ayeaye::TaskFailed>(*parsed);
  EXPECT_EQ(failed.task_id, "abcde");
  EXPECT_EQ(failed.failure_origin_task_id, "abcde:0::amq.gen-1");
}

TEST(TaskMessage, BadMessagesSayWhatIsWrong) {
  EXPECT_NE(ayeaye::parse_task_message(std::string_view("not json")).error().find("must be JSON"), std::string::npos);
  EXPECT_NE(ayeaye::parse_task_message(Json{{"type", "Nope"}, {"payload", Json::object()}}).error().find("unknown task message type 'Nope'"),
            std::string::npos);
  EXPECT_NE(ayeaye::parse_task_message(Json{{"type", "TaskComplete"}, {"payload", {{"method_name", 3}}}}).error().find("'method_name' must be a string"),
            std::string::npos);
  EXPECT_NE(ayeaye::parse_task_message(Json{{"type", "TaskLogMessage"}}).error().find("needs an object 'payload'"),
            std::string::npos);
}

TEST(TaskSpec, DefaultsAsTheProtocolSays) {
  auto spec = ayeaye::parse_task_spec(Json{{"model_class", "NothingEtl"}});
  ASSERT_TRUE(spec.ok()) << spec.error();
  EXPECT_EQ(spec->method, "go");
  EXPECT_TRUE(spec->method_kwargs.is_object() && spec->method_kwargs.empty());
  EXPECT_TRUE(spec->resolver_context.empty());
}

TEST(TaskSpec, ErrorsNameTheField) {
  EXPECT_EQ(ayeaye::parse_task_spec(Json::object()).error(), "'model_class' is a mandatory field");
  EXPECT_EQ(ayeaye::parse_task_spec(Json{{"model_class", "X"}, {"method_kwargs", "a"}}).error(),
            "task field 'method_kwargs' must be a JSON object, got a string");
  EXPECT_EQ(ayeaye::parse_task_spec(Json{{"model_class", 3}}).error(),
            "task field 'model_class' must be a string, got an integer");
  EXPECT_FALSE(ayeaye::parse_task_spec(Json::array()).ok());
  EXPECT_FALSE(ayeaye::parse_task_spec(Json{{"model_class", "X"}, {"resolver_context", {{"k", {1}}}}}).ok());
}

TEST(TaskSpec, SecretsTravelButAreNotDisplayed) {
  auto spec = ayeaye::parse_task_spec(
      Json{{"model_class", "X"}, {"resolver_context", {{"pw", "s3cret"}}}, {"resolver_context_secrets", {"pw"}}});
  ASSERT_TRUE(spec.ok()) << spec.error();
  EXPECT_EQ(ayeaye::to_json(*spec)["resolver_context"]["pw"], "s3cret");
  EXPECT_EQ(ayeaye::to_display_json(*spec)["resolver_context"]["pw"], "***");
  auto again = ayeaye::parse_task_spec(ayeaye::to_json(*spec));
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->resolver_context.is_secret("pw"));
}
