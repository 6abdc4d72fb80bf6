// What node_info says of a task (node/task_record.h, to_summary_json): bounded whatever the task
// carries (issue 22: ten tasks of 1 MB context took a cluster off the gateway), and the document's
// own fields where they are small.
#include "node/task_record.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

using fossa::node::kSummaryBytes;
using fossa::node::kSummaryFieldBytes;
using fossa::node::TaskRecord;
using fossa::node::TaskStatus;
using fossa::node::to_json;
using fossa::node::to_summary_json;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

namespace {

TaskRecord finished_task() {
  TaskRecord record;
  record.spec.model_class = "NothingEtl";
  record.spec.task_id = "abcde-1";
  record.spec.method_kwargs = {{"rows", 3}};
  record.spec.resolver_context.set("input", "s3://bucket/in.csv");
  record.started = TaskRecord::Clock::now();
  record.finished = record.started + std::chrono::seconds(2);
  record.status = TaskStatus::kComplete;
  record.result = ayeaye::TaskComplete{"go", ayeaye::Json::object(), 42};
  record.add_log("INFO started");
  return record;
}

// A failed task with every field that can grow at `bytes` bytes of text.
TaskRecord failed_task_of(std::size_t bytes) {
  TaskRecord record = finished_task();
  const std::string text(bytes, 'x');
  record.status = TaskStatus::kFailed;
  record.spec.method_kwargs = {{"k", text}};
  record.spec.model_construction_kwargs = {{"k", text}};
  record.spec.partition_initialise_kwargs = {{"k", text}};
  record.spec.resolver_context = {};
  record.spec.resolver_context.set("context", text);
  record.spec.resolver_context.set(text, "secret", true);
  record.node = text;
  record.reply_to = text;
  record.parent_task_id = text;
  ayeaye::TaskFailed failed;
  failed.model_class_name = text;
  failed.method_name = text;
  failed.method_kwargs = record.spec.method_kwargs;
  failed.model_construction_kwargs = record.spec.model_construction_kwargs;
  failed.partition_initialise_kwargs = record.spec.partition_initialise_kwargs;
  failed.resolver_context = {{"context", text}};
  failed.exception_class_name = text;
  failed.traceback = {text, text, "std::runtime_error: " + text};
  failed.task_id = text;
  failed.failure_origin_task_id = text;
  record.result = failed;
  for (int i = 0; i < 50; ++i) record.add_log(text);
  return record;
}

}  // namespace

TEST(TaskSummary, ASmallTaskReadsAsItsDocumentWithoutTheLogTail) {
  const auto record = finished_task();
  const auto now = TaskRecord::Clock::now();
  auto document = to_json(record, now);
  const auto summary = to_summary_json(record, now);
  ASSERT_TRUE(document.contains("log_tail"));
  document.erase("log_tail");
  EXPECT_EQ(summary, document);
  EXPECT_FALSE(summary.contains("omitted_fields"));
}

TEST(TaskSummary, AMegabyteOfContextAndKwargsIsOmittedNamedAndTheSummaryStaysSmall) {
  const auto record = failed_task_of(1 << 20);
  const auto now = TaskRecord::Clock::now();
  const auto summary = to_summary_json(record, now);
  EXPECT_LE(summary.dump().size(), kSummaryBytes);
  EXPECT_EQ(summary["resolver_context"], ayeaye::Json::object()) << "emptied, of its own type";
  EXPECT_EQ(summary["method_kwargs"], ayeaye::Json::object());
  EXPECT_EQ(summary["node"], "");
  EXPECT_EQ(summary["task_id"], "abcde-1");
  EXPECT_EQ(summary["status"], "failed");
  EXPECT_EQ(summary["results"]["type"], "TaskFailed");
  const auto& trace = summary["results"]["payload"]["traceback"];
  ASSERT_EQ(trace.size(), 1u) << "the last line only";
  EXPECT_EQ(trace[0].get<std::string>().rfind("std::runtime_error: xxx", 0), 0u);
  EXPECT_EQ(trace[0].get<std::string>().substr(trace[0].get<std::string>().size() - 3), "…");
  const auto omitted = summary["omitted_fields"];
  for (const char* path : {"method_kwargs", "model_construction_kwargs", "partition_initialise_kwargs", "resolver_context",
                           "resolver_context_secrets", "node", "reply_to", "parent_task_id", "results.payload.resolver_context",
                           "results.payload.method_kwargs", "results.payload.exception_class_name"}) {
    EXPECT_NE(std::find(omitted.begin(), omitted.end(), path), omitted.end()) << path << " in " << omitted.dump();
  }
  // The document itself keeps everything.
  const auto document = to_json(record, now);
  EXPECT_EQ(document["resolver_context"]["context"].get<std::string>().size(), std::size_t{1} << 20);
  EXPECT_EQ(document["results"]["payload"]["traceback"].size(), 3u);
}

// The bound holds at its worst: every field just small enough to be kept.
TEST(TaskSummary, EveryFieldJustUnderItsLimitStaysWithinTheBound) {
  const auto now = TaskRecord::Clock::now();
  std::size_t largest = 0;
  for (std::size_t bytes = kSummaryFieldBytes - 40; bytes <= kSummaryFieldBytes; bytes += 2) {
    largest = std::max(largest, to_summary_json(failed_task_of(bytes), now).dump().size());
  }
  EXPECT_LE(largest, kSummaryBytes);
}

TEST(TaskSummary, AnIdOrAStringOfControlCharactersIsMeasuredAsItDumps) {
  TaskRecord record = finished_task();
  record.node = std::string(kSummaryFieldBytes / 4, '\x01');  // 6 bytes each once escaped
  const auto summary = to_summary_json(record, TaskRecord::Clock::now());
  EXPECT_EQ(summary["node"], "");
  EXPECT_THAT(summary["omitted_fields"], ElementsAre("node"));
}
