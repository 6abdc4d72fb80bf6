// `fossa run` as a user runs it: a real process, its output and its exit code.
#include <gtest/gtest.h>

#include "support/command.h"

using fossa::testing::fossa_bin;
using fossa::testing::run_command;

TEST(FossaRun, PartitionedExampleEtlPrintsSixteenResultsFromParallelWorkers) {
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

TEST(FossaRun, OneWorkerRunsSubtasksInTheParentProcess) {
  auto r = run_command(fossa_bin(), {"run", "PartitionedExampleEtl", "--workers", "1", "-c", "complexity=2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("16 subtasks, 0 failed, 0 retried, 1 worker,"), std::string::npos) << r.out;
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

TEST(FossaRun, StaggeredEtlRecordsEachSubtaskOnce) {
  fossa::testing::TempDir out;
  auto r = run_command(fossa_bin(), {"run", "StaggeredEtl", "-c", "output_datasets=" + out.path(), "-c",
                                     "requested_workers=6"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("12 subtasks, 0 failed, 0 retried, 6 workers"), std::string::npos) << r.out;
  auto lines = run_command("/usr/bin/wc", {"-l", out.path() + "/staggered_results.csv"});
  EXPECT_EQ(lines.out.substr(0, lines.out.find(' ')), "13") << "a header and 12 rows";

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
