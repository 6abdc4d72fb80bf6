// What `fossa submit --wait` says of a parent's subtask time (issue 26).
#include "cli/subtask_times_line.h"

#include <gtest/gtest.h>

using fossa::cli::subtask_times_line;

TEST(SubtaskTimesLine, SaysHowLongSubtasksRanApartFromHowLongTheyWaited) {
  const ayeaye::Json counts = {{"total", 12},           {"done", 12},          {"run_seconds", 2.41},
                               {"queue_wait_seconds", 7.2}, {"untimed_attempts", 0}, {"untimed_seconds", 0.0}};
  EXPECT_EQ(subtask_times_line(counts), "subtasks ran for 2.41 s in all and waited 7.20 s in the queue");
}

TEST(SubtaskTimesLine, AnswersWithoutTimesAreCountedApartAsNotKnown) {
  const ayeaye::Json counts = {{"run_seconds", 0.0}, {"queue_wait_seconds", 0.0}, {"untimed_attempts", 3}, {"untimed_seconds", 125.0}};
  EXPECT_EQ(subtask_times_line(counts),
            "subtasks ran for 0.00 s in all and waited 0.00 s in the queue; 3 answers from nodes that do not say when they ran: "
            "2 min 05 s from sending to answer, queue wait and run not known");
}

TEST(SubtaskTimesLine, NothingIsSaidWithoutTheTotals) {
  EXPECT_FALSE(subtask_times_line({{"total", 3}, {"done", 3}})) << "a node from before issue 26";
  EXPECT_FALSE(subtask_times_line({{"run_seconds", "2"}, {"queue_wait_seconds", 1}})) << "not a number";
  EXPECT_FALSE(subtask_times_line(ayeaye::Json()));
}
