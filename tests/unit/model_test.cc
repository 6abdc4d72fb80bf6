#include "ayeaye/model.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ayeaye/partitioned_model.h"
#include "ayeaye/registry.h"
#include "ayeaye/run_task.h"

namespace {

struct Line {
  ayeaye::LogLevel level;
  std::string message;
};

class RecordingObserver : public ayeaye::ModelObserver {
 public:
  void on_log(ayeaye::LogLevel level, std::string_view message) override {
    lines.push_back({level, std::string(message)});
  }
  void on_progress(double fraction, std::string_view) override { fractions.push_back(fraction); }
  bool saw(std::string_view text) const {
    for (const auto& line : lines) {
      if (line.message.find(text) != std::string::npos) return true;
    }
    return false;
  }
  std::vector<Line> lines;
  std::vector<double> fractions;
};

// Records the order in which go() calls its stages.
class StagedModel : public ayeaye::Model {
 public:
  bool pre_build_check() override {
    stages.push_back("pre");
    return pre_ok;
  }
  void build() override {
    stages.push_back("build");
    stats()["rows"] += 3;
  }
  bool post_build_check() override {
    stages.push_back("post");
    return post_ok;
  }
  std::vector<std::string> stages;
  bool pre_ok = true;
  bool post_ok = true;
};

// Sums the squares of its subtasks, and records what the hooks saw.
class TestSquares : public ayeaye::PartitionedModel {
 public:
  std::vector<ayeaye::TaskPartition> partition_slice(int partition_count) override {
    slice_count = partition_count;
    std::vector<ayeaye::TaskPartition> subtasks;
    for (int x = 1; x <= 4; ++x) subtasks.push_back({"square", {{"x", x}}});
    return subtasks;
  }
  void partition_subtask_complete(const std::string& method, const ayeaye::Json&, const ayeaye::Json& value) override {
    EXPECT_EQ(method, "square");
    total += value.get<int>();
  }
  void partition_complete() override { completed = true; }
  void partition_initialise(const ayeaye::Json& kwargs) override { offset = kwargs.value("offset", 0); }

  int square(int x) { return x * x + offset; }
  std::string greet(const std::string& name, bool shout) const { return shout ? "HELLO " + name : "hello " + name; }
  void nothing() {}

  int slice_count = 0;
  int total = 0;
  int offset = 0;
  bool completed = false;
};

class TestAlwaysFails : public ayeaye::PartitionedModel {
 public:
  std::vector<ayeaye::TaskPartition> partition_slice(int) override { return {{"boom", {{"n", 1}}}, {"boom", {{"n", 0}}}}; }
  int boom(int n) {
    if (n == 0) throw std::out_of_range("n is zero");
    return n;
  }
};

class TestWithKwargs : public ayeaye::Model {
 public:
  explicit TestWithKwargs(const ayeaye::Json& kwargs) : factor(kwargs.value("factor", 1)) {}
  void build() override {}
  int times(int x) { return x * factor; }
  int factor;
};

}  // namespace

AYEAYE_REGISTER_MODEL(TestSquares, AYEAYE_SUBTASK(square, x), AYEAYE_SUBTASK(greet, name, shout),
                      AYEAYE_SUBTASK(nothing));
AYEAYE_REGISTER_MODEL(TestAlwaysFails, AYEAYE_SUBTASK(boom, n));
AYEAYE_REGISTER_MODEL(TestWithKwargs, AYEAYE_SUBTASK(times, x));

TEST(Model, GoRunsChecksAroundBuildAndLogsStats) {
  StagedModel model;
  RecordingObserver observer;
  model.set_observer(&observer);
  EXPECT_TRUE(model.go());
  EXPECT_EQ(model.stages, (std::vector<std::string>{"pre", "build", "post"}));
  EXPECT_TRUE(observer.saw("Statistic: rows = 3"));
}

TEST(Model, FailedPreBuildCheckSkipsBuild) {
  StagedModel model;
  RecordingObserver observer;
  model.set_observer(&observer);
  model.pre_ok = false;
  EXPECT_FALSE(model.go());
  EXPECT_EQ(model.stages, std::vector<std::string>{"pre"});
  EXPECT_EQ(model.failed_check(), "pre_build_check");
  EXPECT_TRUE(observer.saw("Pre-build check failed"));
}

TEST(Model, FailedPostBuildCheckFailsTheRun) {
  StagedModel model;
  RecordingObserver observer;
  model.set_observer(&observer);
  model.post_ok = false;
  EXPECT_FALSE(model.go());
  EXPECT_EQ(model.failed_check(), "post_build_check");
}

TEST(Model, LogLinesNeverShowSecrets) {
  StagedModel model;
  ayeaye::ResolverContext context;
  context.set("token", "tok-123", true);
  model.set_context(context);
  RecordingObserver observer;
  model.set_observer(&observer);
  model.log("using tok-123 now", ayeaye::LogLevel::kWarning);
  ASSERT_EQ(observer.lines.size(), 1u);
  EXPECT_EQ(observer.lines[0].message, "using *** now");
  EXPECT_EQ(observer.lines[0].level, ayeaye::LogLevel::kWarning);
}

TEST(Model, ProgressIsRateLimitedAndHasAnEta) {
  StagedModel model;
  RecordingObserver observer;
  model.set_observer(&observer);
  model.set_progress_interval(std::chrono::hours(1));
  for (int i = 1; i < 100; ++i) model.log_progress(i / 100.0, "working");
  model.log_progress(1.0);
  ASSERT_EQ(observer.fractions.size(), 2u) << "the first call and the final 100% only";
  EXPECT_TRUE(observer.saw("1.00% "));
  EXPECT_TRUE(observer.saw("s remaining. working"));
  EXPECT_EQ(observer.lines[0].level, ayeaye::LogLevel::kProgress);
}

TEST(Model, FormatsLogLinesWithUtcTimestamps) {
  const std::string line = ayeaye::format_log_line("INFO", "hello");
  ASSERT_GE(line.size(), 20u);
  EXPECT_EQ(line[4], '-');
  EXPECT_EQ(line[10], ' ');
  EXPECT_EQ(line.substr(19), " INFO      hello");
}

TEST(PartitionPlea, ChoosesOptimalBelowCapacityElseCapacity) {
  EXPECT_EQ(ayeaye::choose_worker_count({1, 128, 16}, 4), 4);
  EXPECT_EQ(ayeaye::choose_worker_count({1, 128, 16}, 64), 16);
  EXPECT_EQ(ayeaye::choose_worker_count({1, 8, 16}, 64), 8);
  EXPECT_EQ(ayeaye::choose_worker_count({12, 12, 12}, 4), 12) << "minimum is honoured";
  EXPECT_EQ(ayeaye::choose_worker_count({1, 128, 16}, 0), 1);
}

TEST(PartitionedModel, RunsSubtasksOnFreshInstancesInProcess) {
  RecordingObserver observer;
  ayeaye::TaskSpec spec;
  spec.model_class = "TestSquares";
  std::optional<int> total;
  ayeaye::RunTaskHooks hooks;
  hooks.observer = &observer;
  hooks.inspect = [&](const ayeaye::Model& model) {
    const auto& squares = dynamic_cast<const TestSquares&>(model);
    total = squares.total;
    EXPECT_TRUE(squares.completed);
    EXPECT_EQ(squares.slice_count, 1);
    EXPECT_EQ(squares.subtask_counts().complete, 4u);
  };
  const auto result = ayeaye::run_task(spec, hooks);
  ASSERT_TRUE(std::holds_alternative<ayeaye::TaskComplete>(result));
  EXPECT_EQ(total, 1 + 4 + 9 + 16);
}

TEST(PartitionedModel, FailedSubtaskFailsTheParentNamingIt) {
  ayeaye::TaskSpec spec;
  spec.model_class = "TestAlwaysFails";
  spec.task_id = "parent";
  RecordingObserver observer;
  const auto result = ayeaye::run_task(spec, &observer);
  const auto* failed = std::get_if<ayeaye::TaskFailed>(&result);
  ASSERT_NE(failed, nullptr);
  EXPECT_EQ(failed->exception_class_name, "ayeaye::SubtaskFailed");
  EXPECT_EQ(failed->failure_origin_task_id, "local:1");
  EXPECT_EQ(failed->task_id, "parent");
  EXPECT_NE(failed->message().find("boom {\"n\":0}"), std::string::npos) << failed->message();
  EXPECT_NE(failed->message().find("std::out_of_range: n is zero"), std::string::npos);
  EXPECT_TRUE(observer.saw("running it again")) << "a failed subtask is retried once";
}

TEST(Registry, BindsKwargsToTypedParameters) {
  ayeaye::TaskSpec spec;
  spec.model_class = "TestSquares";
  spec.method = "greet";
  spec.method_kwargs = {{"name", "ann"}, {"shout", true}};
  const auto result = ayeaye::run_task(spec);
  ASSERT_TRUE(std::holds_alternative<ayeaye::TaskComplete>(result));
  EXPECT_EQ(std::get<ayeaye::TaskComplete>(result).return_value, "HELLO ann");
}

TEST(Registry, SubtaskInstancesAreInitialised) {
  ayeaye::TaskSpec spec;
  spec.model_class = "TestSquares";
  spec.method = "square";
  spec.method_kwargs = {{"x", 3}};
  spec.partition_initialise_kwargs = {{"offset", 100}};
  const auto result = ayeaye::run_task(spec);
  EXPECT_EQ(std::get<ayeaye::TaskComplete>(result).return_value, 109);
}

TEST(Registry, VoidMethodsReturnNull) {
  ayeaye::TaskSpec spec;
  spec.model_class = "TestSquares";
  spec.method = "nothing";
  EXPECT_TRUE(std::get<ayeaye::TaskComplete>(ayeaye::run_task(spec)).return_value.is_null());
}

TEST(Registry, ConstructionKwargsReachTheConstructor) {
  ayeaye::TaskSpec spec;
  spec.model_class = "TestWithKwargs";
  spec.method = "times";
  spec.method_kwargs = {{"x", 5}};
  spec.model_construction_kwargs = {{"factor", 3}};
  EXPECT_EQ(std::get<ayeaye::TaskComplete>(ayeaye::run_task(spec)).return_value, 15);
}

namespace {
std::string failure_of(const std::string& model, const std::string& method, const ayeaye::Json& kwargs,
                       const ayeaye::Json& construction = ayeaye::Json::object()) {
  ayeaye::TaskSpec spec;
  spec.model_class = model;
  spec.method = method;
  spec.method_kwargs = kwargs;
  spec.model_construction_kwargs = construction;
  const auto result = ayeaye::run_task(spec);
  const auto* failed = std::get_if<ayeaye::TaskFailed>(&result);
  return failed ? failed->exception_class_name + ": " + failed->message() : "(no failure)";
}
}  // namespace

TEST(Registry, BadKwargsAndNamesGiveClearErrors) {
  EXPECT_EQ(failure_of("TestSquares", "square", ayeaye::Json::object()),
            "ayeaye::KwargsError: TestSquares.square() is missing kwarg 'x'");
  EXPECT_EQ(failure_of("TestSquares", "square", {{"x", 1}, {"y", 2}}),
            "ayeaye::KwargsError: TestSquares.square() got an unexpected kwarg 'y'; it takes (x)");
  EXPECT_EQ(failure_of("TestSquares", "square", {{"x", "two"}}),
            "ayeaye::KwargsError: TestSquares.square(): kwarg 'x' must be an integer, got string \"two\"");
  EXPECT_EQ(failure_of("TestSquares", "greet", {{"name", "a"}, {"shout", 1}}),
            "ayeaye::KwargsError: TestSquares.greet(): kwarg 'shout' must be a boolean, got number 1");
  EXPECT_EQ(failure_of("TestSquares", "cube", ayeaye::Json::object()),
            "ayeaye::KwargsError: TestSquares has no method 'cube' that can run as a task; its methods: go, square, "
            "greet, nothing");
  EXPECT_EQ(failure_of("TestSquares", "go", ayeaye::Json::object(), {{"a", 1}}),
            "ayeaye::KwargsError: TestSquares takes no model_construction_kwargs, got {\"a\":1}");
  EXPECT_NE(failure_of("NoSuchModel", "go", ayeaye::Json::object()).find("unknown model 'NoSuchModel'; registered models: "),
            std::string::npos);
}

TEST(Registry, ListsMethodsWithTheirParameters) {
  const auto* squares = ayeaye::ModelRegistry::instance().find("TestSquares");
  ASSERT_NE(squares, nullptr);
  EXPECT_TRUE(squares->partitioned);
  ASSERT_NE(squares->find_method("greet"), nullptr);
  EXPECT_EQ(squares->find_method("greet")->parameters, (std::vector<std::string>{"name", "shout"}));
  EXPECT_TRUE(ayeaye::ModelRegistry::instance().problems().empty());
}

TEST(Registry, CountsNamesAtCompileTime) {
  static_assert(ayeaye::detail::count_names("") == 0);
  static_assert(ayeaye::detail::count_names("ch") == 1);
  static_assert(ayeaye::detail::count_names("ch, count") == 2);
  EXPECT_EQ(ayeaye::detail::split_names(" ch ,count"), (std::vector<std::string>{"ch", "count"}));
}
