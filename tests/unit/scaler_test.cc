// The gateway's scaling loop, one tick at a time, with a fake worker service, queue and CloudWatch
// and given times; the settings its tags give; the ECS requests and answers it reads.
#include "scaling/scaler.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <deque>

#include "scaling/ecs_worker_starter.h"
#include "scaling/scaler_io.h"
#include "scaling/scaler_loop.h"
#include "scaling/worker_service.h"

namespace {

using fossa::gateway::MetricPublisher;
using fossa::gateway::ScalerSettings;
using fossa::gateway::ScalingLoop;
using fossa::gateway::Tags;
using fossa::gateway::WorkerService;
using fossa::gateway::WorkerServiceState;
using fossa::gateway::WorkReader;
using fossa::gateway::WorkReading;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

Tags stack_tags() {
  return {{"fossa:min-workers", "0"},
          {"fossa:max-workers", "4"},
          {"fossa:slots-per-worker", "1"},
          {"fossa:idle-minutes", "15"},
          {"fossa:metric-namespace", "Fossa/test"},
          {"fossa:metric-name", "BacklogPerWorker"},
          {"fossa:metric-dimension:ClusterName", "fossa-test"},
          {"fossa:metric-dimension:ServiceName", "fossa-worker"},
          {"fossa:broker-secret", "arn:aws:secretsmanager:eu-west-2:123456789012:secret:fossa-test-broker-x"}};
}

// ECS as far as the loop sees it: counts, tags, and what was set (which, as in ECS, becomes the
// desired count at once; running follows only when the test says).
class FakeService : public WorkerService {
 public:
  WorkerServiceState state{0, 0, stack_tags()};
  std::optional<std::string> describe_fails;
  std::optional<std::string> set_fails;
  std::vector<int> set;

  ayeaye::Result<WorkerServiceState> describe() override {
    if (describe_fails) return ayeaye::Result<WorkerServiceState>::fail(*describe_fails);
    return state;
  }
  std::optional<std::string> set_desired(int desired) override {
    if (set_fails) return set_fails;
    set.push_back(desired);
    state.desired = desired;
    return std::nullopt;
  }
  const std::string& cluster() const override { return cluster_; }

 private:
  std::string cluster_ = "fossa-test";
};

class FakeReader : public WorkReader {
 public:
  WorkReading reading;
  std::optional<std::string> fails;
  ayeaye::Result<WorkReading> read(const ScalerSettings&) override {
    if (fails) return ayeaye::Result<WorkReading>::fail(*fails);
    return reading;
  }
};

// The backlog's values in `published`, the stalled jobs' in `stalled`.
class FakeCloudWatch : public MetricPublisher {
 public:
  std::vector<double> published;
  std::vector<double> stalled;
  std::optional<std::string> fails;
  std::optional<std::string> publish(const ScalerSettings& settings, const std::string& metric_name, double value) override {
    EXPECT_EQ(settings.metric_namespace, "Fossa/test");
    EXPECT_THAT(settings.metric_dimensions, ElementsAre(std::pair<std::string, std::string>("ClusterName", "fossa-test"),
                                                        std::pair<std::string, std::string>("ServiceName", "fossa-worker")));
    if (fails) return fails;
    if (metric_name == settings.metric_name) {
      published.push_back(value);
    } else {
      EXPECT_EQ(metric_name, "StalledJobs");
      stalled.push_back(value);
    }
    return std::nullopt;
  }
};

// The job records' count of stalled jobs, per cluster, as the gateway's store would give it.
struct FakeStalledJobs {
  std::int64_t count = 0;
  std::optional<std::string> fails;
  std::vector<std::string> asked;  // the clusters asked about
  ayeaye::Result<std::int64_t> operator()(const std::string& cluster) {
    asked.push_back(cluster);
    if (fails) return ayeaye::Result<std::int64_t>::fail(*fails);
    return count;
  }
};

struct Loop {
  FakeService service;
  FakeReader reader;
  FakeCloudWatch cloudwatch;
  FakeStalledJobs stalled_jobs;
  std::vector<std::string> log;
  ScalingLoop loop{service, reader, cloudwatch, [this](const std::string& cluster) { return stalled_jobs(cluster); },
                   [this](const std::string& line) { log.push_back(line); }};
  ScalingLoop::Clock::time_point start{};

  void tick_at(std::chrono::minutes minute) { loop.tick(start + minute); }
  // The log lines that contain `text`.
  int lines_with(const std::string& text) const {
    return static_cast<int>(std::count_if(log.begin(), log.end(), [&](const auto& l) { return l.find(text) != std::string::npos; }));
  }
};

}  // namespace

TEST(ScalingLoop, PublishesTheBacklogPerWorkerEveryMinute) {
  Loop l;
  l.service.state = {2, 2, stack_tags()};
  l.reader.reading = {3, 2};
  for (int minute = 0; minute < 3; ++minute) l.tick_at(std::chrono::minutes(minute));
  EXPECT_THAT(l.cloudwatch.published, ElementsAre(2.5, 2.5, 2.5));
  EXPECT_TRUE(l.service.set.empty()) << "with workers running, target tracking scales out, not the gateway";
  EXPECT_EQ(l.lines_with("published BacklogPerWorker 2.5 to Fossa/test"), 1) << "an unchanged minute logs nothing";
}

TEST(ScalingLoop, PublishesTheClustersStalledJobsEveryMinuteZeroIncluded) {
  Loop l;
  l.service.state = {1, 1, stack_tags()};
  l.reader.reading = {0, 1};
  l.tick_at(0min);
  l.stalled_jobs.count = 2;
  l.tick_at(1min);
  l.tick_at(2min);
  l.stalled_jobs.count = 0;
  l.tick_at(3min);
  EXPECT_THAT(l.cloudwatch.stalled, ElementsAre(0.0, 2.0, 2.0, 0.0)) << "an alarm needs a value each period, 0 too";
  EXPECT_THAT(l.stalled_jobs.asked, ElementsAre("fossa-test", "fossa-test", "fossa-test", "fossa-test"));
  EXPECT_EQ(l.lines_with("published StalledJobs 2 to Fossa/test"), 1) << "an unchanged minute logs nothing";
  EXPECT_EQ(l.lines_with("published StalledJobs 0 to Fossa/test"), 2);
}

TEST(ScalingLoop, TheStalledJobsArePublishedWhenTheWorkCannotBeRead) {
  Loop l;
  l.stalled_jobs.count = 1;
  l.reader.fails = "cannot count fossa_task_queue at amqp://fossa:***@rabbitmq:5672/: connection refused";
  l.tick_at(0min);
  EXPECT_THAT(l.cloudwatch.stalled, ElementsAre(1.0)) << "a broker gone is when jobs stall: the alarm must still hear";
  EXPECT_TRUE(l.cloudwatch.published.empty());
  EXPECT_EQ(l.lines_with("connection refused"), 1);
}

TEST(ScalingLoop, UnreadableJobRecordsAreLoggedAndTheBacklogStillPublished) {
  Loop l;
  l.service.state = {1, 1, stack_tags()};
  l.reader.reading = {1, 1};
  l.stalled_jobs.fails = "cannot read the job records: disk I/O error";
  l.tick_at(0min);
  l.tick_at(1min);
  EXPECT_TRUE(l.cloudwatch.stalled.empty());
  EXPECT_THAT(l.cloudwatch.published, ElementsAre(2.0, 2.0));
  EXPECT_EQ(l.lines_with("cannot count the stalled jobs: cannot read the job records: disk I/O error"), 1);
}

TEST(ScalingLoop, WorkWithNoWorkerRaisesTheCountFromZeroOnce) {
  Loop l;
  l.reader.reading = {3, 0};
  l.tick_at(0min);
  EXPECT_THAT(l.service.set, ElementsAre(3));
  EXPECT_EQ(l.lines_with("set the desired count of workers from 0 to 3"), 1);
  // The next minute the workers are still starting (none running): the count is already asked for.
  l.tick_at(1min);
  EXPECT_THAT(l.service.set, ElementsAre(3));
  EXPECT_THAT(l.cloudwatch.published, ElementsAre(3.0, 3.0));
}

TEST(ScalingLoop, NeverLowersACountApplicationAutoScalingRaisedWhileWorkersStart) {
  Loop l;
  l.service.state = {4, 0, stack_tags()};
  l.reader.reading = {2, 0};
  l.tick_at(0min);
  EXPECT_TRUE(l.service.set.empty());
}

TEST(ScalingLoop, GoesBackToMinWorkersAfterIdleMinutesAndNotBefore) {
  Loop l;
  l.service.state = {2, 2, stack_tags()};
  l.reader.reading = {0, 1};
  l.tick_at(0min);  // a task still runs: not idle
  l.reader.reading = {0, 0};
  for (int minute = 1; minute <= 15; ++minute) l.tick_at(std::chrono::minutes(minute));
  EXPECT_TRUE(l.service.set.empty()) << "idle for 14 min of 15: the workers stay";
  l.tick_at(16min);
  EXPECT_THAT(l.service.set, ElementsAre(0));
  EXPECT_EQ(l.lines_with("nothing waiting or running for 15 min"), 1);
  l.tick_at(17min);  // the workers drain (still running): asked once
  EXPECT_THAT(l.service.set, ElementsAre(0));
}

TEST(ScalingLoop, TheGatewaysIdleSecondsGoOverTheTag) {
  FakeService service;
  FakeReader reader;
  FakeCloudWatch cloudwatch;
  std::vector<std::string> log;
  service.state = {1, 1, stack_tags()};  // fossa:idle-minutes 15
  ScalingLoop loop(service, reader, cloudwatch, FakeStalledJobs{}, [&](const std::string& line) { log.push_back(line); }, 20s);
  const ScalingLoop::Clock::time_point start{};
  loop.tick(start);
  loop.tick(start + 19s);
  EXPECT_TRUE(service.set.empty()) << "idle for 19 s of 20";
  loop.tick(start + 20s);
  EXPECT_THAT(service.set, ElementsAre(0)) << "--idle-seconds 20, not the tag's 15 min";
}

TEST(ScalingLoop, WorkInBetweenStartsTheIdleTimeAgain) {
  Loop l;
  l.service.state = {1, 1, stack_tags()};
  for (int minute = 0; minute < 10; ++minute) l.tick_at(std::chrono::minutes(minute));
  l.reader.reading = {1, 0};
  l.tick_at(10min);
  l.reader.reading = {0, 0};
  for (int minute = 11; minute <= 25; ++minute) l.tick_at(std::chrono::minutes(minute));
  EXPECT_TRUE(l.service.set.empty()) << "idle since minute 11: 14 min";
  l.tick_at(26min);
  EXPECT_THAT(l.service.set, ElementsAre(0));
}

TEST(ScalingLoop, AnUnreadableMinuteStartsTheIdleTimeAgain) {
  Loop l;
  l.service.state = {1, 1, stack_tags()};
  for (int minute = 0; minute < 10; ++minute) l.tick_at(std::chrono::minutes(minute));
  l.reader.fails = "cannot count fossa_task_queue";
  l.tick_at(10min);
  l.reader.fails.reset();
  for (int minute = 11; minute <= 25; ++minute) l.tick_at(std::chrono::minutes(minute));
  EXPECT_TRUE(l.service.set.empty()) << "nothing known of minute 10: a worker may have been busy";
  l.tick_at(26min);
  EXPECT_THAT(l.service.set, ElementsAre(0));
}

TEST(ScalingLoop, WorkersTheStarterAskedForAreKeptTheIdleMinutesForTheJobTheGatewayHolds) {
  Loop l;
  for (int minute = 0; minute <= 20; ++minute) l.tick_at(std::chrono::minutes(minute));
  // A job comes: the jobs API holds it and its starter asks for a worker, which starts.
  l.service.state.desired = 1;
  l.service.state.running = 1;
  for (int minute = 21; minute <= 35; ++minute) l.tick_at(std::chrono::minutes(minute));
  EXPECT_TRUE(l.service.set.empty()) << "the worker was stopped before the job it was started for reached it";
  l.tick_at(36min);
  EXPECT_THAT(l.service.set, ElementsAre(0)) << "the job never came: idle for 15 min since the wake";
}

TEST(ScalingLoop, AFailureIsLoggedOncePerChangeAndTheLoopKeepsGoing) {
  Loop l;
  l.reader.reading = {0, 0};
  l.reader.fails = "cannot count fossa_task_queue at amqp://fossa:***@rabbitmq:5672/: connection refused";
  for (int minute = 0; minute < 5; ++minute) l.tick_at(std::chrono::minutes(minute));
  EXPECT_EQ(l.lines_with("connection refused"), 1);
  EXPECT_TRUE(l.cloudwatch.published.empty()) << "nothing known, nothing published";

  l.reader.fails.reset();
  l.cloudwatch.fails = "CloudWatch PutMetricData answered HTTP 403: AccessDenied: not in the namespace";
  l.tick_at(5min);
  l.tick_at(6min);
  EXPECT_EQ(l.lines_with("AccessDenied"), 1);

  l.cloudwatch.fails.reset();
  l.service.describe_fails = "ECS DescribeServices answered HTTP 400: ClusterNotFoundException";
  l.tick_at(7min);
  l.service.describe_fails.reset();
  l.tick_at(8min);
  EXPECT_EQ(l.lines_with("ClusterNotFoundException"), 1);
  EXPECT_EQ(l.lines_with("working again"), 1);
  EXPECT_THAT(l.cloudwatch.published, ElementsAre(0.0));
}

TEST(ScalingLoop, ACountECSRefusesIsLoggedAndAskedAgainNextMinute) {
  Loop l;
  l.reader.reading = {2, 0};
  l.service.set_fails = "ECS UpdateService answered HTTP 400: AccessDeniedException";
  l.tick_at(0min);
  l.tick_at(1min);
  EXPECT_EQ(l.lines_with("cannot set the desired count of workers: ECS UpdateService"), 1);
  l.service.set_fails.reset();
  l.tick_at(2min);
  EXPECT_THAT(l.service.set, ElementsAre(2));
}

TEST(ScalingLoop, AServiceWithoutTheTagsIsNotScaledAndSaysSoOnce) {
  Loop l;
  l.service.state.tags = {};
  l.reader.reading = {5, 0};
  l.tick_at(0min);
  l.tick_at(1min);
  EXPECT_EQ(l.lines_with("carries no fossa:metric-namespace tag"), 1);
  EXPECT_TRUE(l.cloudwatch.published.empty());
  EXPECT_TRUE(l.service.set.empty());
}

TEST(ScalerSettings, ComeFromTheWorkerServicesTags) {
  auto settings = fossa::gateway::scaler_settings_from_tags(stack_tags());
  ASSERT_TRUE(settings) << settings.error();
  EXPECT_EQ(settings->limits.max_workers, 4);
  EXPECT_EQ(settings->limits.idle_before_min, 15min);
  EXPECT_EQ(settings->metric_name, "BacklogPerWorker");
  using Pair = std::pair<std::string, std::string>;
  EXPECT_THAT(settings->metric_dimensions, ElementsAre(Pair{"ClusterName", "fossa-test"}, Pair{"ServiceName", "fossa-worker"}));
}

TEST(ScalerSettings, ABadTagIsNamed) {
  const std::vector<std::pair<std::pair<std::string, std::string>, std::string>> bad = {
      {{"fossa:max-workers", "four"}, "fossa:max-workers must be a whole number from 1 to 1000, got 'four'"},
      {{"fossa:min-workers", "-1"}, "fossa:min-workers must be a whole number"},
      {{"fossa:min-workers", "5"}, "max_workers must be at least 1 and at least min_workers"},
      {{"fossa:slots-per-worker", "0"}, "fossa:slots-per-worker must be a whole number from 1"},
      {{"fossa:metric-dimension:ClusterName", ""}, "fossa:metric-dimension:ClusterName holds no value"},
      {{"fossa:metric-dimension:", "fossa-test"}, "fossa:metric-dimension: names no dimension"},
      {{"fossa:broker-secret", ""}, "no tag fossa:broker-secret"},
  };
  for (const auto& [tag, message] : bad) {
    Tags tags = stack_tags();
    tags[tag.first] = tag.second;
    auto settings = fossa::gateway::scaler_settings_from_tags(tags);
    ASSERT_FALSE(settings) << tag.first << "=" << tag.second;
    EXPECT_THAT(settings.error(), HasSubstr(message));
  }
}

// One tag per dimension: ECS's tag values may not hold the comma a list of them would need.
TEST(ScalerSettings, TakeEachDimensionFromATagOfItsOwnAndAtMostThirty) {
  Tags tags = stack_tags();
  for (int i = 0; i < 28; ++i) tags["fossa:metric-dimension:Extra" + std::to_string(i)] = "x";
  ASSERT_TRUE(fossa::gateway::scaler_settings_from_tags(tags));
  tags["fossa:metric-dimension:OneTooMany"] = "x";
  const auto settings = fossa::gateway::scaler_settings_from_tags(tags);
  ASSERT_FALSE(settings);
  EXPECT_THAT(settings.error(), HasSubstr("more than 30 fossa:metric-dimension:<name> tags"));
}

TEST(WorkerStarter, WakesAtLeastOneWorkerAndAtLeastMinWorkers) {
  EXPECT_EQ(fossa::gateway::workers_to_wake({}), 1);
  EXPECT_EQ(fossa::gateway::workers_to_wake({{"fossa:min-workers", "2"}}), 2);
  EXPECT_EQ(fossa::gateway::workers_to_wake({{"fossa:min-workers", "nonsense"}}), 1);
}

TEST(WorkerStarter, ChangesTheDesiredCountOfTheOneServiceOnly) {
  EXPECT_EQ(fossa::gateway::set_desired_count_request("fossa-test", "fossa-worker", 2),
            (ayeaye::Json{{"cluster", "fossa-test"}, {"service", "fossa-worker"}, {"desiredCount", 2}}));
  EXPECT_EQ(fossa::gateway::describe_service_request("fossa-test", "fossa-worker"),
            (ayeaye::Json{{"cluster", "fossa-test"}, {"services", {"fossa-worker"}}, {"include", {"TAGS"}}}));
  EXPECT_TRUE(fossa::gateway::is_cluster("arn:aws:ecs:eu-west-2:1:cluster/fossa-test", "fossa-test"));
  EXPECT_TRUE(fossa::gateway::is_cluster("fossa-test", "arn:aws:ecs:eu-west-2:1:cluster/fossa-test"));
  EXPECT_FALSE(fossa::gateway::is_cluster("arn:aws:ecs:eu-west-2:2:cluster/fossa-test", "arn:aws:ecs:eu-west-2:1:cluster/fossa-test"));
  EXPECT_FALSE(fossa::gateway::is_cluster("other", "fossa-test"));
}

TEST(WorkerService, ReadsCountsAndTagsOrSaysWhyNot) {
  const auto answer = ayeaye::Json::parse(R"({"services": [{"serviceName": "fossa-worker", "status": "ACTIVE",
      "desiredCount": 2, "runningCount": 1, "tags": [{"key": "fossa:max-workers", "value": "4"}, {"key": 5}]}]})");
  auto state = fossa::gateway::parse_worker_service(answer, "fossa-worker");
  ASSERT_TRUE(state) << state.error();
  EXPECT_EQ(state->desired, 2);
  EXPECT_EQ(state->running, 1);
  EXPECT_EQ(state->tags, (Tags{{"fossa:max-workers", "4"}}));
  auto missing = fossa::gateway::parse_worker_service(
      ayeaye::Json::parse(R"({"services": [], "failures": [{"arn": "x", "reason": "MISSING"}]})"), "fossa-worker");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error(), "no service fossa-worker in the cluster: MISSING");
  EXPECT_FALSE(fossa::gateway::parse_worker_service(
      ayeaye::Json::parse(R"({"services": [{"status": "DRAINING", "desiredCount": 0}]})"), "fossa-worker"));
}

TEST(BrokerSecret, GivesTheUrlAndNeverShowsTheSecret) {
  const auto answer = [](const std::string& secret) { return ayeaye::Json{{"SecretString", secret}}; };
  auto url = fossa::gateway::broker_url_from_secret(answer(R"({"username": "fossa", "url": "amqp://fossa:pw@rabbitmq:5672/"})"));
  ASSERT_TRUE(url) << url.error();
  EXPECT_EQ(*url, "amqp://fossa:pw@rabbitmq:5672/");
  for (const std::string secret : {R"({"url": "http://fossa:pw@x/"})", R"(amqp://fossa:pw@x/)", R"({"password": "pw"})"}) {
    auto bad = fossa::gateway::broker_url_from_secret(answer(secret));
    ASSERT_FALSE(bad) << secret;
    EXPECT_THAT(bad.error(), ::testing::Not(HasSubstr("pw")));
  }
}

TEST(NodeSlots, AreTheSlotsInUseOfANodesNodeInfo) {
  EXPECT_EQ(fossa::gateway::slots_in_use(ayeaye::Json::parse(
                R"({"node_info": {"max_concurrent_tasks": 4, "available_processing_capacity": 1}})")),
            3);
  EXPECT_EQ(fossa::gateway::slots_in_use(ayeaye::Json::parse(R"({"node_info": {"max_concurrent_tasks": "4"}})")), std::nullopt);
  EXPECT_EQ(fossa::gateway::slots_in_use(ayeaye::Json()), std::nullopt);
}
