// The node's TaskSupervisor on fakes (tests/unit/fakes): worker processes the test plays, a broker
// that records and plays, a clock that moves when told. Each test drives the supervisor turn by
// turn on its own thread, so what happens in between is exactly what the test did.
// The same behaviour with real processes and a real broker: tests/integration.
#include "node/task_supervisor.h"

#include <gtest/gtest.h>

#include <functional>

#include "node/governor.h"
#include "node/node_log.h"
#include "node/supervisor_env.h"
#include "process/worker_channel.h"
#include "unit/fakes/fake_broker.h"
#include "unit/fakes/fake_launcher.h"

namespace {

using namespace std::chrono_literals;
using fossa::ExitStatus;
using fossa::fakes::FakeBroker;
using fossa::fakes::FakeLauncher;
using fossa::fakes::FakeWorker;
using fossa::node::Admission;
using fossa::node::Governor;
using fossa::node::NodeConfig;
using fossa::node::NodeLog;
using fossa::node::SupervisorEnv;
using fossa::node::TaskRecord;
using fossa::node::TaskStatus;
using fossa::node::TaskSupervisor;

ayeaye::TaskSpec spec(const std::string& model, const std::string& id = "") {
  ayeaye::TaskSpec s;
  s.model_class = model;
  s.method = "build";
  s.task_id = id;
  return s;
}

std::vector<ayeaye::TaskSpec> subtask_specs(int count) {
  std::vector<ayeaye::TaskSpec> specs;
  for (int i = 0; i < count; ++i) {
    auto s = spec("Fanout");
    s.method = "partition_task";
    s.method_kwargs = {{"n", i}};
    specs.push_back(s);
  }
  return specs;
}

// The subtask events a parent's worker was sent: how many results, how many log lines.
struct Heard {
  int results = 0;
  int failures = 0;
  int logs = 0;
};
Heard heard(FakeWorker& parent, std::size_t subtasks) {
  Heard h;
  for (const auto& line : parent.take_sent()) {
    auto event = fossa::channel::parse_subtask_event(line, subtasks);
    if (!event) continue;
    if (!event->is_result) {
      ++h.logs;
    } else {
      ++h.results;
      if (std::holds_alternative<ayeaye::TaskFailed>(event->message)) ++h.failures;
    }
  }
  return h;
}

// A subtask taken from the queue whose parent asked for its log lines.
void amqp_taken_with_log_replies(FakeBroker& broker, const ayeaye::TaskSpec& spec) {
  fossa::amqp::SubtaskTaken taken;
  taken.id = 99;
  taken.task.spec = spec;
  taken.task.reply_to = "amq.gen-parent";
  taken.log_replies = true;
  broker.play(taken);
}

// A supervisor on fakes, with a governor of `capacity` slots.
class Supervised {
 public:
  explicit Supervised(int capacity, const std::function<void(NodeConfig&)>& configure = {})
      : governor(capacity, 20), log(fossa::node::LogFormat::kText) {
    config.max_concurrent_tasks = capacity;
    config.node_ident = "here";
    if (configure) configure(config);
    SupervisorEnv env;
    auto fake_launcher = std::make_unique<FakeLauncher>();
    launcher = fake_launcher.get();
    env.launcher = std::move(fake_launcher);
    env.connect_broker = [this](const fossa::amqp::LinkOptions& options,
                                int wake_fd) -> std::unique_ptr<fossa::amqp::Broker> {
      link_prefetch = options.prefetch;
      auto fake = std::make_unique<FakeBroker>(wake_fd);
      broker = fake.get();
      return fake;
    };
    env.now = [this] { return now; };
    supervisor = std::make_unique<TaskSupervisor>(governor, config, log, std::move(env));
    supervisor->open();
  }

  // A task POSTed and admitted: its id.
  std::string post(const std::string& model) {
    TaskRecord admitted;
    EXPECT_EQ(governor.admit(spec(model), &admitted), Admission::kAccepted);
    supervisor->run(admitted.spec.task_id);
    return admitted.spec.task_id;
  }
  // Turns the supervisor until `done` holds; a test failure after 1,000 turns that changed nothing.
  bool until(const std::function<bool()>& done, const char* what) {
    for (int turns = 0; turns < 1000; ++turns) {
      if (done()) return true;
      supervisor->turn(0ms);
    }
    ADD_FAILURE() << "never happened: " << what;
    return false;
  }
  void turns(int count = 3) {
    for (int i = 0; i < count; ++i) supervisor->turn(0ms);
  }
  TaskStatus status(const std::string& id) { return governor.find(id)->status; }
  bool ended(const std::string& id) { return status(id) != TaskStatus::kRunning; }
  // The worker launched n-th (0 first), once it has been.
  FakeWorker& worker(std::size_t n) {
    until([&] { return launcher->workers.size() > n; }, "a worker launched");
    return *launcher->workers.at(n);
  }
  // Stops as `fossa node` does on SIGTERM and turns until the supervisor has stopped.
  bool stop(std::chrono::milliseconds drain, std::chrono::milliseconds grace) {
    supervisor->request_stop(drain, grace);
    for (int turns = 0; turns < 1000; ++turns) {
      if (!supervisor->turn(0ms)) return true;
    }
    return false;
  }

  NodeConfig config;
  Governor governor;
  NodeLog log;
  FakeLauncher* launcher = nullptr;
  FakeBroker* broker = nullptr;
  int link_prefetch = 0;  // what the link was told to begin with
  std::chrono::steady_clock::time_point now{};
  std::unique_ptr<TaskSupervisor> supervisor;
};

TEST(TaskSupervisor, RunsATaskInAWorkerAndRecordsWhatItPrintedAndReturned) {
  Supervised node(2);
  const std::string id = node.post("NothingEtl");
  FakeWorker& worker = node.worker(0);
  node.until([&] { return !worker.take_tasks().empty(); }, "the task sent to its worker");
  worker.print("hello from the model");
  worker.complete(42);
  node.until([&] { return node.ended(id); }, "the task's end");
  const auto record = *node.governor.find(id);
  EXPECT_EQ(record.status, TaskStatus::kComplete);
  EXPECT_EQ(std::get<ayeaye::TaskComplete>(*record.result).return_value, 42);
  EXPECT_EQ(record.pid, worker.pid);
  EXPECT_NE(std::find(record.log_tail.begin(), record.log_tail.end(), "hello from the model"), record.log_tail.end());
  EXPECT_EQ(node.governor.slots().in_use(), 0);
}

TEST(TaskSupervisor, AWorkerThatDiesFailsOnlyItsOwnTask) {
  Supervised node(2);
  const std::string crashing = node.post("Crasher");
  const std::string fine = node.post("NothingEtl");
  node.worker(1);
  node.worker(0).print("about to crash");
  node.worker(0).die(SIGSEGV);
  node.until([&] { return node.ended(crashing); }, "the crash recorded");
  EXPECT_FALSE(node.ended(fine));
  node.worker(1).complete();
  node.until([&] { return node.ended(fine); }, "the other task's end");
  const auto failed = std::get<ayeaye::TaskFailed>(*node.governor.find(crashing)->result);
  EXPECT_EQ(failed.exception_class_name, "fossa::ProcessKilled");
  EXPECT_NE(failed.message().find("SIGSEGV"), std::string::npos) << failed.message();
  EXPECT_NE(std::find(failed.traceback.begin(), failed.traceback.end(), "  about to crash"), failed.traceback.end())
      << "its last output is in the trace";
  EXPECT_EQ(node.status(fine), TaskStatus::kComplete);
}

TEST(TaskSupervisor, KillsATaskAtTheNodesTimeLimitAndNotBefore) {
  Supervised node(1, [](NodeConfig& c) { c.task_time_limit = std::chrono::seconds(10); });
  const std::string id = node.post("Sleeper");
  FakeWorker& worker = node.worker(0);
  node.now += 9s;
  node.turns();
  EXPECT_TRUE(worker.signals.empty());
  node.now += 2s;
  node.until([&] { return node.ended(id); }, "the time limit");
  EXPECT_EQ(worker.signals, std::vector<int>{SIGKILL});
  const auto failed = std::get<ayeaye::TaskFailed>(*node.governor.find(id)->result);
  EXPECT_EQ(failed.exception_class_name, "fossa::TimeLimitExceeded");
}

TEST(TaskSupervisor, AWorkerThatCannotStartFailsItsTaskAndFreesItsSlot) {
  Supervised node(1);
  node.launcher->refuse_next = 1;
  const std::string id = node.post("NothingEtl");
  node.until([&] { return node.ended(id); }, "the failed start recorded");
  EXPECT_EQ(std::get<ayeaye::TaskFailed>(*node.governor.find(id)->result).exception_class_name, "fossa::SpawnFailed");
  EXPECT_EQ(node.governor.slots().in_use(), 0);
}

TEST(TaskSupervisor, SubtasksRunWithinTheNodesSlotsAndEachResultReachesTheParentOnce) {
  Supervised node(3);
  const std::string parent_id = node.post("Fanout");
  const std::string other_id = node.post("Sleeper");
  FakeWorker& parent = node.worker(0);
  FakeWorker& other = node.worker(1);
  // The model asks for 8 at once; three slots, one the other task's: the parent lends its own to
  // one subtask and borrows the last free one for another.
  parent.run_subtasks(subtask_specs(10), 8);
  Heard total;
  std::size_t most_at_once = 0;
  for (int round = 0; round < 100 && total.results < 10; ++round) {
    node.turns();
    auto alive = node.launcher->alive();
    most_at_once = std::max(most_at_once, alive.size() - 2);
    if (alive.size() == 4) {
      TaskRecord refused;
      EXPECT_EQ(node.governor.admit(spec("NothingEtl"), &refused), Admission::kAtCapacity) << "no slot left for a POST";
    }
    for (FakeWorker* worker : alive) {
      if (worker == &parent || worker == &other) continue;
      worker->complete();
      worker->exit(0);  // as a worker does when its task channel closes
    }
    node.turns();
    const Heard now = heard(parent, 10);
    total.results += now.results;
    total.failures += now.failures;
  }
  EXPECT_EQ(total.results, 10);
  EXPECT_EQ(total.failures, 0);
  EXPECT_EQ(most_at_once, 2u) << "as many subtasks as slots, never more";
  const auto counts = *node.governor.find(parent_id)->subtasks;
  EXPECT_EQ(counts.done, 10u);
  EXPECT_EQ(counts.running, 0u);
  parent.complete();
  other.complete();
  node.until([&] { return node.ended(parent_id) && node.ended(other_id); }, "both tasks' ends");
  EXPECT_EQ(node.governor.slots().in_use(), 0);
}

TEST(TaskSupervisor, AFailedSubtaskRunsOnceMoreThenItsFailureCounts) {
  Supervised node(2, [](NodeConfig& c) { c.subtask_retries = 1; });
  const std::string parent_id = node.post("Fanout");
  FakeWorker& parent = node.worker(0);
  parent.run_subtasks(subtask_specs(1), 1);
  node.worker(1).fail("disk full");
  node.worker(2).fail("disk full again");
  node.until([&] { return node.governor.find(parent_id)->subtasks->done == 1; }, "the subtask counted");
  const Heard h = heard(parent, 1);
  EXPECT_EQ(h.results, 1);
  EXPECT_EQ(h.failures, 1);
  EXPECT_EQ(h.logs, 1) << "the retry is announced to the model";
  const auto counts = *node.governor.find(parent_id)->subtasks;
  EXPECT_EQ(counts.retried, 1u);
  EXPECT_EQ(counts.failed, 1u);
  EXPECT_EQ(node.governor.find(parent_id + ".0")->attempts, 2);
  EXPECT_EQ(node.launcher->workers.size(), 3u);
}

TEST(TaskSupervisor, AParentThatDiesTakesItsRunningSubtasksWithItAndGivesBackEverySlot) {
  Supervised node(3);
  const std::string parent_id = node.post("Fanout");
  FakeWorker& parent = node.worker(0);
  parent.run_subtasks(subtask_specs(5), 5);
  node.until([&] { return node.launcher->alive().size() == 4; }, "three subtasks running");
  parent.die(SIGABRT);
  node.until([&] { return node.ended(parent_id); }, "the parent's end");
  node.until([&] { return node.launcher->alive().empty(); }, "its subtasks stopped");
  for (std::size_t i = 1; i < node.launcher->workers.size(); ++i) {
    EXPECT_EQ(node.launcher->workers[i]->signals, std::vector<int>{SIGKILL});
  }
  const auto counts = *node.governor.find(parent_id)->subtasks;
  EXPECT_EQ(counts.cancelled, 5u);
  EXPECT_EQ(node.status(parent_id + ".0"), TaskStatus::kCancelled) << "as it is counted";
  EXPECT_EQ(node.governor.slots().in_use(), 0);
}

TEST(TaskSupervisor, ATalkativeSubtaskNeverBlocksTheLoopItsLinesAreDroppedAndCountedItsResultIsNot) {
  Supervised node(2);
  const std::string parent_id = node.post("TalkativeFanout");
  FakeWorker& parent = node.worker(0);  // never reads until the end
  parent.run_subtasks(subtask_specs(1), 1);
  FakeWorker& subtask = node.worker(1);
  // 30,000 lines, in pieces a pipe holds: far more than the parent's pipe and queue take.
  for (int batch = 0; batch < 30; ++batch) {
    std::string lines;
    for (int i = 0; i < 1000; ++i) lines += "line " + std::to_string(batch * 1000 + i) + "\n";
    fossa::write_all(subtask.output.get(), lines);
    node.turns(1);
  }
  subtask.complete();
  node.until([&] { return node.governor.find(parent_id)->subtasks->done == 1; }, "the subtask counted");
  const auto dropped = node.governor.find(parent_id)->subtasks->log_lines_dropped;
  EXPECT_GT(dropped, 0u);
  Heard h;
  node.until([&] {
    const Heard now = heard(parent, 1);
    h.results += now.results;
    h.logs += now.logs;
    return h.results == 1;
  }, "the result, after the lines that fit");
  EXPECT_EQ(static_cast<std::size_t>(h.logs) + dropped, 30'000u) << "every line given or counted";
}

TEST(TaskSupervisor, SendsSubtasksOverTheBrokerAndCountsTheFirstAnswerOnly) {
  Supervised node(2, [](NodeConfig& c) { c.rabbitmq_url = "amqp://broker"; });
  ASSERT_NE(node.broker, nullptr);
  EXPECT_TRUE(node.broker->started);
  const std::string parent_id = node.post("Fanout");
  FakeWorker& parent = node.worker(0);
  parent.run_subtasks(subtask_specs(3), 2);
  node.until([&] { return node.broker->subtasks.size() == 2; }, "two subtasks in flight");
  node.turns();
  EXPECT_EQ(node.broker->subtasks.size(), 2u) << "the model asked for two at once";
  const std::string first = node.broker->subtasks[0].correlation_id;
  node.broker->answer(first, ayeaye::TaskComplete{});
  node.until([&] { return node.broker->subtasks.size() == 3; }, "the third sent in its place");
  node.broker->answer(first, ayeaye::TaskComplete{});  // a redelivered subtask that ran twice
  node.broker->answer(node.broker->subtasks[1].correlation_id, ayeaye::TaskComplete{});
  node.broker->answer(node.broker->subtasks[2].correlation_id, ayeaye::TaskComplete{});
  node.until([&] { return node.governor.find(parent_id)->subtasks->done == 3; }, "all counted");
  node.turns();
  EXPECT_EQ(heard(parent, 3).results, 3);
  EXPECT_EQ(node.governor.find(parent_id + ".0")->node, "other");
  EXPECT_EQ(node.launcher->workers.size(), 1u) << "nothing ran here";
}

TEST(TaskSupervisor, SubtasksSentOverTheBrokerCarryTheirParentsJobId) {
  Supervised node(2, [](NodeConfig& c) { c.rabbitmq_url = "amqp://broker"; });
  const std::string parent_id = node.post("Fanout");
  node.worker(0).run_subtasks(subtask_specs(2), 2);
  node.until([&] { return node.broker->subtasks.size() == 2; }, "two subtasks in flight");
  for (const auto& sent : node.broker->subtasks) {
    EXPECT_EQ(sent.spec.job_id, parent_id) << "a task posted to the node is its own job, and its subtasks are part of it";
  }
}

TEST(TaskSupervisor, SendsAgainWhatIsUnansweredPastTheTimeoutOrLostWithTheConnection) {
  Supervised node(2, [](NodeConfig& c) {
    c.rabbitmq_url = "amqp://broker";
    c.subtask_timeout = std::chrono::seconds(30);
  });
  node.post("Fanout");
  node.worker(0).run_subtasks(subtask_specs(1), 1);
  node.until([&] { return node.broker->subtasks.size() == 1; }, "the subtask sent");
  node.now += 29s;
  node.turns();
  EXPECT_EQ(node.broker->subtasks.size(), 1u);
  node.now += 2s;
  node.until([&] { return node.broker->subtasks.size() == 2; }, "sent again after 30 s");
  node.broker->play(fossa::amqp::LinkUp{"amq.gen-new", /*reconnected=*/true});
  node.until([&] { return node.broker->subtasks.size() == 3; }, "sent again after a reconnect");
  EXPECT_EQ(node.broker->subtasks[2].correlation_id, node.broker->subtasks[0].correlation_id);
}

TEST(TaskSupervisor, RunsSubtasksFromTheQueueInOneReusedWorkerWithinItsSlots) {
  Supervised node(1, [](NodeConfig& c) { c.rabbitmq_url = "amqp://broker"; });
  const auto a = node.broker->take(spec("Fanout", "pool:0::amq.gen-parent"));
  const auto b = node.broker->take(spec("Fanout", "pool:1::amq.gen-parent"));
  FakeWorker& worker = node.worker(0);
  node.turns();
  EXPECT_EQ(node.launcher->workers.size(), 1u) << "one slot: the second waits";
  worker.complete(1);
  node.until([&] { return node.broker->replies.size() == 1; }, "the first answered");
  EXPECT_EQ(node.broker->replies[0].taken_id, a);
  EXPECT_TRUE(node.broker->replies[0].final);
  node.until([&] { return !worker.take_tasks().empty(); }, "the second given to the same worker");
  worker.complete(2);
  node.until([&] { return node.broker->replies.size() == 2; }, "the second answered");
  EXPECT_EQ(node.broker->replies[1].taken_id, b);
  EXPECT_EQ(node.launcher->workers.size(), 1u);
  EXPECT_EQ(node.governor.slots().in_use(), 0);
}

TEST(TaskSupervisor, ASubtaskWaitingTooLongForASlotGoesBackToTheQueue) {
  Supervised node(1, [](NodeConfig& c) { c.rabbitmq_url = "amqp://broker"; });
  node.broker->take(spec("Fanout", "pool:0::amq.gen-parent"));
  const auto waiting = node.broker->take(spec("Fanout", "pool:1::amq.gen-parent"));
  node.worker(0);
  node.now += 1900ms;
  node.turns();
  EXPECT_TRUE(node.broker->given_back.empty()) << "a short wait hides the broker's round trip";
  node.now += 200ms;
  node.until([&] { return !node.broker->given_back.empty(); }, "given back after 2 s");
  EXPECT_EQ(node.broker->given_back, std::vector<std::uint64_t>{waiting});
  node.worker(0).complete();
  node.until([&] { return node.broker->replies.size() == 1; }, "the first answered");
  node.turns();
  EXPECT_EQ(node.launcher->workers[0]->take_tasks().size(), 1u) << "the one given back does not run here";
}

// Runs `count` subtasks from the queue one after another in the node's first worker.
void run_from_queue(Supervised& node, int count) {
  for (int i = 0; i < count; ++i) {
    node.broker->take(spec("Fanout", "pool:" + std::to_string(i) + "::amq.gen-parent"));
    FakeWorker& worker = node.worker(0);
    node.until([&] { return !worker.take_tasks().empty(); }, "the subtask given to the worker");
    worker.complete(i);
    node.until([&] { return node.broker->replies.size() == static_cast<std::size_t>(i + 1); }, "answered");
  }
  node.turns();
}

TEST(TaskSupervisor, ANodeTakesOnlyItsSlotsAtFirstThenAPrefetchWithinItsBoundsFromItsRunTimes) {
  Supervised node(3, [](NodeConfig& c) { c.rabbitmq_url = "amqp://broker"; });
  EXPECT_EQ(node.link_prefetch, 3) << "nothing has run here yet";
  run_from_queue(node, 40);
  for (const int prefetch : node.broker->prefetches) {
    EXPECT_GE(prefetch, 3);
    EXPECT_LE(prefetch, 3 + fossa::node::AdaptivePrefetch::Options{}.most_beyond_slots);
  }
}

TEST(TaskSupervisor, APrefetchSetByTheOperatorIsNeverChanged) {
  Supervised node(2, [](NodeConfig& c) {
    c.rabbitmq_url = "amqp://broker";
    c.amqp_prefetch = 5;
  });
  EXPECT_EQ(node.link_prefetch, 5);
  run_from_queue(node, 40);
  EXPECT_TRUE(node.broker->prefetches.empty());
}

TEST(TaskSupervisor, LogLinesTheBrokerCannotTakeAreCountedInTheSubtasksDocument) {
  Supervised node(1, [](NodeConfig& c) { c.rabbitmq_url = "amqp://broker"; });
  amqp_taken_with_log_replies(*node.broker, spec("Fanout", "pool:0::amq.gen-parent"));
  FakeWorker& worker = node.worker(0);
  node.broker->refuse_log_replies = true;
  for (int i = 0; i < 3; ++i) worker.log("line " + std::to_string(i));
  worker.complete();
  node.until([&] { return node.broker->replies.size() == 1; }, "the result answered");
  const auto record = *node.governor.find("pool:0::amq.gen-parent");
  EXPECT_NE(std::find(record.log_tail.begin(), record.log_tail.end(),
                      "WARNING 3 log lines not sent to the parent: the broker took them more slowly than the subtask "
                      "wrote them"),
            record.log_tail.end());
}

TEST(TaskSupervisor, ADrainGivesBackWhatWaitsAndLetsWhatRunsAnswer) {
  Supervised node(1, [](NodeConfig& c) { c.rabbitmq_url = "amqp://broker"; });
  node.broker->take(spec("Fanout", "pool:0::amq.gen-parent"));
  const auto waiting = node.broker->take(spec("Fanout", "pool:1::amq.gen-parent"));
  FakeWorker& worker = node.worker(0);
  node.turns();
  node.supervisor->request_stop(30s, 5s);
  node.turns();
  EXPECT_FALSE(node.broker->taking);
  EXPECT_EQ(node.broker->given_back, std::vector<std::uint64_t>{waiting});
  worker.complete();
  EXPECT_TRUE(node.stop(30s, 5s));
  ASSERT_EQ(node.broker->replies.size(), 1u);
  EXPECT_TRUE(node.broker->flushed) << "answers confirmed before the connection goes";
}

TEST(TaskSupervisor, StoppingTermsEveryTaskThenKillsWhatOutlivesTheGrace) {
  Supervised node(2);
  const std::string stubborn = node.post("Sleeper");
  const std::string polite = node.post("Sleeper");
  node.worker(0).ignores_sigterm = true;
  node.worker(1);
  node.supervisor->request_stop(0ms, 5s);
  node.until([&] { return node.ended(polite); }, "the polite one stopped");
  EXPECT_FALSE(node.ended(stubborn));
  node.now += 6s;
  EXPECT_TRUE(node.stop(0ms, 5s));
  EXPECT_EQ(node.worker(0).signals, (std::vector<int>{SIGTERM, SIGKILL}));
  EXPECT_EQ(node.worker(1).signals, std::vector<int>{SIGTERM});
  for (const auto& id : {stubborn, polite}) {
    EXPECT_EQ(std::get<ayeaye::TaskFailed>(*node.governor.find(id)->result).exception_class_name, "fossa::NodeShutdown");
  }
}

// Cancel (supervisor_cancel.cc): SIGTERM, then SIGKILL after the grace; "cancelled" everywhere.
TEST(TaskSupervisor, ACancelledTaskGetsSigtermThenSigkillAfterItsGraceAndIsRecordedCancelled) {
  Supervised node(1);
  const std::string id = node.post("Sleeper");
  FakeWorker& worker = node.worker(0);
  worker.ignores_sigterm = true;
  node.supervisor->cancel(id);
  node.until([&] { return !worker.signals.empty(); }, "the SIGTERM");
  node.now += TaskSupervisor::kCancelGrace - 1s;
  node.turns();
  EXPECT_EQ(worker.signals, std::vector<int>{SIGTERM});
  EXPECT_FALSE(node.ended(id)) << "running until its process has gone";
  node.now += 2s;
  node.until([&] { return node.ended(id); }, "the SIGKILL after the grace");
  EXPECT_EQ(worker.signals, (std::vector<int>{SIGTERM, SIGKILL}));
  EXPECT_EQ(node.status(id), TaskStatus::kCancelled);
  EXPECT_EQ(std::get<ayeaye::TaskFailed>(*node.governor.find(id)->result).exception_class_name, "fossa::Cancelled");
  EXPECT_EQ(node.governor.slots().in_use(), 0);
}

TEST(TaskSupervisor, CancellingAParentStopsItsSubtasksHereAndNoMoreStart) {
  Supervised node(3);
  const std::string parent_id = node.post("Fanout");
  FakeWorker& parent = node.worker(0);
  parent.run_subtasks(subtask_specs(5), 5);
  // Three slots: the parent lends its own to one subtask, two borrow the others.
  node.until([&] { return node.launcher->alive().size() == 4; }, "three subtasks running");
  node.supervisor->cancel(parent_id);
  node.until([&] { return node.ended(parent_id); }, "the parent's end");
  node.until([&] { return node.launcher->alive().empty(); }, "its subtasks stopped");
  EXPECT_EQ(node.launcher->workers.size(), 4u) << "no subtask started after the cancel";
  for (const auto& worker : node.launcher->workers) EXPECT_EQ(worker->signals, std::vector<int>{SIGTERM});
  EXPECT_EQ(node.status(parent_id), TaskStatus::kCancelled);
  EXPECT_EQ(node.status(parent_id + ".0"), TaskStatus::kCancelled);
  EXPECT_EQ(node.governor.find(parent_id)->subtasks->cancelled, 5u);
  EXPECT_EQ(node.governor.slots().in_use(), 0);
}

TEST(TaskSupervisor, CancellingAParentTellsEveryNodeThroughTheBrokerAndCountsNoLateAnswer) {
  Supervised node(2, [](NodeConfig& c) { c.rabbitmq_url = "amqp://broker"; });
  const std::string parent_id = node.post("Fanout");
  FakeWorker& parent = node.worker(0);
  parent.run_subtasks(subtask_specs(3), 2);
  node.until([&] { return node.broker->subtasks.size() == 2; }, "two subtasks in flight");
  const std::string correlation = node.broker->subtasks[0].correlation_id;
  const std::string pool = correlation.substr(0, correlation.find(':'));
  node.supervisor->cancel(parent_id);
  node.until([&] { return node.ended(parent_id); }, "the parent's end");
  EXPECT_EQ(node.broker->cancelled_pools, std::vector<std::string>{pool});
  EXPECT_EQ(node.status(parent_id), TaskStatus::kCancelled);
  EXPECT_EQ(node.status(parent_id + ".0"), TaskStatus::kCancelled) << "in flight when cancelled";
  node.broker->answer(correlation, ayeaye::TaskComplete{});
  node.turns();
  EXPECT_EQ(node.governor.find(parent_id)->subtasks->cancelled, 3u) << "the late answer is not counted";
  EXPECT_EQ(heard(parent, 3).results, 0) << "nor passed to the model";
  EXPECT_EQ(node.broker->subtasks.size(), 2u) << "nothing more sent";
  EXPECT_EQ(node.governor.slots().in_use(), 0);
}

// A model that gives up on its subtasks (its own failure): those still in flight are "cancelled"
// in their documents, as their count says, not failures of their own.
TEST(TaskSupervisor, SubtasksInFlightWhenTheirParentGivesUpAreRecordedCancelled) {
  Supervised node(2, [](NodeConfig& c) { c.rabbitmq_url = "amqp://broker"; });
  const std::string parent_id = node.post("Fanout");
  FakeWorker& parent = node.worker(0);
  parent.run_subtasks(subtask_specs(3), 2);
  node.until([&] { return node.broker->subtasks.size() == 2; }, "two subtasks in flight");
  parent.say({{"type", fossa::channel::kCancelSubtasks}, {"payload", ayeaye::Json::object()}});
  node.until([&] { return node.status(parent_id + ".0") != TaskStatus::kRunning; }, "the subtask stopped");
  EXPECT_EQ(node.status(parent_id + ".0"), TaskStatus::kCancelled);
  EXPECT_EQ(node.status(parent_id + ".1"), TaskStatus::kCancelled);
  EXPECT_EQ(node.governor.find(parent_id)->subtasks->cancelled, 3u);
}

TEST(TaskSupervisor, AHeardCancellationStopsThePoolsSubtasksHereAndDropsThoseWaitingOrStillToCome) {
  Supervised node(1, [](NodeConfig& c) { c.rabbitmq_url = "amqp://broker"; });
  const auto running = node.broker->take(spec("Fanout", "abcde:0::amq.gen-parent"), "abcde:0");
  const auto waiting = node.broker->take(spec("Fanout", "abcde:1::amq.gen-parent"), "abcde:1");
  const auto other = node.broker->take(spec("Fanout", "fghij:0::amq.gen-parent"), "fghij:0");
  FakeWorker& worker = node.worker(0);
  node.turns();
  node.broker->play(fossa::amqp::PoolCancelled{"abcde"});
  node.until([&] { return node.broker->replies.size() == 2; }, "the waiting one and the running one answered");
  ASSERT_EQ(node.broker->replies.size(), 2u);
  EXPECT_EQ(worker.signals, std::vector<int>{SIGTERM});
  EXPECT_EQ(node.broker->replies[0].taken_id, waiting) << "dropped unrun";
  EXPECT_EQ(node.broker->replies[1].taken_id, running);
  for (const auto& reply : node.broker->replies) {
    EXPECT_TRUE(reply.final) << "acknowledged once the answer is confirmed";
    EXPECT_EQ(std::get<ayeaye::TaskFailed>(reply.message).exception_class_name, "fossa::Cancelled");
  }
  EXPECT_EQ(node.status("abcde:0::amq.gen-parent"), TaskStatus::kCancelled);
  const auto late = node.broker->take(spec("Fanout", "abcde:2::amq.gen-parent"), "abcde:2");
  node.until([&] { return node.broker->replies.size() == 3; }, "a late one answered unrun");
  ASSERT_EQ(node.broker->replies.size(), 3u);
  EXPECT_EQ(node.broker->replies[2].taken_id, late);
  FakeWorker& next = node.worker(1);  // the other pool's runs, in a new process
  next.complete();
  node.until([&] { return node.broker->replies.size() == 4; }, "the other pool's subtask answered");
  ASSERT_EQ(node.broker->replies.size(), 4u);
  EXPECT_EQ(node.broker->replies[3].taken_id, other);
  EXPECT_TRUE(std::holds_alternative<ayeaye::TaskComplete>(node.broker->replies[3].message));
  EXPECT_EQ(node.launcher->workers.size(), 2u) << "nothing of the cancelled pool ran after the cancel";
  EXPECT_EQ(node.governor.slots().in_use(), 0);
}

}  // namespace

// Issue 26: times that tell waiting from working.
TEST(TaskSupervisor, AWorkerSaysWhenItTookStartedAndEndedEachSubtaskFromTheQueue) {
  Supervised node(1, [](NodeConfig& c) { c.rabbitmq_url = "amqp://broker"; });
  node.broker->take(spec("Fanout", "pool:0::amq.gen-parent"));
  node.broker->take(spec("Fanout", "pool:1::amq.gen-parent"));
  FakeWorker& worker = node.worker(0);
  node.turns();
  worker.complete(1);
  node.until([&] { return node.broker->replies.size() == 1; }, "the first answered");
  node.until([&] { return !worker.take_tasks().empty(); }, "the second given to the worker");
  worker.complete(2);
  node.until([&] { return node.broker->replies.size() == 2; }, "the second answered");
  for (const auto& reply : node.broker->replies) {
    ASSERT_TRUE(reply.times) << "a result goes with its times";
    EXPECT_LE(reply.times->taken, reply.times->started);
    EXPECT_LE(reply.times->started, reply.times->ended);
  }
  const auto& first = *node.broker->replies[0].times;
  const auto& second = *node.broker->replies[1].times;
  EXPECT_LE(second.taken, first.ended) << "taken with the first, before the first ended";
  EXPECT_GE(second.started, first.ended) << "one slot: it started once the first had ended";
}

TEST(TaskSupervisor, AParentBatchesSubtasksOnlyOnceNodesOfOursSayTheyRunShortAndCountsEachOnce) {
  Supervised node(2, [](NodeConfig& c) { c.rabbitmq_url = "amqp://broker"; });
  const std::string parent_id = node.post("Fanout");
  node.worker(0).run_subtasks(subtask_specs(200), 64);
  node.until([&] { return node.broker->subtasks.size() == 64; }, "64 subtasks in flight");
  EXPECT_TRUE(node.broker->batches.empty()) << "nothing answered yet: each on its own, any node may take it";
  const auto now = fossa::amqp::SubtaskTimes::Clock::now();
  const fossa::amqp::SubtaskTimes short_run{now, now, now + 1ms};
  std::size_t answered = 0;
  const auto answer = [&](std::size_t count, std::optional<fossa::amqp::SubtaskTimes> times) {
    for (std::size_t i = 0; i < count; ++i, ++answered) {
      node.broker->answer(node.broker->subtasks[answered].correlation_id, ayeaye::TaskComplete{}, "ours", times);
    }
    node.turns();
  };
  answer(15, short_run);
  EXPECT_TRUE(node.broker->batches.empty());
  EXPECT_EQ(node.broker->subtasks.size(), 79u) << "each answer's place taken at once";
  answer(1, short_run);
  EXPECT_EQ(node.broker->subtasks.size(), 79u) << "batches from now on: its place waits for room for a whole one";
  answer(14, short_run);
  EXPECT_TRUE(node.broker->batches.empty());
  answer(1, short_run);
  EXPECT_EQ(node.broker->batches, (std::vector<std::size_t>{16})) << "room for a whole batch";
  EXPECT_EQ(node.broker->subtasks.size(), 95u);
  answer(16, short_run);
  EXPECT_EQ(node.broker->batches, (std::vector<std::size_t>{16, 16}));
  answer(16, std::nullopt);  // now answered by Python workers, which do not say
  EXPECT_EQ(node.broker->batches.size(), 3u) << "16 of the last 32 answers still from ours";
  EXPECT_EQ(node.broker->subtasks.size(), 127u);
  answer(1, std::nullopt);
  EXPECT_EQ(node.broker->batches.size(), 3u);
  EXPECT_EQ(node.broker->subtasks.size(), 128u) << "back to one message each, for any node";
  // A batched subtask answered twice (its batch redelivered after a node died) counts once.
  node.broker->answer(node.broker->subtasks[100].correlation_id, ayeaye::TaskComplete{}, "ours", short_run);
  node.broker->answer(node.broker->subtasks[100].correlation_id, ayeaye::TaskComplete{}, "ours", short_run);
  node.turns();
  EXPECT_EQ(node.governor.find(parent_id)->subtasks->done, answered + 1);
}

TEST(TaskSupervisor, AParentKeepsEachAnswersTimesAndAddsUpRunsWaitsAndWhatItWasNotTold) {
  Supervised node(2, [](NodeConfig& c) { c.rabbitmq_url = "amqp://broker"; });
  const std::string parent_id = node.post("Fanout");
  node.worker(0).run_subtasks(subtask_specs(2), 2);
  node.until([&] { return node.broker->subtasks.size() == 2; }, "two subtasks in flight");
  const auto sent = fossa::amqp::SubtaskTimes::Clock::now();
  const fossa::amqp::SubtaskTimes told{sent, sent, sent};  // ran for no time at all: waited the whole span
  node.broker->answer(node.broker->subtasks[0].correlation_id, ayeaye::TaskComplete{}, "ours", told);
  node.broker->answer(node.broker->subtasks[1].correlation_id, ayeaye::TaskComplete{}, "python");  // no times
  node.until([&] { return node.governor.find(parent_id)->subtasks->done == 2; }, "both counted");
  node.turns();

  const auto now = TaskRecord::Clock::now();
  const auto timed = to_json(*node.governor.find(parent_id + ".0"), now);
  EXPECT_EQ(timed["sent"], timed["started"]);
  EXPECT_EQ(timed["taken"], fossa::node::iso_time(sent));
  EXPECT_EQ(timed["run_started"], fossa::node::iso_time(sent));
  EXPECT_EQ(timed["run_ended"], fossa::node::iso_time(sent));
  EXPECT_EQ(timed["run_seconds"], 0.0);
  EXPECT_EQ(timed["queue_wait_seconds"], timed["duration_seconds"]);
  const auto untimed = to_json(*node.governor.find(parent_id + ".1"), now);
  for (const char* field : {"taken", "run_started", "run_ended", "queue_wait_seconds", "run_seconds"}) {
    EXPECT_TRUE(untimed.contains(field) && untimed[field].is_null()) << field << ": not known, so null: " << untimed.dump();
  }

  const auto times = node.governor.find(parent_id)->subtasks->times;
  EXPECT_EQ(times.run_seconds, 0.0);
  EXPECT_NEAR(times.queue_wait_seconds, timed["duration_seconds"].get<double>(), 1e-3);
  EXPECT_EQ(times.untimed_attempts, 1u);
  EXPECT_NEAR(times.untimed_seconds, untimed["duration_seconds"].get<double>(), 1e-3);
}

TEST(TaskSupervisor, ASubtaskRunHereRunsForItsWholeSpanWithNoQueueWait) {
  Supervised node(2);
  const std::string parent_id = node.post("Fanout");
  FakeWorker& parent = node.worker(0);
  parent.run_subtasks(subtask_specs(1), 1);
  FakeWorker& subtask = node.worker(1);
  subtask.complete();
  node.until([&] { return node.governor.find(parent_id)->subtasks->done == 1; }, "the subtask counted");
  const auto doc = to_json(*node.governor.find(parent_id + ".0"), TaskRecord::Clock::now());
  EXPECT_EQ(doc["queue_wait_seconds"], 0.0) << doc.dump();
  EXPECT_EQ(doc["run_seconds"], doc["duration_seconds"]) << doc.dump();
  EXPECT_EQ(doc["taken"], doc["sent"]);
  const auto times = node.governor.find(parent_id)->subtasks->times;
  EXPECT_EQ(times.untimed_attempts, 0u);
  EXPECT_EQ(times.queue_wait_seconds, 0.0);
  EXPECT_NEAR(times.run_seconds, doc["duration_seconds"].get<double>(), 1e-9);
}
