// The path from zero workers to a finished job, end to end with nothing standing in: a real
// fossa-gateway (ECS discovery, its scaling loop, its jobs API), a real RabbitMQ, and the AWS
// emulator whose worker service runs its tasks as real `fossa node` processes, each on its own
// loopback address with the stack's task definition (tests/aws_emulator/ecs_workers.py). The
// emulator's log says what ECS did (a task started, RUNNING, protected, stopped): the tests wait
// for those lines, and read each node's own log from its task's log file.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>

#include "cluster/broker_process.h"
#include "support/command.h"
#include "support/gate.h"
#include "support/moto.h"
#include "support/node_process.h"
#include "support/test_client.h"

namespace {

using fossa::BrokerProcess;
using fossa::testing::fossa_bin;
using fossa::testing::Gate;
using fossa::testing::Moto;
using fossa::testing::NodeProcess;
using fossa::testing::run_command;
using fossa::testing::TempDir;
using ::testing::HasSubstr;

const std::string kPassword = "ecs workers test password";
const std::string kToken = "the nodes' token in this test";

std::string scaling_fixture(const Moto& moto, const std::vector<std::string>& args) {
  const auto script = std::filesystem::path(__FILE__).parent_path() / "support" / "scaling_fixture.py";
  std::vector<std::string> all = {"python3", script.string()};
  all.insert(all.end(), args.begin(), args.end());
  const auto r = run_command("/usr/bin/env", all, moto.environment());
  if (r.exit_code != 0) throw std::runtime_error("scaling_fixture.py failed: " + r.err);
  return r.out;
}

// The word after `marker` in `line` ("started task <id> of ...": the task's id).
std::string word_after(const std::string& line, const std::string& marker) {
  const auto at = line.find(marker);
  if (at == std::string::npos) return "";
  std::istringstream rest(line.substr(at + marker.size()));
  std::string word;
  rest >> word;
  return word;
}

// A stack's cluster in the emulator: the worker service (the stack's task definition, `desired`
// tasks), its broker secret naming this test's RabbitMQ, and the nodes' token.
class Stack {
 public:
  explicit Stack(int desired, int drain_seconds = 100)
      : broker_(start_broker()),
        moto_(Moto::RunningWorkers{ayeaye::Json{{"services", {"fossa-worker"}},
                                                {"program", fossa_bin()},
                                                {"log_dir", logs_.path()}}
                                       .dump()}) {
    scaling_fixture(moto_, {"setup", "fossa-test", broker_->amqp_url(), "--desired", std::to_string(desired), "--api-token",
                            kToken, "--drain-seconds", std::to_string(drain_seconds)});
  }

  Moto& moto() { return moto_; }
  ayeaye::Json shown() { return ayeaye::Json::parse(scaling_fixture(moto_, {"show", "fossa-test"})); }
  void set_count(int count) { scaling_fixture(moto_, {"set-count", "fossa-test", std::to_string(count)}); }
  // The emulator's line containing `text` (seen before or after the call).
  std::string emulator_said(const std::string& text) { return moto_.log().wait_for_log(text); }
  // The ids of the first `count` tasks to be RUNNING.
  std::vector<std::string> running_tasks(std::size_t count) {
    std::vector<std::string> ids;
    moto_.log().wait_for_log(
        [&](const std::string& line) {
          if (line.find(" is RUNNING at ") != std::string::npos) ids.push_back(word_after(line, "ecs-workers: task "));
          return ids.size() == count;
        },
        NodeProcess::kDefaultLogWait, std::to_string(count) + " tasks RUNNING");
    return ids;
  }
  // What the node of task `id` logged.
  std::string node_log(const std::string& id) {
    std::ifstream in(logs_.path() + "/" + id + ".log");
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  ayeaye::Json task(const std::string& id) {
    const auto state = shown();
    for (const auto& t : state["tasks"]) {
      if (t["id"] == id) return t;
    }
    return nullptr;
  }

  std::unique_ptr<NodeProcess> start_gateway(const std::vector<std::string>& more) {
    auto env = moto_.environment();
    env.push_back("GATEWAY_HTTP_PASSWORD=" + kPassword);
    env.push_back("FOSSA_API_TOKEN=" + kToken);
    const auto gateway = (std::filesystem::path(fossa_bin()).parent_path() / "fossa-gateway").string();
    std::vector<std::string> args = {"--port", "0", "--bind", "127.0.0.1", "--discovery", "ecs", "--ecs-cluster", "fossa-test"};
    args.insert(args.end(), more.begin(), more.end());
    return std::make_unique<NodeProcess>(NodeProcess::Launch{gateway, args, env, "fossa-gateway ready"});
  }

 private:
  static std::unique_ptr<BrokerProcess> start_broker() {
    auto broker = BrokerProcess::start({});
    if (!broker) throw std::runtime_error("cannot start RabbitMQ: " + broker.error());
    return std::move(broker).value();
  }

  TempDir logs_;
  std::unique_ptr<BrokerProcess> broker_;
  Moto moto_;
};

// `fossa submit --gateway` as a user runs it.
fossa::testing::CommandResult submit(const NodeProcess& gateway, const std::vector<std::string>& task) {
  std::vector<std::string> args = {"submit", "--gateway", gateway.url(), "--cluster", "fossa-test"};
  args.insert(args.end(), task.begin(), task.end());
  return run_command(fossa_bin(), args, {"FOSSA_GATEWAY_PASSWORD=" + kPassword});
}

}  // namespace

TEST(EcsWorkers, FromZeroWorkersAJobStartsAWorkerRunsOnItAndTheWorkerStopsWhenIdle) {
  Stack stack(0);
  auto gateway = stack.start_gateway({"--scaling-interval", "1", "--idle-seconds", "5"});
  ASSERT_EQ(stack.shown()["tasks"].size(), 0u) << "no worker before the job";

  const auto submitted = submit(*gateway, {"NothingEtl", "--wait"});
  ASSERT_EQ(submitted.exit_code, 0) << submitted.out << submitted.err;
  EXPECT_THAT(submitted.out, HasSubstr("the gateway is starting workers for it")) << "answered 202: held";

  // The count was raised from zero (the jobs API's starter: UpdateService), a node started, and the
  // job ran there.
  const std::string started = stack.emulator_said("ecs-workers: started task ");
  std::string ran_it;
  const auto after_the_job = stack.shown();
  for (const auto& t : after_the_job["tasks"]) {
    const std::string id = t["id"];
    if (stack.node_log(id).find("\"model_class\":\"NothingEtl\"") != std::string::npos) ran_it = id;
  }
  ASSERT_FALSE(ran_it.empty()) << "no node logged the job; the first started: " << started;
  EXPECT_THAT(stack.node_log(ran_it), HasSubstr("task complete"));

  // Idle for --idle-seconds: the gateway lowers the count to min_workers (0), and the node stops.
  EXPECT_THAT(gateway->wait_for_log("scaling: set the desired count of workers from 1 to 0"),
              HasSubstr("nothing waiting or running"));
  EXPECT_THAT(stack.emulator_said("task " + ran_it + " STOPPED"), HasSubstr("(ServiceSchedulerInitiated, exit code 0)"));
  const auto state = stack.shown();
  EXPECT_EQ(state["desired"], 0);
  EXPECT_EQ(state["running"], 0);
}

TEST(EcsWorkers, ABusyWorkerIsNotStoppedByScaleInAndStopsOnceIdle) {
  Stack stack(2);
  auto gateway = stack.start_gateway({"--scale-workers", "off"});
  const auto ids = stack.running_tasks(2);
  Gate gate;
  const auto placed = submit(*gateway, {"GateEtl", "--context", "gate=" + gate.path()});
  ASSERT_EQ(placed.exit_code, 0) << placed.out << placed.err;
  // The node holding the job asked its agent for scale-in protection.
  const std::string busy = word_after(stack.emulator_said(" scale-in protection on"), "ecs-workers: task ");
  const std::string idle = busy == ids[0] ? ids[1] : ids[0];

  stack.set_count(0);  // as Application Auto Scaling, or a person, lowers it
  EXPECT_THAT(stack.emulator_said("task " + idle + " STOPPED"), HasSubstr("(ServiceSchedulerInitiated, exit code 0)"));
  auto held = stack.task(busy);
  EXPECT_EQ(held["last_status"], "RUNNING") << "scale-in stopped the busy worker";
  EXPECT_EQ(held["desired_status"], "RUNNING");
  EXPECT_EQ(held["protected"], true);

  gate.open();  // the job ends: the node lets go of its protection, and the lower count stops it
  stack.emulator_said("task " + busy + " scale-in protection off");
  EXPECT_THAT(stack.emulator_said("task " + busy + " STOPPED"), HasSubstr("(ServiceSchedulerInitiated, exit code 0)"));
  EXPECT_THAT(stack.node_log(busy), HasSubstr("task complete"));
  EXPECT_EQ(stack.shown()["running"], 0);
}

TEST(EcsWorkers, ASpotInterruptionOfABusyWorkerLetsItsJobFinishAndTheServiceReplacesIt) {
  Stack stack(1);
  auto gateway = stack.start_gateway({"--scale-workers", "off"});
  const std::string id = stack.running_tasks(1)[0];
  Gate gate;
  const auto placed = submit(*gateway, {"GateEtl", "--context", "gate=" + gate.path()});
  ASSERT_EQ(placed.exit_code, 0) << placed.out << placed.err;
  stack.emulator_said("task " + id + " scale-in protection on");

  // Fargate Spot takes the capacity back: SIGTERM, then SIGKILL after the stopTimeout (120 s).
  std::string agent = word_after(stack.emulator_said("agent at "), "agent at ");
  agent = agent.substr(0, agent.find(';'));
  fossa::testing::TestClient client(agent);
  const auto interrupted = client.post("/spot-interruption/" + id, "", "application/json");
  ASSERT_TRUE(interrupted.answered()) << interrupted.error;
  ASSERT_EQ(interrupted.status, 200) << interrupted.body;
  stack.emulator_said("stopping task " + id);

  // Draining, the node lets its running job finish (FOSSA_DRAIN_SECONDS 100), then exits by itself.
  gate.open();
  EXPECT_THAT(stack.emulator_said("task " + id + " STOPPED"), HasSubstr("(SpotInterruption, exit code 0)"));
  const std::string log = stack.node_log(id);
  EXPECT_THAT(log, HasSubstr("task complete"));
  EXPECT_THAT(log, ::testing::Not(HasSubstr("NodeShutdown"))) << "the job was stopped, not drained";
  // The service still asks for one worker: another takes its place.
  const std::string replacement = word_after(
      stack.moto().log().wait_for_log([&](const std::string& line) {
        return line.find("ecs-workers: started task ") != std::string::npos && line.find(id) == std::string::npos;
      }),
      "ecs-workers: started task ");
  EXPECT_NE(replacement, id);
}

TEST(EcsWorkers, ASpotInterruptionThatOutlastsTheDrainRunsTheJobAgainOnAnotherWorker) {
  Stack stack(2, /*drain_seconds=*/1);
  auto gateway = stack.start_gateway({"--scale-workers", "off", "--lost-after", "5"});
  stack.running_tasks(2);
  Gate gate;
  fossa::testing::TestClient client(gateway->port());
  client.basic_auth("fossa", kPassword);
  const auto posted = client.post("/api/clusters/fossa-test/jobs",
                                  ayeaye::Json{{"model_class", "GateEtl"}, {"resolver_context", {{"gate", gate.path()}}}}.dump());
  ASSERT_EQ(posted.status, 201) << posted.body << posted.error;
  const std::string job = ayeaye::Json::parse(posted.body)["job_id"];
  const std::string busy = word_after(stack.emulator_said(" scale-in protection on"), "ecs-workers: task ");

  // Spot takes the busy worker back; its drain (1 s) ends before the job does, so the job is lost with it.
  std::string agent = word_after(stack.emulator_said("agent at "), "agent at ");
  agent = agent.substr(0, agent.find(';'));
  const auto interrupted = fossa::testing::TestClient(agent).post("/spot-interruption/" + busy, "", "application/json");
  ASSERT_EQ(interrupted.status, 200) << interrupted.body << interrupted.error;
  stack.emulator_said("task " + busy + " STOPPED");
  gateway->wait_for_log("job " + job + ": attempt 2 placed on ");
  gate.open();  // the second attempt, on the other worker
  gateway->wait_for_log("job " + job + " ended complete");
  const auto doc = ayeaye::Json::parse(client.get("/api/clusters/fossa-test/jobs/" + job).body);
  EXPECT_EQ(doc["status"], "complete") << doc.dump();
  ASSERT_EQ(doc["attempts"].size(), 2u) << doc.dump();
  EXPECT_THAT(doc["attempts"][0]["outcome"].dump(), HasSubstr("lost: ")) << "Spot, not the model, ended the first attempt";
  EXPECT_EQ(doc["attempts"][1]["outcome"], "complete");
  EXPECT_NE(doc["attempts"][1]["node"], doc["attempts"][0]["node"]);
}
