#include "ayeaye/subtask_ledger.h"

#include <gtest/gtest.h>

using ayeaye::SubtaskLedger;
using Verdict = ayeaye::SubtaskLedger::Verdict;

TEST(SubtaskLedger, StartsSubtasksInIndexOrderAndCountsThemRunning) {
  SubtaskLedger ledger(3, 1);
  EXPECT_EQ(ledger.start_next(), 0u);
  EXPECT_EQ(ledger.start_next(), 1u);
  EXPECT_EQ(ledger.counts().running, 2u);
  EXPECT_EQ(ledger.in_flight(), (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(ledger.start_next(), 2u);
  EXPECT_EQ(ledger.start_next(), std::nullopt);
  EXPECT_FALSE(ledger.finished());
}

TEST(SubtaskLedger, AFailedSubtaskRunsAgainFirstInLineWhileItHasAttempts) {
  SubtaskLedger ledger(2, 1);
  ASSERT_EQ(ledger.start_next(), 0u);
  EXPECT_EQ(ledger.record(0, /*failed=*/true), Verdict::kRetry);
  EXPECT_EQ(ledger.counts().retried, 1u);
  EXPECT_EQ(ledger.start_next(), 0u) << "the retry goes before subtask 1";
  EXPECT_EQ(ledger.attempts(0), 2);
  EXPECT_EQ(ledger.record(0, true), Verdict::kCounted) << "out of attempts: the failure is the answer";
  EXPECT_EQ(ledger.counts().failed, 1u);
  EXPECT_EQ(ledger.first_failure(), 0u);
}

TEST(SubtaskLedger, WithoutRetriesTheFirstFailureCounts) {
  SubtaskLedger ledger(1, 0);
  ledger.start_next();
  EXPECT_EQ(ledger.record(0, true), Verdict::kCounted);
  EXPECT_EQ(ledger.counts().retried, 0u);
  EXPECT_TRUE(ledger.finished());
}

TEST(SubtaskLedger, TheFirstFinalAnswerWinsAndALateOneIsIgnored) {
  SubtaskLedger ledger(1, 1);
  ledger.start_next();
  EXPECT_FALSE(ledger.settled(0));
  EXPECT_EQ(ledger.record(0, false), Verdict::kCounted);
  EXPECT_TRUE(ledger.settled(0));
  EXPECT_EQ(ledger.record(0, false), Verdict::kIgnored) << "a redelivered subtask answering twice";
  EXPECT_EQ(ledger.record(0, true), Verdict::kIgnored);
  EXPECT_EQ(ledger.counts().done, 1u);
  EXPECT_EQ(ledger.counts().failed, 0u);
  EXPECT_EQ(ledger.record(7, false), Verdict::kIgnored) << "an index that does not exist";
}

TEST(SubtaskLedger, AnAnswerForASubtaskNotInFlightIsIgnored) {
  SubtaskLedger ledger(2, 1);
  EXPECT_EQ(ledger.record(1, false), Verdict::kIgnored) << "never started";
  ledger.start_next();
  ASSERT_EQ(ledger.record(0, true), Verdict::kRetry);
  EXPECT_EQ(ledger.record(0, false), Verdict::kIgnored) << "waiting for its retry, not running";
}

TEST(SubtaskLedger, CancelCountsWaitingAndRunningSubtasksAndStartsNothingMore) {
  SubtaskLedger ledger(4, 1);
  ledger.start_next();
  ledger.start_next();
  ASSERT_EQ(ledger.record(0, false), Verdict::kCounted);
  ledger.cancel();
  EXPECT_EQ(ledger.start_next(), std::nullopt);
  EXPECT_EQ(ledger.counts().cancelled, 3u) << "one running, two waiting";
  EXPECT_EQ(ledger.counts().done, 4u);
  EXPECT_EQ(ledger.counts().running, 0u);
  EXPECT_TRUE(ledger.finished());
  EXPECT_EQ(ledger.record(1, false), Verdict::kIgnored) << "the stopped subtask's late answer";
  EXPECT_EQ(ledger.counts().done, 4u);
}

TEST(SubtaskLedger, AGivenBackSubtaskWaitsAgainWithoutSpendingAnAttempt) {
  SubtaskLedger ledger(2, 0);
  ledger.start_next();
  ledger.give_back(0);
  EXPECT_EQ(ledger.counts().running, 0u);
  EXPECT_EQ(ledger.start_next(), 0u);
  EXPECT_EQ(ledger.attempts(0), 1);
  EXPECT_EQ(ledger.counts().retried, 0u);
}

TEST(SubtaskLedger, TheCountsAddUpAtTheEnd) {
  SubtaskLedger ledger(5, 1);
  while (auto index = ledger.start_next()) {
    // Subtask 3 fails twice; the rest complete.
    if (ledger.record(*index, *index == 3) == Verdict::kRetry) continue;
  }
  EXPECT_TRUE(ledger.finished());
  const auto& c = ledger.counts();
  EXPECT_EQ(c.total, 5u);
  EXPECT_EQ(c.done, 5u);
  EXPECT_EQ(c.failed, 1u);
  EXPECT_EQ(c.retried, 1u);
  EXPECT_EQ(c.running, 0u);
  EXPECT_EQ(ledger.first_failure(), 3u);
}
