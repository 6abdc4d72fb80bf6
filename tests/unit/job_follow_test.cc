// The rule that follows a job the gateway placed (jobs/job_follow.h): which sightings of its node
// keep it running, end it, run it again, or fail it — never a model's own failure run again, and
// never more than the attempts allowed. Pure: records, sightings and times are made here.
#include "jobs/job_follow.h"

#include <gtest/gtest.h>

using fossa::gateway::begin_attempt;
using fossa::gateway::cancel_record;
using fossa::gateway::recorded_document;
using fossa::gateway::to_json;
using fossa::gateway::job_record_from_json;
using fossa::gateway::follow;
using fossa::gateway::FollowRules;
using fossa::gateway::FollowStep;
using fossa::gateway::job_summary;
using fossa::gateway::JobRecord;
using fossa::gateway::needs_placement;
using fossa::gateway::Sighting;

namespace {

constexpr double t0 = 1'800'000'000;

JobRecord placed_job() {
  JobRecord record;
  record.id = "job-1";
  record.cluster = "c";
  record.model_class = "Fanout";
  record.submitted = t0;
  record.progress_at = t0;
  begin_attempt(record, "10.0.0.1:2345", "job-1", t0);
  return record;
}

Sighting document(const std::string& status, int done = 0, const std::string& failure = "") {
  Sighting seen;
  seen.kind = Sighting::Kind::kDocument;
  seen.document = {{"task_id", "job-1"}, {"status", status}, {"subtasks", {{"total", 10}, {"done", done}, {"failed", 0}}}};
  if (!failure.empty()) {
    seen.document["results"] = {{"type", "TaskFailed"}, {"payload", {{"exception_class_name", failure}}}};
  }
  return seen;
}

Sighting of_kind(Sighting::Kind kind) {
  Sighting seen;
  seen.kind = kind;
  seen.detail = "connection refused";
  return seen;
}

}  // namespace

TEST(JobFollow, ARunningJobGoesOnAndKeepsTheNodesDocument) {
  auto record = placed_job();
  EXPECT_EQ(follow(record, document("running", 3), t0 + 5, t0 + 5, FollowRules{}), FollowStep::kGoOn);
  EXPECT_EQ(record.status, "running");
  EXPECT_EQ(record.document["subtasks"]["done"], 3);
  EXPECT_EQ(record.progress_count, 3);
  EXPECT_EQ(record.progress_at, t0 + 5);
  EXPECT_FALSE(record.finished());
}

TEST(JobFollow, AJobThatEndsOnItsNodeEndsWithItsAttempt) {
  for (const std::string status : {"complete", "failed", "cancelled"}) {
    auto record = placed_job();
    EXPECT_EQ(follow(record, document(status, 10), t0 + 9, t0 + 9, FollowRules{}), FollowStep::kEnded) << status;
    EXPECT_EQ(record.status, status);
    ASSERT_TRUE(record.finished());
    EXPECT_EQ(record.attempts.back().outcome, status);
  }
}

TEST(JobFollow, AModelsOwnFailureIsNeverRunAgain) {
  auto record = placed_job();
  EXPECT_EQ(follow(record, document("failed", 4, "ValueError"), t0 + 9, t0 + 9, FollowRules{}), FollowStep::kEnded);
  EXPECT_EQ(record.attempts.size(), 1u);
  EXPECT_FALSE(needs_placement(record));
  auto timed_out = placed_job();
  EXPECT_EQ(follow(timed_out, document("failed", 4, "fossa::TimeLimitExceeded"), t0 + 9, t0 + 9, FollowRules{}), FollowStep::kEnded);
}

TEST(JobFollow, EachLossOfInfrastructureRunsTheJobAgain) {
  const std::pair<Sighting, std::string> losses[] = {
      {document("failed", 2, "fossa::NodeShutdown"), "shut down while it ran"},
      {of_kind(Sighting::Kind::kNodeGone), "left the cluster"},
      {of_kind(Sighting::Kind::kUnknownToNode), "no longer knows it"},
  };
  for (const auto& [seen, words] : losses) {
    auto record = placed_job();
    EXPECT_EQ(follow(record, seen, t0 + 9, t0 + 9, FollowRules{}), FollowStep::kRunAgain) << words;
    EXPECT_EQ(record.status, "running");
    EXPECT_FALSE(record.finished());
    EXPECT_TRUE(needs_placement(record));
    EXPECT_NE(record.attempts.back().outcome.find(words), std::string::npos) << record.attempts.back().outcome;
    EXPECT_EQ(record.attempts.back().outcome.rfind("lost: ", 0), 0u);
  }
}

TEST(JobFollow, ASilentNodeLosesTheJobOnlyPastTheLimit) {
  FollowRules rules;
  rules.lost_after_seconds = 60;
  auto record = placed_job();
  const auto silent = of_kind(Sighting::Kind::kNoAnswer);
  EXPECT_EQ(follow(record, silent, t0 + 59, t0, rules), FollowStep::kGoOn);
  EXPECT_FALSE(needs_placement(record));
  EXPECT_EQ(follow(record, silent, t0 + 60, t0, rules), FollowStep::kRunAgain);
  EXPECT_NE(record.attempts.back().outcome.find("did not answer for 60 s (--lost-after 60 s): connection refused"), std::string::npos)
      << record.attempts.back().outcome;
}

TEST(JobFollow, AttemptsAreCountedAndTheLastLossFailsTheJob) {
  FollowRules rules;
  rules.max_attempts = 3;
  auto record = placed_job();
  const auto gone = of_kind(Sighting::Kind::kNodeGone);
  EXPECT_EQ(follow(record, gone, t0 + 10, t0 + 10, rules), FollowStep::kRunAgain);
  begin_attempt(record, "10.0.0.2:2345", "other-7", t0 + 12);
  EXPECT_EQ(record.problem, "running again: attempt 2");
  EXPECT_EQ(follow(record, gone, t0 + 20, t0 + 20, rules), FollowStep::kRunAgain);
  begin_attempt(record, "10.0.0.3:2345", "third-9", t0 + 22);
  EXPECT_EQ(follow(record, gone, t0 + 30, t0 + 30, rules), FollowStep::kGiveUp);
  EXPECT_EQ(record.status, "failed");
  EXPECT_TRUE(record.finished());
  EXPECT_EQ(record.attempts.size(), 3u);
  EXPECT_NE(record.problem.find("each of its 3 attempts"), std::string::npos) << record.problem;
  EXPECT_NE(record.problem.find("10.0.0.3:2345 left the cluster"), std::string::npos) << record.problem;
}

TEST(JobFollow, OneAttemptAllowedMeansNoRunAgain) {
  FollowRules rules;
  rules.max_attempts = 1;
  auto record = placed_job();
  EXPECT_EQ(follow(record, of_kind(Sighting::Kind::kNodeGone), t0 + 10, t0 + 10, rules), FollowStep::kGiveUp);
  EXPECT_NE(record.problem.find("its only attempt"), std::string::npos) << record.problem;
}

TEST(JobFollow, ASecondAttemptThatCompletesLeavesBothInTheRecord) {
  auto record = placed_job();
  follow(record, of_kind(Sighting::Kind::kNodeGone), t0 + 10, t0 + 10, FollowRules{});
  begin_attempt(record, "10.0.0.2:2345", "other-7", t0 + 12);
  EXPECT_EQ(record.document, nullptr);
  EXPECT_EQ(record.progress_count, 0);
  EXPECT_EQ(follow(record, document("complete", 10), t0 + 40, t0 + 40, FollowRules{}), FollowStep::kEnded);
  ASSERT_EQ(record.attempts.size(), 2u);
  EXPECT_EQ(record.attempts[0].outcome.rfind("lost: ", 0), 0u);
  EXPECT_EQ(record.attempts[1].outcome, "complete");
  EXPECT_EQ(record.status, "complete");
  EXPECT_EQ(job_summary(record)["attempts"], 2);
  EXPECT_EQ(job_summary(record)["node"], "10.0.0.2:2345");
}

TEST(JobFollow, NoSubtaskEndedForTheStallLimitIsStalledUntilOneEnds) {
  FollowRules rules;
  rules.stall_seconds = 600;
  auto record = placed_job();
  follow(record, document("running", 2), t0 + 10, t0 + 10, rules);
  follow(record, document("running", 2), t0 + 609, t0 + 609, rules);
  EXPECT_FALSE(record.stalled);
  follow(record, document("running", 2), t0 + 610, t0 + 610, rules);
  EXPECT_TRUE(record.stalled);
  EXPECT_EQ(job_summary(record)["status"], "stalled");
  follow(record, document("running", 3), t0 + 700, t0 + 700, rules);
  EXPECT_FALSE(record.stalled);
  EXPECT_EQ(job_summary(record)["status"], "running");
}

TEST(JobFollow, ASilentNodeStallsTheJobBeforeItIsLost) {
  FollowRules rules;
  rules.stall_seconds = 30;
  rules.lost_after_seconds = 600;
  auto record = placed_job();
  EXPECT_EQ(follow(record, of_kind(Sighting::Kind::kNoAnswer), t0 + 31, t0, rules), FollowStep::kGoOn);
  EXPECT_TRUE(record.stalled);
}

TEST(JobFollow, AJobCancelledWhileItsNodeIsSilentEndsCancelledAndIsNeverPlacedAgain) {
  auto record = placed_job();
  follow(record, of_kind(Sighting::Kind::kNoAnswer), t0 + 5, t0, FollowRules{});
  cancel_record(record, "fossa from 127.0.0.1", "its node did not answer", t0 + 6);
  EXPECT_TRUE(record.finished());
  EXPECT_FALSE(needs_placement(record)) << "not run again";
  EXPECT_EQ(record.status, "cancelled");
  EXPECT_EQ(record.attempts.back().outcome, "cancelled");
  EXPECT_EQ(record.attempts.back().ended, t0 + 6);
  const auto summary = job_summary(record);
  EXPECT_EQ(summary["status"], "cancelled");
  EXPECT_EQ(summary["cancelled_by"], "fossa from 127.0.0.1");
  const auto doc = recorded_document(record);
  EXPECT_EQ(doc["status"], "cancelled");
  EXPECT_EQ(doc["cancelled_by"], "fossa from 127.0.0.1");
  EXPECT_EQ(doc["cancelled_at"], fossa::gateway::iso_seconds(t0 + 6));
  const auto again = job_record_from_json(to_json(record));
  ASSERT_TRUE(again) << again.error();
  EXPECT_EQ(again->cancelled_by, "fossa from 127.0.0.1");
  EXPECT_EQ(again->cancelled_at, t0 + 6) << "who and when are kept in the store";
}

TEST(JobFollow, AJobCancelledWhileWaitingToRunAgainKeepsItsLostAttemptAsItWas) {
  auto record = placed_job();
  ASSERT_EQ(follow(record, of_kind(Sighting::Kind::kNodeGone), t0 + 5, t0 + 5, FollowRules{}), FollowStep::kRunAgain);
  ASSERT_TRUE(needs_placement(record));
  cancel_record(record, "fossa from 10.0.0.9", "cancelled while waiting to run again", t0 + 6);
  EXPECT_FALSE(needs_placement(record));
  EXPECT_EQ(record.status, "cancelled");
  EXPECT_EQ(record.attempts.back().outcome.rfind("lost: ", 0), 0u) << record.attempts.back().outcome;
}

TEST(JobFollow, AHeldJobCancelledHasNoAttemptAndEndsCancelled) {
  JobRecord record;
  record.id = "held-abc-1";
  record.status = "waiting for workers";
  record.submitted = t0;
  cancel_record(record, "fossa from 127.0.0.1", "cancelled before it reached a worker node", t0 + 1);
  EXPECT_TRUE(record.attempts.empty());
  EXPECT_EQ(job_summary(record)["status"], "cancelled");
  EXPECT_EQ(job_summary(record)["finished"], fossa::gateway::iso_seconds(t0 + 1));
}
