// The local pool against real worker processes: build/bin/fossa-fixtures (FOSSA_BIN) with the fixture models.
#include "local/local_process_pool.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>

namespace {

std::string fossa_bin() {
  const char* bin = std::getenv("FOSSA_BIN");
  return bin != nullptr ? bin : "build/bin/fossa-fixtures";
}

class CollectingListener : public ayeaye::SubtaskListener {
 public:
  void on_subtask_log(std::size_t index, const ayeaye::TaskLogMessage& message) override {
    logs[index].push_back(message.msg);
  }
  void on_subtask_result(std::size_t index, const ayeaye::TaskMessage& result) override {
    EXPECT_EQ(results.count(index), 0u) << "one final result per subtask";
    results.emplace(index, result);
  }
  std::map<std::size_t, std::vector<std::string>> logs;
  std::map<std::size_t, ayeaye::TaskMessage> results;
};

std::vector<ayeaye::TaskPartition> crashing_subtasks(const std::string& how) {
  std::vector<ayeaye::TaskPartition> subtasks;
  for (int i = 0; i < 4; ++i) {
    ayeaye::TaskPartition subtask{"maybe_crash", {{"i", i}, {"crash", i == 1 ? how : "no"}}};
    subtask.model_class = "CrashingSubtasks";
    subtasks.push_back(subtask);
  }
  return subtasks;
}

const ayeaye::TaskFailed& failure_of(const CollectingListener& listener, std::size_t index) {
  return std::get<ayeaye::TaskFailed>(listener.results.at(index));
}

}  // namespace

TEST(LocalProcessPool, RunsEverySubtaskOnceAndReturnsTheirValues) {
  fossa::LocalProcessPool pool({3, 1, fossa_bin(), "t"});
  std::vector<ayeaye::TaskPartition> subtasks;
  for (int i = 0; i < 20; ++i) {
    ayeaye::TaskPartition subtask{"noop", {{"i", i}}};
    subtask.model_class = "Fanout";
    subtasks.push_back(subtask);
  }
  CollectingListener listener;
  pool.run(subtasks, 3, {}, listener);
  ASSERT_EQ(listener.results.size(), 20u);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(std::get<ayeaye::TaskComplete>(listener.results.at(static_cast<std::size_t>(i))).return_value, i);
  }
}

TEST(LocalProcessPool, SegfaultBecomesTaskFailedNamingTheSignal) {
  fossa::LocalProcessPool pool({2, 0, fossa_bin(), "t"});
  CollectingListener listener;
  pool.run(crashing_subtasks("segfault"), 2, {}, listener);
  ASSERT_EQ(listener.results.size(), 4u) << "the other subtasks still ran";
  const auto& failed = failure_of(listener, 1);
  EXPECT_EQ(failed.exception_class_name, "fossa::ProcessKilled");
  EXPECT_NE(failed.message().find("SIGSEGV"), std::string::npos) << failed.message();
  EXPECT_EQ(failed.task_id, "t:1");
  bool has_trace = false;
  for (const auto& line : failed.traceback) has_trace = has_trace || line.find("fatal signal SIGSEGV") != std::string::npos;
  EXPECT_TRUE(has_trace) << "the worker's crash report is in the trace";
  EXPECT_TRUE(std::holds_alternative<ayeaye::TaskComplete>(listener.results.at(3)));
}

TEST(LocalProcessPool, AbortAndExitAreFailuresToo) {
  for (const std::string how : {"abort", "exit"}) {
    fossa::LocalProcessPool pool({2, 0, fossa_bin(), "t"});
    CollectingListener listener;
    pool.run(crashing_subtasks(how), 2, {}, listener);
    ASSERT_EQ(listener.results.size(), 4u);
    const auto& failed = failure_of(listener, 1);
    if (how == "abort") {
      EXPECT_NE(failed.message().find("SIGABRT"), std::string::npos) << failed.message();
    } else {
      EXPECT_EQ(failed.exception_class_name, "fossa::ProcessExited");
      EXPECT_NE(failed.message().find("exit code 3"), std::string::npos) << failed.message();
    }
  }
}

TEST(LocalProcessPool, ExceptionKeepsItsTypeAndMessage) {
  fossa::LocalProcessPool pool({2, 0, fossa_bin(), "t"});
  CollectingListener listener;
  pool.run(crashing_subtasks("throw"), 2, {}, listener);
  const auto& failed = failure_of(listener, 1);
  EXPECT_EQ(failed.exception_class_name, "std::runtime_error");
  EXPECT_EQ(failed.message(), "subtask 1 threw");
}

TEST(LocalProcessPool, RetriesAFailedSubtaskBeforeReportingIt) {
  fossa::LocalProcessPool pool({2, 2, fossa_bin(), "t"});
  fossa::SubtaskProgress last;
  pool.set_progress_callback([&](const fossa::SubtaskProgress& p) { last = p; });
  CollectingListener listener;
  pool.run(crashing_subtasks("segfault"), 2, {}, listener);
  EXPECT_EQ(last.retried, 2u) << "two retries of the one crashing subtask";
  EXPECT_EQ(last.done, 4u);
  EXPECT_EQ(last.failed, 1u);
  EXPECT_EQ(last.running, 0u);
}

TEST(LocalProcessPool, EachSubtasksLogAndOutputLinesReachTheListenerUnderItsIndex) {
  fossa::LocalProcessPool pool({2, 0, fossa_bin(), "t"});
  std::vector<ayeaye::TaskPartition> subtasks;
  for (int i = 0; i < 3; ++i) {
    ayeaye::TaskPartition subtask{"talk", {{"i", i}, {"log_lines", 2}, {"stdout_lines", 2}, {"gate", ""}, {"done_gate", ""}}};
    subtask.model_class = "TalkativeFanout";
    subtasks.push_back(subtask);
  }
  CollectingListener listener;
  pool.run(subtasks, 2, {}, listener);
  ASSERT_EQ(listener.results.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    const std::string subtask = "subtask " + std::to_string(i);
    // Logged lines and printed lines come through different pipes: their order between them is not kept.
    EXPECT_THAT(listener.logs[i], ::testing::UnorderedElementsAre(subtask + " log line 1", subtask + " log line 2",
                                                                  subtask + " stdout line 1", subtask + " stdout line 2"))
        << "index " << i;
  }
}
