#include "jobs/job_view.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "jobs/job_page.h"

using fossa::gateway::job_logs_url;
using fossa::gateway::JobCosting;
using fossa::gateway::LogsInsightsSettings;
using fossa::gateway::make_job_view;
using fossa::gateway::parse_iso_seconds;
using fossa::gateway::render_job;
using fossa::gateway::render_jobs;
using fossa::gateway::WorkerPrice;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

const auto kNow = std::chrono::system_clock::time_point(std::chrono::seconds(static_cast<long>(*parse_iso_seconds("2026-11-30T12:00:10Z"))));

ayeaye::Json subtask(int index, const std::string& node, const std::string& status, const std::string& started, double duration,
                     int attempts = 1) {
  ayeaye::Json doc = {{"task_id", "j-1." + std::to_string(index)}, {"node", node},          {"status", status},
                      {"started", started},                         {"duration_seconds", duration}, {"attempts", attempts}};
  if (status == "failed") {
    doc["results"] = {{"type", "TaskFailed"},
                      {"payload", {{"traceback", {"in M.part(3)", "std::runtime_error: <b>bad row</b>"}}}}};
  }
  return doc;
}

ayeaye::Json running_job() {
  return {{"job_id", "j-1"},
          {"task_id", "j-1"},
          {"model_class", "M"},
          {"status", "running"},
          {"started", "2026-11-30T12:00:00.000Z"},
          {"node", "10.0.0.5:2345"},
          {"subtasks", {{"total", 4}, {"done", 2}, {"failed", 1}, {"running", 2}, {"retried", 1}}}};  // done: ended, the failed one too
}

}  // namespace

TEST(JobView, IsoTimesAreReadToTheMillisecond) {
  EXPECT_DOUBLE_EQ(*parse_iso_seconds("1970-01-01T00:01:00.250Z"), 60.25);
  EXPECT_DOUBLE_EQ(*parse_iso_seconds("1970-01-01T00:01:00Z"), 60);
  EXPECT_FALSE(parse_iso_seconds("yesterday"));
  EXPECT_FALSE(parse_iso_seconds("1970-01-01T00:01:00.250+02:00"));
}

TEST(JobView, ARunningJobHasProgressAnEtaAtThePaceSoFarAndALanePerNode) {
  const std::vector<ayeaye::Json> subtasks = {subtask(0, "node-1", "complete", "2026-11-30T12:00:01.000Z", 2),
                                              subtask(1, "node-2", "failed", "2026-11-30T12:00:02.000Z", 1, 3),
                                              subtask(2, "node-1", "running", "2026-11-30T12:00:04.000Z", 6),
                                              subtask(3, "node-3", "running", "2026-11-30T12:00:05.000Z", 5)};
  const auto view = make_job_view(running_job(), subtasks, JobCosting{}, kNow);
  EXPECT_TRUE(view.live);
  EXPECT_DOUBLE_EQ(view.elapsed, 10);
  ASSERT_TRUE(view.eta);
  EXPECT_DOUBLE_EQ(*view.eta, 10) << "2 of 4 ended in 10 s: 2 more take 10 s";
  ASSERT_EQ(view.lanes.size(), 3u);
  EXPECT_EQ(view.lanes[0].node, "node-1");
  ASSERT_EQ(view.lanes[0].subtasks.size(), 2u);
  EXPECT_DOUBLE_EQ(view.lanes[0].subtasks[1].from, 4);
  EXPECT_DOUBLE_EQ(view.lanes[0].subtasks[1].to, 10);
  EXPECT_EQ(view.lanes[1].subtasks[0].attempts, 3);
  EXPECT_EQ(view.lanes[1].subtasks[0].trace.back(), "std::runtime_error: <b>bad row</b>");
  EXPECT_DOUBLE_EQ(view.node_seconds, 10 + 2 + 1 + 6 + 5);
}

TEST(JobView, TheCostIsASlotsShareOfItsWorkerForTheNodeTime) {
  JobCosting costing;
  costing.worker = WorkerPrice{0.36, "1 vCPU, 2 GB, Fargate on-demand in us-east-1"};
  costing.slots_per_node = 2;
  auto job = running_job();
  job["status"] = "complete";
  job["duration_seconds"] = 100.0;
  const auto view = make_job_view(job, {subtask(0, "node-1", "complete", "2026-11-30T12:00:01.000Z", 200)}, costing, kNow);
  EXPECT_FALSE(view.live);
  EXPECT_FALSE(view.eta);
  ASSERT_TRUE(view.cost);
  EXPECT_NEAR(*view.cost, 300.0 / 3600 * 0.36 / 2, 1e-12);
  const auto json = fossa::gateway::to_json(view);
  EXPECT_EQ(json["estimated_cost_text"], "$0.0150");
  EXPECT_EQ(json["node_seconds_text"], "5 min 00 s");
}

TEST(JobPage, EverythingFromANodeIsEscaped) {
  auto job = running_job();
  job["model_class"] = "<script>alert(1)</script>";
  const std::vector<ayeaye::Json> subtasks = {subtask(1, "<img src=x>", "failed", "2026-11-30T12:00:02.000Z", 1)};
  const std::string html = render_job(make_job_view(job, subtasks, JobCosting{{}, "no <price>", 1}, kNow));
  EXPECT_THAT(html, Not(HasSubstr("<script>")));
  EXPECT_THAT(html, Not(HasSubstr("<img")));
  EXPECT_THAT(html, Not(HasSubstr("<b>")));
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_THAT(html, HasSubstr("&lt;b&gt;bad row&lt;/b&gt;</summary>")) << "the failure's last line, its trace a click away";
  EXPECT_THAT(html, HasSubstr("no cost estimate: no &lt;price&gt;"));
  EXPECT_THAT(html, Not(HasSubstr("null")));

  const ayeaye::Json jobs = {{"jobs", {{{"job_id", "j-1"}, {"model_class", "<script>x</script>"}, {"status", "running"}, {"node", "n"}}}}};
  const std::string list = render_jobs("c<1>", jobs);
  EXPECT_THAT(list, Not(HasSubstr("<script>")));
  EXPECT_THAT(list, HasSubstr("href=\"/c%3C1%3E/jobs/j-1\""));
  EXPECT_THAT(list, Not(HasSubstr("null")));
}

TEST(JobPage, OnAwsAJobLinksToItsLogLinesFromEveryAttemptOverItsTimeAndOtherwiseNot) {
  auto job = running_job();
  job["attempts"] = {{{"node", "10.0.0.4:2345"}, {"task_id", "j-1"}, {"started", "2026-11-30T12:00:00.000Z"}},
                     {{"node", "10.0.0.5:2345"}, {"task_id", "k-7"}, {"started", "2026-11-30T12:00:05.000Z"}}};
  auto view = make_job_view(job, {}, JobCosting{{}, "no price", 1}, kNow);
  const LogsInsightsSettings aws{"eu-west-2", "/fossa/demo/ecs"};
  view.logs_url = job_logs_url(view, job, aws);
  EXPECT_THAT(view.logs_url, HasSubstr("https://eu-west-2.console.aws.amazon.com/cloudwatch/home?region=eu-west-2#logsV2:logs-insights"));
  EXPECT_THAT(view.logs_url, HasSubstr("job*5Fid*20in*20*5B*22j-1*22*2C*20*22k-7*22*5D")) << "both attempts' ids";
  EXPECT_THAT(view.logs_url, HasSubstr("start$257E$25272026-11-30T11*3A59*3A00.000Z")) << "a minute before it started";
  EXPECT_THAT(view.logs_url, HasSubstr("end$257E$25272026-11-30T12*3A05*3A10.000Z")) << "five minutes after now, running";
  const std::string html = render_job(view);
  EXPECT_THAT(html, HasSubstr(">Log lines in CloudWatch</a>"));
  EXPECT_THAT(html, HasSubstr("href=\"https://eu-west-2.console.aws.amazon.com/"));

  view.logs_url = job_logs_url(view, job, LogsInsightsSettings{});
  EXPECT_EQ(view.logs_url, "") << "a local cluster has no log group";
  EXPECT_THAT(render_job(view), Not(HasSubstr("CloudWatch")));
}

namespace {

// A subtask document from a node that says when its subtask ran (ours, from issue 26 on).
ayeaye::Json timed_subtask(int index, const std::string& sent, double span, double queue_wait, double run) {
  ayeaye::Json doc = subtask(index, "node-1", "complete", sent, span);
  doc["sent"] = sent;
  doc["queue_wait_seconds"] = queue_wait;
  doc["run_seconds"] = run;
  return doc;
}

}  // namespace

TEST(JobView, ABarRunsFromItsRunsStartWithItsQueueWaitApart) {
  const auto view = make_job_view(running_job(), {timed_subtask(0, "2026-11-30T12:00:01.000Z", 3, 1, 2)}, JobCosting{}, kNow);
  const auto bar = fossa::gateway::to_json(view)["lanes"][0]["subtasks"][0];
  EXPECT_EQ(bar["from_seconds"], 1.0) << "sent 1 s after the job started";
  EXPECT_EQ(bar["run_from_seconds"], 2.0) << "waited 1 s, then ran";
  EXPECT_EQ(bar["to_seconds"], 4.0);
  EXPECT_EQ(bar["queue_wait_seconds"], 1.0);
  EXPECT_EQ(bar["run_seconds"], 2.0);
  const std::string html = render_job(view);
  EXPECT_THAT(html, HasSubstr("class=\"wait\"")) << "the wait is drawn apart from the run";
}

TEST(JobView, NodeTimeAndItsCostCountTheSubtasksRunsNotTheirWaits) {
  JobCosting costing;
  costing.worker = WorkerPrice{0.36, "1 vCPU, 2 GB, Fargate on-demand in us-east-1"};
  costing.slots_per_node = 2;
  auto job = running_job();
  job["status"] = "complete";
  job["duration_seconds"] = 100.0;
  // The parent's document adds up every answered attempt, also of subtasks beyond those read.
  job["subtasks"]["run_seconds"] = 150.0;
  job["subtasks"]["queue_wait_seconds"] = 50.0;
  job["subtasks"]["untimed_attempts"] = 0;
  job["subtasks"]["untimed_seconds"] = 0.0;
  const auto view = make_job_view(job, {timed_subtask(0, "2026-11-30T12:00:01.000Z", 200, 50, 150)}, costing, kNow);
  EXPECT_DOUBLE_EQ(view.node_seconds, 100 + 150);
  ASSERT_TRUE(view.cost);
  EXPECT_NEAR(*view.cost, 250.0 / 3600 * 0.36 / 2, 1e-12);
  const auto json = fossa::gateway::to_json(view);
  EXPECT_EQ(json["queue_wait_seconds"], 50.0);
  EXPECT_EQ(json["subtask_run_seconds"], 150.0);
  EXPECT_THAT(render_job(view), HasSubstr("50 s of queue wait"));
}

TEST(JobView, WithoutTheParentsTotalsNodeTimeAddsTheRunsOfTheSubtasksRead) {
  auto job = running_job();
  job["status"] = "complete";
  job["duration_seconds"] = 10.0;
  const auto view = make_job_view(job,
                                  {timed_subtask(0, "2026-11-30T12:00:01.000Z", 3, 1, 2),
                                   timed_subtask(1, "2026-11-30T12:00:01.000Z", 4, 3.5, 0.5)},
                                  JobCosting{}, kNow);
  EXPECT_DOUBLE_EQ(view.node_seconds, 10 + 2 + 0.5);
  EXPECT_EQ(fossa::gateway::to_json(view)["queue_wait_seconds"], 4.5);
}

TEST(JobView, ASubtaskWhoseNodeDidNotSayWhenItRanCountsWholeAndItsWaitIsNotKnown) {
  auto job = running_job();
  job["status"] = "complete";
  job["duration_seconds"] = 10.0;
  job["subtasks"]["run_seconds"] = 2.0;
  job["subtasks"]["queue_wait_seconds"] = 1.0;
  job["subtasks"]["untimed_attempts"] = 1;
  job["subtasks"]["untimed_seconds"] = 5.0;
  ayeaye::Json from_python = subtask(1, "python-node", "complete", "2026-11-30T12:00:02.000Z", 5);
  from_python["queue_wait_seconds"] = nullptr;  // what our node writes when the worker did not say
  from_python["run_seconds"] = nullptr;
  const auto view = make_job_view(job, {timed_subtask(0, "2026-11-30T12:00:01.000Z", 3, 1, 2), from_python}, JobCosting{}, kNow);
  EXPECT_DOUBLE_EQ(view.node_seconds, 10 + 2 + 5) << "as before issue 26: its time from sending to answer";
  const auto json = fossa::gateway::to_json(view);
  const auto bar = json["lanes"][1]["subtasks"][0];
  EXPECT_EQ(bar["task_id"], "j-1.1");
  EXPECT_TRUE(bar["queue_wait_seconds"].is_null()) << bar.dump();
  EXPECT_TRUE(bar["run_seconds"].is_null()) << bar.dump();
  EXPECT_EQ(bar["run_from_seconds"], 2.0) << "drawn whole, as a run";
  EXPECT_EQ(json["untimed_attempts"], 1);
  const std::string html = render_job(view);
  EXPECT_THAT(html, HasSubstr("not known"));
  EXPECT_THAT(html, Not(HasSubstr("null")));
}

TEST(JobView, SubtasksStoppedBeforeAnyNodeAnsweredAreNotWaitingAndAFailureWithoutANodeNamesNone) {
  auto job = running_job();
  job["status"] = "failed";
  job["duration_seconds"] = 10.0;
  const auto view = make_job_view(job,
                                  {subtask(0, "node-1", "failed", "2026-11-30T12:00:01.000Z", 1),
                                   subtask(1, "", "cancelled", "2026-11-30T12:00:01.000Z", 1),
                                   subtask(2, "", "failed", "2026-11-30T12:00:01.000Z", 1)},
                                  JobCosting{}, kNow);
  const std::string html = render_job(view);
  EXPECT_THAT(html, HasSubstr(">no node answered <"));
  EXPECT_THAT(html, Not(HasSubstr("not answered yet")));
  EXPECT_THAT(html, HasSubstr("j-1.0 on node-1: "));
  EXPECT_THAT(html, HasSubstr("<summary>j-1.2: "));
  EXPECT_THAT(html, Not(HasSubstr(" on : ")));
}

// The node counts every ended subtask done, failed and cancelled ones too: the page says so and
// its progress never runs past the total.
TEST(JobView, ProgressCountsEndedSubtasksOnceAndSaysHowManyWereCancelled) {
  auto job = running_job();
  job["status"] = "cancelled";
  job["duration_seconds"] = 10.0;
  job["subtasks"] = {{"total", 3}, {"done", 3}, {"failed", 1}, {"cancelled", 2}, {"running", 0}, {"retried", 0}};
  const std::string html = render_job(make_job_view(job, {}, JobCosting{}, kNow));
  EXPECT_THAT(html, HasSubstr("3 of 3 subtasks ended (1 failed, 2 cancelled), 0 running"));
  EXPECT_THAT(html, HasSubstr("<progress max=\"3\" value=\"3\">"));
}

TEST(JobView, ACancelledJobsTraceIsHeadedCancelledNotFailed) {
  auto job = running_job();
  job["status"] = "cancelled";
  job["duration_seconds"] = 10.0;
  job["results"] = {{"type", "TaskFailed"}, {"payload", {{"traceback", {"in M.go({})", "fossa::Cancelled: the task was cancelled"}}}}};
  const std::string html = render_job(make_job_view(job, {}, JobCosting{}, kNow));
  EXPECT_THAT(html, HasSubstr("The job was cancelled: fossa::Cancelled"));
  EXPECT_THAT(html, Not(HasSubstr("The job failed")));
}
