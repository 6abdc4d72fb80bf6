// The count of a cluster's stalled jobs (jobs/stalled_jobs.h) from a real in-memory job store: what
// the scaling loop publishes as StalledJobs.
#include "jobs/stalled_jobs.h"

#include <gtest/gtest.h>

using fossa::gateway::count_stalled_jobs;
using fossa::gateway::JobRecord;
using fossa::gateway::open_job_store;

namespace {

constexpr double t0 = 1'800'000'000;

JobRecord running_job(const std::string& id, const std::string& cluster, bool stalled) {
  JobRecord record;
  record.id = id;
  record.cluster = cluster;
  record.model_class = "Fanout";
  record.status = "running";
  record.submitted = t0;
  record.updated = t0;
  record.request = R"({"model_class":"Fanout"})";
  record.stalled = stalled;
  return record;
}

}  // namespace

TEST(StalledJobs, CountsTheClustersRunningJobsMarkedStalledOnly) {
  auto store = open_job_store("");
  ASSERT_TRUE(store) << store.error();
  ASSERT_TRUE((*store)->put(running_job("a", "fossa-prod", true)));
  ASSERT_TRUE((*store)->put(running_job("b", "fossa-prod", true)));
  ASSERT_TRUE((*store)->put(running_job("c", "fossa-prod", false)));
  ASSERT_TRUE((*store)->put(running_job("d", "fossa-other", true)));
  JobRecord ended = running_job("e", "fossa-prod", true);
  ended.status = "complete";
  ended.ended = t0 + 60;
  ASSERT_TRUE((*store)->put(ended));

  auto count = count_stalled_jobs(**store, "fossa-prod");
  ASSERT_TRUE(count) << count.error();
  EXPECT_EQ(*count, 2) << "not the running one that progresses, another cluster's, nor an ended one";
}

TEST(StalledJobs, NoJobsCountsZero) {
  auto store = open_job_store("");
  ASSERT_TRUE(store) << store.error();
  auto count = count_stalled_jobs(**store, "fossa-prod");
  ASSERT_TRUE(count) << count.error();
  EXPECT_EQ(*count, 0);
}
