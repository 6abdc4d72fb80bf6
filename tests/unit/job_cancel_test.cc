// The job page's Cancel button (gateway/jobs/job_cancel.h): only while the job runs or is held
// waiting for workers, and a form that posts to the job's own cancel path, escaped.
#include "jobs/job_cancel.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace {

using fossa::gateway::cancel_button;
using fossa::gateway::JobView;
using ::testing::HasSubstr;

JobView running_job() {
  JobView view;
  view.id = "abcde-7";
  view.cluster = "arn:aws:ecs:eu-west-1:1:cluster/a b";
  view.node = "10.0.1.7:2345";
  view.status = "running";
  return view;
}

TEST(JobCancelButton, IsAFormPostingToTheJobsOwnCancelPathWhileItRuns) {
  const std::string button = cancel_button(running_job());
  EXPECT_THAT(button, HasSubstr("<form class=\"cancel\" method=\"post\" action=\"/"));
  EXPECT_THAT(button, HasSubstr("/jobs/abcde-7/cancel\""));
  EXPECT_THAT(button, ::testing::Not(HasSubstr("a b"))) << "the cluster's name is encoded in the path";
  EXPECT_THAT(button, HasSubstr("<button type=\"submit\">Cancel job</button>"));
}

TEST(JobCancelButton, IsNotShownForAJobThatHasEnded) {
  for (const char* status : {"complete", "failed", "cancelled"}) {
    JobView view = running_job();
    view.status = status;
    EXPECT_EQ(cancel_button(view), "") << status;
  }
}

TEST(JobCancelButton, IsShownForAJobHeldWaitingForWorkers) {
  JobView held = running_job();
  held.node.clear();
  held.status = "waiting for workers";
  EXPECT_THAT(cancel_button(held), HasSubstr("/jobs/abcde-7/cancel\""));
}

}  // namespace
