// A talkative model must never wedge a runtime: TalkativeFanout's subtasks each print 100,000
// stdout lines and log 10,000 lines, every one of which the node passes to the parent task's
// input pipe while the parent writes its own log back. A node that blocked on either pipe stopped
// for good (and then ignored SIGTERM); these run the model on one node, across two nodes over a
// private broker, and with `fossa run`, and stop a node in the middle of it. On a node, the parent
// is held at a gate while its subtasks talk, so it reads more slowly than they write for certain:
// lines must then be dropped, and the tests see them counted.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cluster/broker_process.h"
#include "process/pipe.h"
#include "support/command.h"
#include "support/gate.h"
#include "support/node_process.h"

namespace {

using fossa::BrokerProcess;
using fossa::testing::Gate;
using fossa::testing::NodeProcess;
using ::testing::Contains;
using ::testing::Each;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr int kSubtasks = 4;
constexpr long long kStdoutLines = 100'000;
constexpr long long kLogLines = 10'000;

ayeaye::Json talkative_task(long long stdout_lines, long long log_lines) {
  return {{"model_class", "TalkativeFanout"},
          {"resolver_context", {{"subtasks", std::to_string(kSubtasks)},
                                {"stdout_lines", std::to_string(stdout_lines)},
                                {"log_lines", std::to_string(log_lines)}}}};
}

// The gates of a talkative task held as the tests need (tests/fixtures/models/talkative_fanout.cc):
// subtask 0 ends at once; the others talk only once let through `talk`, and wait at their own
// `done` gate once they have said everything; the parent stops reading at `parent` when it hears
// subtask 0 has ended.
struct HeldTalk {
  Gate talk, parent;
  std::vector<Gate> done = std::vector<Gate>(kSubtasks - 1);

  ayeaye::Json task() const {
    auto task = talkative_task(kStdoutLines, kLogLines);
    std::string done_gates;
    for (const auto& gate : done) done_gates += (done_gates.empty() ? "" : ",") + gate.path();
    task["resolver_context"]["talk_gate"] = talk.path();
    task["resolver_context"]["done_gates"] = done_gates;
    task["resolver_context"]["parent_gate"] = parent.path();
    return task;
  }
};

// The document of subtask `index` of `id` on the parent's node, once it has ended there. A
// subtask sent over RabbitMQ has none until its result comes back, a moment after it returned:
// asked again until it has (a hang guard of 2 minutes, not a synchronisation).
ayeaye::Json ended_subtask(const NodeProcess& node, const std::string& id, int index) {
  const std::string path = "/api/0.01/task/" + id + "." + std::to_string(index);
  const auto until = std::chrono::steady_clock::now() + std::chrono::minutes(2);
  while (node.get(path).status == 404 && std::chrono::steady_clock::now() < until) {
  }
  return node.wait_for_end(id + "." + std::to_string(index));
}

// Runs the held task to its end on `node`, the parent's: subtask 0 ends, so its result is queued
// for the parent before any line of the others, and the parent holds on hearing it; the others say
// everything (megabytes, far beyond what the node keeps for a parent) while it reads nothing,
// and end; then it goes on.
void run_with_the_parent_held(const NodeProcess& node, const std::string& id, const HeldTalk& gates) {
  const auto first = ended_subtask(node, id, 0);
  EXPECT_EQ(first["status"], "complete") << first.dump();
  const auto talking = gates.talk.open_for(kSubtasks - 1);
  for (int i = 1; i < kSubtasks; ++i) {
    gates.done[static_cast<std::size_t>(i - 1)].open();  // subtask i has said everything
    const auto doc = ended_subtask(node, id, i);
    EXPECT_EQ(doc["status"], "complete") << "subtask " << i << ": " << doc.dump();
  }
  gates.parent.open();
}

// A process's peak resident set in kB (VmHWM of /proc/<pid>/status), or -1.
long peak_rss_kb(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

// The node's peak footprint, bounded because its queues are: with them (1 MiB of log lines per
// task) it peaked near 18 MB here; holding every line until the parent took it, 137 MB. Generous
// for what the machine adds, tight enough that only an unbounded queue breaks it.
constexpr long kNodePeakRssBoundKb = 100 * 1024;

// Counts the dropped lines the node reports for a parent document; -1 when the field is missing.
long long dropped_lines(const ayeaye::Json& doc) {
  const auto subtasks = doc.find("subtasks");
  if (subtasks == doc.end() || !subtasks->contains("log_lines_dropped")) return -1;
  return (*subtasks)["log_lines_dropped"].get<long long>();
}

// The node's log says how many lines it dropped for `task_id`. The node logs it before it records
// the end, so the line is on its way when the document says "complete".
void expect_drops_logged(NodeProcess& node, const std::string& task_id, long long dropped) {
  const std::string said = std::to_string(dropped) + " subtask log lines dropped";
  node.wait_for_log([&](const std::string& l) { return l.find(task_id) != std::string::npos && l.find(said) != std::string::npos; });
}

// Waits, at most `guard_seconds` (a hang guard, not a synchronisation: a wedged node never sends
// the exit), for process `pid` — a child of this test — to end. The event is the pidfd's.
bool ends_within(pid_t pid, int guard_seconds) {
  fossa::FileDescriptor pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
  if (!pidfd.valid()) return false;
  pollfd fd{pidfd.get(), POLLIN, 0};
  return ::poll(&fd, 1, guard_seconds * 1000) == 1;
}

TEST(Talkative, ThousandsOfLinesPerSubtaskCompleteOnOneNodeWithBoundedMemoryAndTheDroppedLinesCounted) {
  NodeProcess node;
  const HeldTalk gates;
  const std::string id = node.submit(gates.task());
  ASSERT_FALSE(id.empty());
  run_with_the_parent_held(node, id, gates);
  const auto doc = node.wait_for_end(id);  // a hang guard of 5 minutes: a wedged node answers "running"
  ASSERT_EQ(doc["status"], "complete") << doc.dump();
  EXPECT_EQ(doc["subtasks"]["done"], kSubtasks);
  EXPECT_EQ(doc["subtasks"]["failed"], 0);
  const long long dropped = dropped_lines(doc);
  EXPECT_GT(dropped, 0) << "the parent read nothing while three subtasks talked: " << doc.dump();
  EXPECT_LE(dropped, kSubtasks * (kStdoutLines + kLogLines));
  expect_drops_logged(node, id, dropped);
  const long peak = peak_rss_kb(node.pid());
  ASSERT_GT(peak, 0);
  EXPECT_LT(peak, kNodePeakRssBoundKb) << "the node's peak RSS, kB";
}

TEST(Talkative, ThousandsOfLogLinesPerSubtaskCompleteAcrossTwoNodes) {
  auto broker = BrokerProcess::start({});
  ASSERT_TRUE(broker) << broker.error();
  const std::vector<std::string> env{"RABBITMQ_URL=" + (*broker)->amqp_url()};
  NodeProcess parent({"--node-ident", "parent", "--consume-subtasks", "0"}, env);
  NodeProcess worker({"--node-ident", "worker", "--max-concurrent-tasks", std::to_string(kSubtasks)}, env);
  const HeldTalk gates;
  const std::string id = parent.submit(gates.task());
  ASSERT_FALSE(id.empty());
  run_with_the_parent_held(parent, id, gates);
  const auto doc = parent.wait_for_end(id);
  ASSERT_EQ(doc["status"], "complete") << doc.dump();
  EXPECT_EQ(doc["subtasks"]["done"], kSubtasks);
  EXPECT_EQ(doc["subtasks"]["failed"], 0);
  for (int i = 0; i < kSubtasks; ++i) {
    EXPECT_EQ(parent.get("/api/0.01/task/" + id + "." + std::to_string(i)).json()["node"], "worker");
  }
  const long long dropped = dropped_lines(doc);
  EXPECT_GT(dropped, 0) << "the parent read nothing while three subtasks talked: " << doc.dump();
  EXPECT_LE(dropped, kSubtasks * kLogLines) << "over RabbitMQ only log() lines come back";
  expect_drops_logged(parent, id, dropped);
  EXPECT_LT(peak_rss_kb(parent.pid()), kNodePeakRssBoundKb) << "the parent node's peak RSS, kB";
}

TEST(Talkative, ThousandsOfLinesPerSubtaskCompleteWithFossaRun) {
  const auto r = fossa::testing::run_command(
      fossa::testing::fossa_bin(), {"run", "TalkativeFanout", "-c", "stdout_lines=" + std::to_string(kStdoutLines),
                                    "-c", "log_lines=" + std::to_string(kLogLines)});
  EXPECT_EQ(r.exit_code, 0) << r.err.substr(r.err.size() > 2000 ? r.err.size() - 2000 : 0);
  EXPECT_THAT(r.out + r.err, HasSubstr("subtask 3 stdout line 100000"));
}

// The model's own lines reach the node's log (on AWS, CloudWatch Logs) with the job's id — the
// parent's and its subtasks' run here — but only the first --log-model-lines of each task: the
// rest are counted in one warning when it ends.
TEST(Talkative, ANodeRelaysTheFirstOfEachTasksModelLinesWithItsJobIdAndCountsTheRest) {
  NodeProcess node({"--log-format", "json", "--log-model-lines", "2"});
  const std::string id = node.submit(talkative_task(/*stdout_lines=*/2, /*log_lines=*/2));
  ASSERT_FALSE(id.empty());
  const auto doc = node.wait_for_end(id);
  ASSERT_EQ(doc["status"], "complete");
  // The parent's own lines: its log_tail but for its echo of its subtasks' lines.
  int parents_own = 0;
  for (const auto& line : doc["log_tail"]) parents_own += line.get<std::string>().find("[subtask ") == std::string::npos;
  node.wait_for_log([&](const std::string& l) { return l.find("task complete") != std::string::npos; });
  std::map<std::string, int> relayed, not_relayed;  // by task id
  std::vector<std::string> parents_lines;
  for (const auto& text : node.log_lines()) {
    const ayeaye::Json line = ayeaye::Json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!line.is_object() || !line.contains("task_id")) continue;
    EXPECT_EQ(line.value("job_id", std::string()), id) << "a line about job " << id << ": " << text;
    const std::string task = line.value("task_id", std::string());
    if (line.value("from", std::string()) == "model") {
      ++relayed[task];
      if (task == id) parents_lines.push_back(line.value("msg", std::string()));
    }
    if (line.value("msg", std::string()).find("more lines of the model not relayed") != std::string::npos) {
      not_relayed[task] = std::stoi(line.value("msg", std::string()));
    }
  }
  EXPECT_THAT(parents_lines, Contains("talkative parent starts 4 subtasks"));
  EXPECT_THAT(parents_lines, Each(Not(StartsWith("[subtask "))))
      << "the parent's echo of its subtasks' lines is not relayed twice: their own lines are";
  EXPECT_EQ(relayed[id], 2);
  EXPECT_EQ(relayed[id] + not_relayed[id], parents_own) << "the echoes take none of the parent's share";
  for (int i = 0; i < kSubtasks; ++i) {
    const std::string subtask = id + "." + std::to_string(i);
    EXPECT_EQ(relayed[subtask], 2) << subtask << " said 4 lines; the first 2 are relayed";
    EXPECT_EQ(not_relayed[subtask], 2) << subtask << ": the other 2 counted";
  }
}

TEST(Talkative, ANodeStopsOnSigtermWhileItsTaskTalksAndLeavesNoProcessBehind) {
  NodeProcess node;
  // Far more than the node passes on before the signal: the task is still talking when it comes.
  const std::string id = node.submit(talkative_task(10'000'000, 1'000'000));
  ASSERT_FALSE(id.empty());
  node.wait_for_log([&](const std::string& l) { return l.find("task handed 4 subtasks") != std::string::npos; });
  // Until the parent has taken its subtasks' lines (a node that blocks on a pipe is wedged by
  // then). The node logs only the first --log-model-lines of them, so its document is asked, with a guard.
  std::vector<pid_t> pids;
  for (int asks = 0; asks < 100'000; ++asks) {
    const auto doc = node.get("/api/0.01/task/" + id).json();
    if (doc.dump().find("[subtask ") != std::string::npos) {
      pids.push_back(doc.value("pid", 0));
      break;
    }
  }
  ASSERT_EQ(pids.size(), 1u) << "the parent never passed on a subtask line";
  for (int i = 0; i < kSubtasks; ++i) {
    const auto sub = node.get("/api/0.01/task/" + id + "." + std::to_string(i)).json();
    if (sub.contains("pid")) pids.push_back(sub["pid"].get<pid_t>());
  }
  ASSERT_EQ(::kill(node.pid(), SIGTERM), 0);
  // The node stops running tasks at once (no drain) and kills what is left after 5 s.
  ASSERT_TRUE(ends_within(node.pid(), 60)) << "the node did not stop on SIGTERM";
  const auto status = node.stop(SIGTERM);  // already ended: collects its status
  EXPECT_TRUE(status.success()) << status.describe();
  for (pid_t pid : pids) EXPECT_FALSE(fossa::testing::process_alive(pid)) << "task process " << pid << " left behind";
}

}  // namespace
