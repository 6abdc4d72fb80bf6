// A finished subtask's record, packed and expanded, makes the same document.
#include "node/packed_record.h"

#include <gtest/gtest.h>

namespace {

using fossa::node::PackedRecord;
using fossa::node::TaskRecord;
using fossa::node::TaskStatus;

TaskRecord finished_subtask() {
  TaskRecord record;
  record.spec.model_class = "Fanout";
  record.spec.method = "noop";
  record.spec.method_kwargs = {{"i", 7}, {"nested", {{"list", {1, 2.5, "three", nullptr}}}}};
  record.spec.model_construction_kwargs = {{"colour", "blue"}};
  record.spec.resolver_context.set("subtasks", "50");
  record.spec.resolver_context.set("password", "hunter2", /*secret=*/true);
  record.spec.task_id = "abcde-1.7";
  record.started = TaskRecord::Clock::now();
  record.finished = record.started + std::chrono::milliseconds(145);
  record.status = TaskStatus::kComplete;
  record.result = ayeaye::TaskComplete{"noop", {{"i", 7}}, 7};
  record.parent_task_id = "abcde-1";
  record.attempts = 2;
  record.node = "node-2";
  record.run_times = fossa::amqp::SubtaskTimes{record.started + std::chrono::milliseconds(20),
                                               record.started + std::chrono::milliseconds(25),
                                               record.started + std::chrono::milliseconds(140)};
  record.add_log("INFO first");
  record.add_log("WARNING second");
  return record;
}

}  // namespace

TEST(PackedRecord, AFinishedSubtaskReadsTheSameOnceExpanded) {
  const TaskRecord record = finished_subtask();
  const auto later = *record.finished + std::chrono::seconds(5);
  EXPECT_EQ(to_json(PackedRecord(record).expand(record.spec.task_id), later).dump(), to_json(record, later).dump());
}

TEST(PackedRecord, KeepsAFailuresDetailsAndWhichContextValuesAreSecret) {
  TaskRecord record = finished_subtask();
  ayeaye::TaskFailed failed;
  failed.model_class_name = "Fanout";
  failed.exception_class_name = "std::runtime_error";
  failed.traceback = {"std::runtime_error: no", "at noop"};
  failed.task_id = "abcde-1.7";
  record.result = failed;
  record.status = TaskStatus::kFailed;
  const TaskRecord expanded = PackedRecord(record).expand(record.spec.task_id);
  EXPECT_EQ(to_json(expanded, *record.finished).dump(), to_json(record, *record.finished).dump());
  EXPECT_TRUE(expanded.spec.resolver_context.is_secret("password"));
  EXPECT_EQ(expanded.spec.resolver_context.get("password"), "hunter2");
}
