// `fossa run` as a user runs it: a real process, its output and its exit code.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <utility>
#include <vector>

#include "support/command.h"

using fossa::testing::fossa_bin;
using fossa::testing::run_command;

namespace {

std::size_t count_of(const std::string& text, const std::string& part) {
  std::size_t count = 0;
  for (auto pos = text.find(part); pos != std::string::npos; pos = text.find(part, pos + 1)) ++count;
  return count;
}

// StaggeredEtl's record of a run: per subtask, when it started (in its process) and when its
// parent heard that it had finished, in epoch seconds.
std::vector<std::pair<double, double>> staggered_rows(const std::string& csv_path) {
  std::ifstream csv(csv_path);
  std::vector<std::pair<double, double>> rows;
  std::string line;
  std::getline(csv, line);  // the header
  while (std::getline(csv, line)) {
    const auto comma = line.find(',');
    if (comma == std::string::npos) throw std::runtime_error("not a row of started,finished: " + line);
    rows.emplace_back(std::stod(line.substr(0, comma)), std::stod(line.substr(comma + 1)));
  }
  return rows;
}

// The most subtasks running at one instant. A worker takes its next subtask only after the parent
// has heard the last one finish, so a pool of N never shows more than N; and N subtasks that start
// together overlap as long as each lasts longer than it takes the others to start.
int most_at_once(const std::vector<std::pair<double, double>>& rows) {
  std::vector<std::pair<double, int>> edges;  // (time, +1 start / -1 end)
  for (const auto& [started, finished] : rows) {
    edges.emplace_back(started, +1);
    edges.emplace_back(finished, -1);
  }
  std::sort(edges.begin(), edges.end());  // an end sorts before a start at the same instant
  int running = 0;
  int most = 0;
  for (const auto& [time, delta] : edges) most = std::max(most, running += delta);
  return most;
}

}  // namespace

// How many subtasks really run at once is proven with StaggeredEtl below; here, the results.
TEST(FossaRun, PartitionedExampleEtlPrintsSixteenResults) {
  auto r = run_command(fossa_bin(), {"run", "PartitionedExampleEtl", "--workers", "4"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  int results = 0;
  for (auto pos = r.err.find("Subtask results are:"); pos != std::string::npos;
       pos = r.err.find("Subtask results are:", pos + 1)) {
    ++results;
  }
  EXPECT_EQ(results, 16);
  EXPECT_NE(r.err.find(R"({"ch":"a","count":4}, ["a",6060])"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("PartitionedExampleEtl complete: 16 subtasks, 0 failed, 0 retried, 4 workers"),
            std::string::npos)
      << r.out;
}

TEST(FossaRun, ComplexityComesFromTheContext) {
  auto r = run_command(fossa_bin(), {"run", "PartitionedExampleEtl", "--context", "complexity=2", "-w", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find(R"({"ch":"a","count":2})"), std::string::npos) << r.err;
}

TEST(FossaRun, PartialFailureExitsNonZeroNamingTheFailedSubtask) {
  auto r = run_command(fossa_bin(), {"run", "PartialFailure"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("PartialFailure failed"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("do_something {\"subtask_id\":0}"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("division by zero"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("failed subtask: run:0"), std::string::npos) << r.out;
}

TEST(FossaRun, OneWorkerRunsSubtasksOneAfterAnother) {
  fossa::testing::TempDir out;
  // Serial is exact whatever the subtasks' length: short ones keep the test quick.
  auto r = run_command(fossa_bin(), {"run", "StaggeredEtl", "--workers", "1", "-c", "requested_workers=1", "-c",
                                     "subtask_seconds=0.05", "-c", "output_datasets=" + out.path()});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("12 subtasks, 0 failed, 0 retried, 1 worker,"), std::string::npos) << r.out;
  const auto rows = staggered_rows(out.path() + "/staggered_results.csv");
  ASSERT_EQ(rows.size(), 12u);
  EXPECT_EQ(most_at_once(rows), 1) << "subtasks of a one-worker run overlapped";
}

TEST(FossaRun, SubtaskLogAndOutputLinesReachTheParentTaggedWithTheirSubtask) {
  auto r = run_command(fossa_bin(), {"run", "TalkativeFanout", "-w", "2", "-c", "subtasks=3", "-c", "log_lines=2", "-c",
                                     "stdout_lines=2"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  for (int i = 0; i < 3; ++i) {
    for (int n = 1; n <= 2; ++n) {
      for (const std::string kind : {"log", "stdout"}) {
        const std::string line = "[subtask " + std::to_string(i) + "] subtask " + std::to_string(i) + " " + kind +
                                 " line " + std::to_string(n);
        EXPECT_EQ(count_of(r.err, line), 1u) << line << " in:\n" << r.err;
      }
    }
  }
  // And no line under another subtask's tag.
  const std::regex tagged(R"(\[subtask (\d+)\] subtask (\d+) )");
  for (auto it = std::sregex_iterator(r.err.begin(), r.err.end(), tagged); it != std::sregex_iterator(); ++it) {
    EXPECT_EQ((*it)[1], (*it)[2]) << it->str();
  }
}

TEST(FossaRun, SubtaskLogLinesReachTheParentTagged) {
  auto r = run_command(fossa_bin(), {"run", "CrashingSubtasks", "-c", "crash=segfault", "--retries", "0", "-w", "2"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("[subtask 1] fatal signal SIGSEGV"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("killed by signal SIGSEGV"), std::string::npos) << r.out;
}

TEST(FossaRun, RunsOneMethodWithKwargs) {
  auto r = run_command(fossa_bin(), {"run", "PartitionedExampleEtl", "--method", "crypto_challenge", "--kwargs",
                                     R"({"ch": "a", "count": 3})"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(R"(return value: ["a",27])"), std::string::npos) << r.out;
}

TEST(FossaRun, BadInputIsRefusedClearly) {
  auto unknown = run_command(fossa_bin(), {"run", "NoSuchEtl"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("unknown model 'NoSuchEtl'"), std::string::npos) << unknown.err;

  auto bad_json = run_command(fossa_bin(), {"run", "Fanout", "--method", "noop", "--kwargs", "{i: 1"});
  EXPECT_EQ(bad_json.exit_code, 2);
  EXPECT_NE(bad_json.err.find("--kwargs is not valid JSON"), std::string::npos) << bad_json.err;

  auto bad_context = run_command(fossa_bin(), {"run", "Fanout", "--context", "novalue"});
  EXPECT_EQ(bad_context.exit_code, 2);
  EXPECT_NE(bad_context.err.find("--context takes key=value, got 'novalue'"), std::string::npos) << bad_context.err;

  auto bad_kwarg = run_command(fossa_bin(), {"run", "Fanout", "--method", "noop", "--kwargs", R"({"i": "x"})"});
  EXPECT_EQ(bad_kwarg.exit_code, 1);
  EXPECT_NE(bad_kwarg.out.find("kwarg 'i' must be an integer, got string \"x\""), std::string::npos) << bad_kwarg.out;

  auto bad_workers = run_command(fossa_bin(), {"run", "Fanout", "--workers", "0"});
  EXPECT_EQ(bad_workers.exit_code, 2);
}

TEST(FossaRun, SecondTimeLuckyCompletesThroughARetry) {
  fossa::testing::TempDir out;
  auto r = run_command(fossa_bin(), {"run", "SecondTimeLucky", "-c", "output_datasets=" + out.path(), "-w", "3"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("3 subtasks, 0 failed, 3 retried"), std::string::npos) << r.out;

  auto without_retries = run_command(fossa_bin(), {"run", "SecondTimeLucky", "-c", "output_datasets=" + out.path() + "/fresh",
                                                   "--retries", "0"});
  EXPECT_EQ(without_retries.exit_code, 1) << "each subtask fails the first time";
  EXPECT_NE(without_retries.out.find("Fake error"), std::string::npos) << without_retries.out;
}

TEST(FossaRun, SixWorkersRunSixSubtasksAtOnceAndEachSubtaskOnce) {
  fossa::testing::TempDir out;
  // Six subtasks start together; each lasts a second, which they need to overlap only by far more
  // than it takes six processes to start on a loaded machine. Two rounds of twelve: two seconds.
  auto r = run_command(fossa_bin(), {"run", "StaggeredEtl", "-c", "output_datasets=" + out.path(), "-c",
                                     "requested_workers=6", "-c", "subtask_seconds=1"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("12 subtasks, 0 failed, 0 retried, 6 workers"), std::string::npos) << r.out;
  const auto rows = staggered_rows(out.path() + "/staggered_results.csv");
  EXPECT_EQ(rows.size(), 12u) << "a row per subtask";
  EXPECT_EQ(most_at_once(rows), 6) << "subtasks running at once, with 6 workers";

  auto missing = run_command(fossa_bin(), {"run", "StaggeredEtl", "-c", "output_datasets=" + out.path()});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.out.find("requested_workers"), std::string::npos) << missing.out;
}

TEST(FossaRun, PlainModelsRun) {
  for (const std::string model : {"NothingEtl", "HalfSecondEtl"}) {
    auto r = run_command(fossa_bin(), {"run", model});
    EXPECT_EQ(r.exit_code, 0) << model << r.err;
    EXPECT_NE(r.out.find(model + " complete"), std::string::npos) << r.out;
  }
  auto crash = run_command(fossa_bin(), {"run", "SegfaultEtl"});
  EXPECT_NE(crash.exit_code, 0) << "the model ran in fossa run's own process and crashed it";
}
