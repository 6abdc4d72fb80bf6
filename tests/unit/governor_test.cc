// The Governor's bookkeeping on its own: slots, subtask records, and what a finished parent keeps.
#include "node/governor.h"

#include <gtest/gtest.h>

namespace {

using fossa::node::Admission;
using fossa::node::Governor;
using fossa::node::TaskRecord;

ayeaye::TaskSpec spec(const std::string& model) {
  ayeaye::TaskSpec s;
  s.model_class = model;
  return s;
}

ayeaye::TaskMessage complete() { return ayeaye::TaskComplete{}; }

ayeaye::TaskMessage failure(const std::string& id) {
  ayeaye::TaskFailed failed;
  failed.exception_class_name = "std::runtime_error";
  failed.task_id = id;
  failed.traceback = {"std::runtime_error: no"};
  return failed;
}

TEST(Governor, AdmitsExactlyItsCapacityAndFreesASlotWhenATaskEnds) {
  Governor governor(2, 10);
  TaskRecord a, b, c;
  EXPECT_EQ(governor.admit(spec("NothingEtl"), &a), Admission::kAccepted);
  EXPECT_EQ(governor.admit(spec("NothingEtl"), &b), Admission::kAccepted);
  EXPECT_EQ(governor.admit(spec("NothingEtl"), &c), Admission::kAtCapacity);
  EXPECT_FALSE(governor.slots().take()) << "no slot is free for a subtask either";
  governor.finish(a.spec.task_id, complete());
  EXPECT_EQ(governor.admit(spec("NothingEtl"), &c), Admission::kAccepted);
  EXPECT_NE(c.spec.task_id, a.spec.task_id) << "ids are never reused";
  governor.stop_admitting();
  governor.finish(b.spec.task_id, complete());
  EXPECT_EQ(governor.admit(spec("NothingEtl"), &a), Admission::kStopping);
}

TEST(Governor, AFinishedParentKeepsItsFirstSubtasksAndEveryFailedOne) {
  Governor governor(1, 10);
  TaskRecord parent;
  ASSERT_EQ(governor.admit(spec("Fanout"), &parent), Admission::kAccepted);
  const std::string& id = parent.spec.task_id;
  constexpr int kSubtasks = 1500;
  for (int i = 0; i < kSubtasks; ++i) {
    auto sub = spec("Fanout");
    sub.task_id = id + "." + std::to_string(i);
    governor.start_subtask(sub, id);
    governor.finish(sub.task_id, i == 1200 ? failure(sub.task_id) : complete());
  }
  EXPECT_TRUE(governor.find(id + ".1499")) << "all are kept while the parent runs";
  governor.finish(id, complete());
  EXPECT_TRUE(governor.find(id + ".0"));
  EXPECT_TRUE(governor.find(id + ".999"));
  EXPECT_FALSE(governor.find(id + ".1000"));
  EXPECT_FALSE(governor.find(id + ".1499"));
  ASSERT_TRUE(governor.find(id + ".1200")) << "a failure_origin_task_id must keep resolving";
  EXPECT_EQ(governor.find(id + ".1200")->status, fossa::node::TaskStatus::kFailed);
  EXPECT_EQ(governor.find(id)->subtask_ids.size(), 1001u);
}

TEST(Governor, SubtasksFromTheQueueHaveABoundedHistoryOfTheirOwn) {
  Governor governor(1, 3);
  for (int i = 0; i < 5; ++i) {
    auto sub = spec("Fanout");
    sub.task_id = "pool:" + std::to_string(i) + "::amq.gen-x";
    governor.start_queued_subtask(sub, "amq.gen-x");
    governor.finish(sub.task_id, complete());
  }
  EXPECT_FALSE(governor.find("pool:1::amq.gen-x"));
  EXPECT_TRUE(governor.find("pool:2::amq.gen-x"));
  EXPECT_EQ(governor.find("pool:4::amq.gen-x")->reply_to, "amq.gen-x");
}

}  // namespace

TEST(Governor, ReportsTheTaskProcessesAtWorkAndTheirPeak) {
  Governor governor(4, 10);
  governor.set_task_processes_running(3);
  governor.set_task_processes_running(1);
  const std::string metrics = governor.metrics_text();
  EXPECT_NE(metrics.find("\nfossa_task_processes_running 1\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("\nfossa_task_processes_running_peak 3\n"), std::string::npos) << metrics;
}

TEST(Governor, AFinishedSubtaskStaysReadableUpdatableAndStartable) {
  // Finished subtasks are kept packed (node/packed_record.h); readers see no difference.
  Governor governor(1, 10);
  TaskRecord parent;
  ASSERT_EQ(governor.admit(spec("Fanout"), &parent), Admission::kAccepted);
  auto sub = spec("Fanout");
  sub.method_kwargs = {{"i", 3}};
  sub.task_id = parent.spec.task_id + ".3";
  governor.start_subtask(sub, parent.spec.task_id);
  governor.update(sub.task_id, [](TaskRecord& r) { r.node = "node-2"; });
  governor.finish(sub.task_id, ayeaye::TaskComplete{"go", {{"i", 3}}, 3});

  auto found = governor.find(sub.task_id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->status, fossa::node::TaskStatus::kComplete);
  EXPECT_EQ(found->node, "node-2");
  EXPECT_EQ(found->spec.method_kwargs, (ayeaye::Json{{"i", 3}}));
  EXPECT_EQ(std::get<ayeaye::TaskComplete>(*found->result).return_value, 3);
  EXPECT_EQ(found->parent_task_id, parent.spec.task_id);

  EXPECT_TRUE(governor.update(sub.task_id, [](TaskRecord& r) { r.add_log("INFO late"); }));
  EXPECT_EQ(governor.find(sub.task_id)->log_tail.back(), "INFO late");

  // A long poll of its document (GET ?wait=) is told at once that it has ended, as a reader is.
  std::optional<fossa::node::TaskStatus> told;
  EXPECT_EQ(governor.on_end(sub.task_id, [&](const TaskRecord* r) { told = r ? std::optional(r->status) : std::nullopt; }), 0u);
  EXPECT_EQ(told, fossa::node::TaskStatus::kComplete) << "an ended subtask is not unknown to a long poll";

  governor.start_subtask(sub, parent.spec.task_id);
  found = governor.find(sub.task_id);
  EXPECT_EQ(found->status, fossa::node::TaskStatus::kRunning);
  EXPECT_EQ(found->attempts, 2);
}

namespace {

TEST(Governor, TellsAWatcherOfItsTaskEndOnceAndNotAfterItIsCancelled) {
  Governor governor(2, 10);
  TaskRecord a, b;
  ASSERT_EQ(governor.admit(spec("NothingEtl"), &a), Admission::kAccepted);
  ASSERT_EQ(governor.admit(spec("NothingEtl"), &b), Admission::kAccepted);
  std::vector<std::string> told;
  const auto watch = [&told](const TaskRecord* record) { told.push_back(record ? to_string(record->status) : "unknown"); };
  EXPECT_NE(governor.on_end(a.spec.task_id, watch), 0u);
  const auto cancelled = governor.on_end(b.spec.task_id, watch);
  governor.cancel_on_end(b.spec.task_id, cancelled);
  EXPECT_TRUE(told.empty()) << "nothing is told before the end";
  governor.finish(a.spec.task_id, failure(a.spec.task_id));
  governor.finish(b.spec.task_id, complete());
  EXPECT_EQ(told, std::vector<std::string>{"failed"});
  governor.finish(a.spec.task_id, complete());
  EXPECT_EQ(told.size(), 1u) << "a watcher is told once";
  // Ended or unknown: told at once, no ticket.
  EXPECT_EQ(governor.on_end(b.spec.task_id, watch), 0u);
  EXPECT_EQ(governor.on_end("no-such-task", watch), 0u);
  EXPECT_EQ(told, (std::vector<std::string>{"failed", "complete", "unknown"}));
}

}  // namespace
