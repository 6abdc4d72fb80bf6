// `fossa node` over real HTTP: the Fossa API as Python Fossa's own suite exercises it (hello,
// node_info, NothingEtl, LongRunningEtl stopped at shutdown, PartialFailure's origin, a flood of
// concurrent clients), isolation of crashing models, subtask documents, and every kind of bad input.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <cerrno>
#include <atomic>
#include <regex>
#include <thread>

#include "support/command.h"
#include "support/gate.h"
#include "support/node_process.h"

using fossa::testing::NodeProcess;
using fossa::testing::Gate;
using fossa::testing::process_alive;
using ::testing::HasSubstr;

namespace {

const std::string kApi = "/api/0.01";

ayeaye::Json model(const std::string& name) { return {{"model_class", name}}; }

std::string error_of(const fossa::testing::HttpAnswer& answer) {
  const auto json = ayeaye::Json::parse(answer.body, nullptr, false);
  if (!json.is_object() || !json.contains("error") || !json["error"].is_object()) return "(no error) " + answer.body;
  return json["error"].value("message", "(no message) " + answer.body);
}

std::string started_line(NodeProcess& node, const std::string& id) {
  return node.wait_for_log([&](const std::string& l) {
    return l.find("task started") != std::string::npos && l.find("task_id=" + id) != std::string::npos;
  });
}

// True while any process is left in the process group `pgid` (a task process leads its own).
bool process_group_alive(pid_t pgid) { return ::kill(-pgid, 0) == 0 || errno != ESRCH; }

bool logged(NodeProcess& node, const std::string& what, const std::string& id) {
  const auto lines = node.log_lines();
  return std::any_of(lines.begin(), lines.end(), [&](const std::string& l) {
    return l.find(what) != std::string::npos && l.find("task_id=" + id) != std::string::npos;
  });
}

}  // namespace

TEST(NodeApi, SaysHelloWorld) {
  NodeProcess node;
  const auto answer = node.get(kApi + "/");
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.json(), ayeaye::Json({{"hello", "world"}}));
  EXPECT_THAT(answer.content_type, HasSubstr("application/json"));
}

TEST(NodeApi, NodeInfoHasTheProtocolFields) {
  NodeProcess node({"--max-concurrent-tasks", "3", "--node-ident", "test-node"});
  const auto info = node.get(kApi + "/node_info").json();
  EXPECT_EQ(info["node_info"]["node_ident"], "test-node");
  EXPECT_EQ(info["node_info"]["max_concurrent_tasks"], 3);
  EXPECT_EQ(info["node_info"]["available_processing_capacity"], 3);
  EXPECT_TRUE(info["running_tasks"].is_array());
  EXPECT_TRUE(info["recent_completed_tasks"].is_array());
}

TEST(NodeApi, NothingEtlCompletesWithFinishedAndAnAbsoluteLinkOnTheCalledHost) {
  NodeProcess node;
  const auto answer = node.post(kApi + "/task", model("NothingEtl").dump());
  ASSERT_EQ(answer.status, 200) << answer.body;
  const auto submitted = answer.json();
  const std::string id = submitted["task_id"];
  EXPECT_EQ(submitted["_metadata"]["links"]["task"], node.url() + kApi + "/task/" + id);
  EXPECT_TRUE(submitted["governor_accepted_ident"].is_string());

  const auto doc = node.wait_for_end(id);
  EXPECT_EQ(doc["status"], "complete");
  EXPECT_TRUE(doc.contains("finished"));
  EXPECT_EQ(doc["results"]["type"], "TaskComplete");
  for (const char* field : {"task_id", "model_class", "method", "method_kwargs", "resolver_context",
                            "model_construction_kwargs", "partition_initialise_kwargs", "started"}) {
    EXPECT_TRUE(doc.contains(field)) << field;
  }
  const auto info = node.get(kApi + "/node_info").json();
  ASSERT_EQ(info["recent_completed_tasks"].size(), 1u);
  EXPECT_EQ(info["recent_completed_tasks"][0]["task_id"], id);
  EXPECT_EQ(info["node_info"]["available_processing_capacity"], info["node_info"]["max_concurrent_tasks"]);
}

TEST(NodeApi, LongRunningEtlRunsThenIsTerminatedAtShutdownLeavingNoProcess) {
  NodeProcess node;
  const std::string id = node.submit(model("LongRunningEtl"));
  ASSERT_FALSE(id.empty());
  const std::string started = node.wait_for_log([&](const std::string& l) {
    return l.find("task started") != std::string::npos && l.find("task_id=" + id) != std::string::npos;
  });
  std::smatch match;
  ASSERT_TRUE(std::regex_search(started, match, std::regex(R"(pid=(\d+))"))) << started;
  const pid_t task_pid = std::stoi(match[1]);
  EXPECT_TRUE(process_alive(task_pid));
  const auto doc = node.get(kApi + "/task/" + id).json();
  EXPECT_EQ(doc["status"], "running");
  EXPECT_EQ(doc["pid"], task_pid);
  EXPECT_EQ(node.get(kApi + "/node_info").json()["running_tasks"][0]["task_id"], id);

  const auto status = node.stop(SIGTERM);
  EXPECT_TRUE(status.success()) << status.describe();
  EXPECT_FALSE(process_alive(task_pid)) << "task process " << task_pid << " outlived its node";
  bool recorded = false;
  for (const auto& line : node.log_lines()) {
    if (line.find("task failed") != std::string::npos && line.find("fossa::NodeShutdown") != std::string::npos) recorded = true;
  }
  EXPECT_TRUE(recorded) << "the stopped task was not recorded as failed";
}

TEST(NodeApi, WithADrainPeriodARunningTaskFinishesAfterSigtermAndNothingNewIsTaken) {
  Gate gate;
  NodeProcess node({"--drain-seconds", "600"});
  const std::string id = node.submit({{"model_class", "GateEtl"}, {"resolver_context", {{"gate", gate.path()}}}});
  ASSERT_FALSE(id.empty());
  started_line(node, id);

  ASSERT_EQ(::kill(node.pid(), SIGTERM), 0);
  node.wait_for_log([](const std::string& l) { return l.find("letting running ones finish") != std::string::npos; });
  EXPECT_EQ(node.post(kApi + "/task", model("NothingEtl").dump()).status, 503) << "a draining node takes no new task";
  EXPECT_EQ(node.get("/readyz").status, 503);
  EXPECT_EQ(node.get(kApi + "/task/" + id).json()["status"], "running");

  gate.open();
  const auto status = node.stop(SIGTERM);  // already stopping: this one only waits for the exit
  EXPECT_TRUE(status.success()) << status.describe();
  EXPECT_TRUE(logged(node, "task complete", id)) << "the task did not finish during the drain";
  EXPECT_FALSE(logged(node, "NodeShutdown", id));
}

TEST(NodeApi, ATaskStillRunningAtTheEndOfTheDrainIsStopped) {
  Gate gate;  // never opened
  NodeProcess node({"--drain-seconds", "1"});
  const std::string id = node.submit({{"model_class", "GateEtl"}, {"resolver_context", {{"gate", gate.path()}}}});
  ASSERT_FALSE(id.empty());
  std::smatch match;
  const std::string started = started_line(node, id);
  ASSERT_TRUE(std::regex_search(started, match, std::regex(R"(pid=(\d+))"))) << started;
  const pid_t task_pid = std::stoi(match[1]);

  const auto status = node.stop(SIGTERM);
  EXPECT_TRUE(status.success()) << status.describe();
  EXPECT_TRUE(logged(node, "fossa::NodeShutdown", id)) << "the task outliving the drain was not recorded as stopped";
  EXPECT_FALSE(process_alive(task_pid)) << "task process " << task_pid << " outlived its node";
}

TEST(NodeApi, PartialFailureFailsAndItsOriginResolvesToTheFailedSubtask) {
  NodeProcess node({"--max-concurrent-tasks", "4"});
  const std::string id = node.submit(model("PartialFailure"));
  ASSERT_FALSE(id.empty());
  const auto doc = node.wait_for_end(id);
  ASSERT_EQ(doc["status"], "failed") << doc.dump();
  const std::string origin = doc["results"]["payload"]["failure_origin_task_id"];

  const auto sub = node.get(kApi + "/task/" + origin);
  ASSERT_EQ(sub.status, 200) << origin;
  const auto sub_doc = sub.json();
  EXPECT_EQ(sub_doc["status"], "failed");
  EXPECT_EQ(sub_doc["parent_task_id"], id);
  EXPECT_EQ(sub_doc["method"], "do_something");
  EXPECT_EQ(sub_doc["results"]["payload"]["exception_class_name"], "std::domain_error");
  EXPECT_EQ(sub_doc["attempts"], 2) << "a failed subtask is run once more before it fails the parent";
  EXPECT_EQ(sub_doc["results"]["payload"]["traceback"].back(), "std::domain_error: division by zero");
}

TEST(NodeApi, PartitionedModelRunsEverySubtaskWithItsOwnDocument) {
  NodeProcess node({"--max-concurrent-tasks", "4"});
  const std::string id = node.submit({{"model_class", "PartitionedExampleEtl"}, {"resolver_context", {{"complexity", "2"}}}});
  ASSERT_FALSE(id.empty());
  const auto doc = node.wait_for_end(id);
  ASSERT_EQ(doc["status"], "complete") << doc.dump();
  EXPECT_EQ(doc["subtasks"]["total"], 16);
  EXPECT_EQ(doc["subtasks"]["done"], 16);
  EXPECT_EQ(doc["subtasks"]["failed"], 0);
  for (int i = 0; i < 16; ++i) {
    const auto sub = node.get(kApi + "/task/" + id + "." + std::to_string(i)).json();
    EXPECT_EQ(sub["status"], "complete") << i;
    EXPECT_EQ(sub["parent_task_id"], id);
    EXPECT_EQ(sub["resolver_context"]["complexity"], "2");
  }
  EXPECT_THAT(node.get("/metrics").body, HasSubstr("fossa_subtasks_completed_total 16"));
}

TEST(NodeApi, SubtasksRunAsParallelProcessesWithinTheSlotsLeftByOtherTasks) {
  // Of 4 slots, a task at a gate holds one all along; a partitioned task that wants 4 workers gets
  // the other 3 (its own, lent, and 2 borrowed). They start together, and each one that ends hands
  // its slot to the next, so the processes at work are exactly 4 at their peak: 3 subtasks at once,
  // and not a fourth that took a slot held by the other task.
  Gate gate;
  NodeProcess node({"--max-concurrent-tasks", "4"});
  const std::string gated = node.submit({{"model_class", "GateEtl"}, {"resolver_context", {{"gate", gate.path()}}}});
  ASSERT_FALSE(gated.empty());
  started_line(node, gated);
  const std::string id = node.submit({{"model_class", "PartitionedExampleEtl"}, {"resolver_context", {{"complexity", "2"}}}});
  ASSERT_FALSE(id.empty());
  const auto doc = node.wait_for_end(id);
  ASSERT_EQ(doc["status"], "complete") << doc.dump();
  EXPECT_EQ(doc["subtasks"]["done"], 16);

  const auto metrics = node.get("/metrics").body;
  std::smatch peak;
  ASSERT_TRUE(std::regex_search(metrics, peak, std::regex(R"(fossa_task_processes_running_peak (\d+))"))) << metrics;
  EXPECT_EQ(std::stoi(peak[1]), 4) << "task processes at work at once, with 4 slots";
  gate.open();
  EXPECT_EQ(node.wait_for_end(gated)["status"], "complete");
  EXPECT_THAT(node.get("/metrics").body, HasSubstr("fossa_task_processes_running 0\n"));
}

TEST(NodeApi, ModelLogAndOutputLinesReachTheTaskDocumentsTaggedWithTheirSubtask) {
  NodeProcess node({"--max-concurrent-tasks", "2"});
  const std::string id = node.submit({{"model_class", "TalkativeFanout"},
                                      {"resolver_context", {{"subtasks", "3"}, {"log_lines", "2"}, {"stdout_lines", "2"}}}});
  ASSERT_FALSE(id.empty());
  const auto doc = node.wait_for_end(id);
  ASSERT_EQ(doc["status"], "complete") << doc.dump();
  const auto parent_tail = doc["log_tail"].get<std::vector<std::string>>();
  EXPECT_THAT(parent_tail, ::testing::Contains("INFO talkative parent starts 3 subtasks"));
  for (int i = 0; i < 3; ++i) {
    const std::string subtask = "subtask " + std::to_string(i);
    std::vector<std::string> lines;  // what the subtask said, in its own document
    for (const std::string kind : {"log", "stdout"}) {
      for (int n = 1; n <= 2; ++n) {
        const std::string line = subtask + " " + kind + " line " + std::to_string(n);
        lines.push_back(kind == "log" ? "INFO " + line : line);
        // The parent heard it, under the subtask's tag, once.
        EXPECT_EQ(std::count(parent_tail.begin(), parent_tail.end(), "INFO [" + subtask + "] " + line), 1)
            << line << " in " << doc["log_tail"].dump();
      }
    }
    const auto sub = node.get(kApi + "/task/" + id + "." + std::to_string(i)).json();
    EXPECT_THAT(sub["log_tail"].get<std::vector<std::string>>(), ::testing::UnorderedElementsAreArray(lines))
        << sub.dump();
  }
}

TEST(NodeApi, ASegfaultingModelFailsOnlyItsOwnTask) {
  NodeProcess node;
  const std::string id = node.submit(model("SegfaultEtl"));
  ASSERT_FALSE(id.empty());
  const auto doc = node.wait_for_end(id);
  ASSERT_EQ(doc["status"], "failed");
  EXPECT_EQ(doc["results"]["payload"]["exception_class_name"], "fossa::ProcessKilled");
  EXPECT_THAT(doc["results"]["payload"]["traceback"].back().get<std::string>(), HasSubstr("SIGSEGV"));
  // The node lives on.
  const std::string next = node.submit(model("NothingEtl"));
  EXPECT_EQ(node.wait_for_end(next)["status"], "complete");
}

TEST(NodeApi, NonsenseFromATaskProcessFailsOnlyThatTask) {
  NodeProcess node;
  const std::string id = node.submit(model("ChannelVandalEtl"));
  ASSERT_FALSE(id.empty());
  const auto doc = node.wait_for_end(id);
  ASSERT_EQ(doc["status"], "failed") << doc.dump();
  EXPECT_EQ(doc["results"]["payload"]["exception_class_name"], "fossa::ProtocolError");
  EXPECT_THAT(doc["results"]["payload"]["traceback"].dump(), HasSubstr("unreadable message from the task process"));
  const std::string next = node.submit(model("NothingEtl"));
  EXPECT_EQ(node.wait_for_end(next)["status"], "complete");
}

TEST(NodeApi, CrashingSubtasksFailTheirParentNotTheNode) {
  NodeProcess node({"--max-concurrent-tasks", "2"});
  const std::string id = node.submit({{"model_class", "CrashingSubtasks"}, {"resolver_context", {{"crash", "abort"}}}});
  ASSERT_FALSE(id.empty());
  const auto doc = node.wait_for_end(id);
  ASSERT_EQ(doc["status"], "failed") << doc.dump();
  const std::string origin = doc["results"]["payload"]["failure_origin_task_id"];
  const auto sub = node.get(kApi + "/task/" + origin).json();
  EXPECT_EQ(sub["results"]["payload"]["exception_class_name"], "fossa::ProcessKilled");
  EXPECT_THAT(sub["results"]["payload"]["traceback"].back().get<std::string>(), HasSubstr("SIGABRT"));
  EXPECT_EQ(node.get(kApi + "/").status, 200);
}

TEST(NodeApi, ATaskOverItsTimeLimitIsKilledAndFailed) {
  NodeProcess node({"--task-time-limit", "1"});
  const std::string id = node.submit(model("LongRunningEtl"));
  ASSERT_FALSE(id.empty());
  const std::string started = started_line(node, id);
  std::smatch match;
  ASSERT_TRUE(std::regex_search(started, match, std::regex(R"(pid=(\d+))"))) << started;
  const pid_t task_pid = std::stoi(match[1]);
  const auto doc = node.wait_for_end(id);
  ASSERT_EQ(doc["status"], "failed");
  EXPECT_EQ(doc["results"]["payload"]["exception_class_name"], "fossa::TimeLimitExceeded");
  // The failure is recorded once the process is reaped, so by now nothing of it may be left: not
  // the process, nor anything in the process group it leads.
  EXPECT_FALSE(process_alive(task_pid)) << "task process " << task_pid << " outlived its time limit";
  EXPECT_FALSE(process_group_alive(task_pid)) << "the process group of task process " << task_pid << " lives on";
}

TEST(NodeApi, AFloodOfConcurrentClientsNeverRunsMoreThanCapacity) {
  constexpr int kCapacity = 3;
  constexpr int kClients = 12;
  constexpr int kPostsPerClient = 4;
  NodeProcess node({"--max-concurrent-tasks", std::to_string(kCapacity)});
  std::atomic<int> accepted{0};
  std::atomic<int> rejected{0};
  std::atomic<int> other{0};
  std::mutex ids_mutex;
  std::vector<std::string> ids;
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&] {
      for (int i = 0; i < kPostsPerClient; ++i) {
        const auto answer = node.post(kApi + "/task", model("HalfSecondEtl").dump());
        if (answer.status == 200) {
          ++accepted;
          std::lock_guard lock(ids_mutex);
          ids.push_back(answer.json()["task_id"]);
        } else if (answer.status == 503 && error_of(answer) == "Node at full capacity and can't accept new tasks") {
          ++rejected;
        } else {
          ++other;
        }
      }
    });
  }
  for (auto& client : clients) client.join();
  EXPECT_EQ(accepted + rejected, kClients * kPostsPerClient);
  EXPECT_EQ(other, 0);
  EXPECT_GE(accepted, kCapacity);

  // Every accepted task completes; their running intervals never overlap more than capacity deep.
  std::vector<std::pair<std::string, int>> edges;  // (time, +1 start / -1 end); ISO times sort as text
  for (const auto& id : ids) {
    const auto doc = node.wait_for_end(id);
    ASSERT_EQ(doc["status"], "complete") << doc.dump();
    edges.emplace_back(doc["started"], +1);
    edges.emplace_back(doc["finished"], -1);
  }
  std::sort(edges.begin(), edges.end());  // an end sorts before a start at the same instant
  int running = 0;
  int deepest = 0;
  for (const auto& [time, delta] : edges) deepest = std::max(deepest, running += delta);
  EXPECT_LE(deepest, kCapacity);
  const auto metrics = node.get("/metrics").body;
  EXPECT_THAT(metrics, HasSubstr("fossa_tasks_accepted_total " + std::to_string(accepted.load())));
  EXPECT_THAT(metrics, HasSubstr("fossa_tasks_rejected_total{reason=\"capacity\"} " + std::to_string(rejected.load())));
  EXPECT_THAT(metrics, HasSubstr("fossa_tasks_running_peak " + std::to_string(std::min(deepest, kCapacity))));
}

TEST(NodeApi, BadInputGetsAClearErrorAndTheRightStatus) {
  NodeProcess node({"--accepted-models", "NothingEtl,PartialFailure", "--max-body-bytes", "4096"});
  struct Case {
    std::string body;
    int status;
    std::string message_part;
  };
  const std::vector<Case> cases = {
      {"not json", 400, "not JSON"},
      {"[1, 2]", 400, "must be a JSON object, got array"},
      {R"({"method": "go"})", 400, "'model_class' is a mandatory field"},
      {R"({"model_class": 7})", 400, "model_class"},
      {R"({"model_class": "NothingEtl", "method_kwargs": "x=1"})", 400, "task field 'method_kwargs' must be a JSON object, got a string"},
      {R"({"model_class": "NothingEtl", "resolver_context": [1]})", 400, "resolver_context"},
      {R"({"model_class": "NothingEtl", "method": "nope"})", 400, "has no method 'nope'"},
      {R"({"model_class": "NoSuchModel"})", 412, "'NoSuchModel' is not in the list of accepted classes"},
      {R"({"model_class": "HalfSecondEtl"})", 412, "not in the list of accepted classes"},
      {R"({"model_class": ")" + std::string(5000, 'x') + "\"}", 413, "larger than this node accepts"},
  };
  for (const auto& c : cases) {
    const auto answer = node.post(kApi + "/task", c.body);
    EXPECT_EQ(answer.status, c.status) << c.body.substr(0, 80) << " -> " << answer.body;
    EXPECT_THAT(error_of(answer), HasSubstr(c.message_part)) << c.body.substr(0, 80);
  }
  const auto unknown_path = node.get("/api/0.01/nothing-here");
  EXPECT_EQ(unknown_path.status, 404);
  EXPECT_THAT(error_of(unknown_path), HasSubstr("no such path: GET /api/0.01/nothing-here"));
  const auto unknown_task = node.get(kApi + "/task/no-such-task");
  EXPECT_EQ(unknown_task.status, 404);
  EXPECT_EQ(unknown_task.json(), ayeaye::Json({{"message", "task unknown"}}));
  EXPECT_EQ(node.get(kApi + "/task/x?wait=forever").status, 400);
  EXPECT_EQ(node.get(kApi + "/task").status, 405);

  // Nothing else was disturbed.
  const std::string id = node.submit(model("NothingEtl"));
  EXPECT_EQ(node.wait_for_end(id)["status"], "complete");
  EXPECT_THAT(node.get("/metrics").body, HasSubstr("fossa_tasks_rejected_total{reason=\"model\"} 2"));
}

TEST(NodeApi, BadConfigurationStopsTheNodeBeforeItStarts) {
  for (const auto& [args, env, message] :
       std::vector<std::tuple<std::vector<std::string>, std::vector<std::string>, std::string>>{
           {{}, {"FOSSA_MAX_CONCURRENT_TASKS=lots"}, "FOSSA_MAX_CONCURRENT_TASKS: expected a whole number, got 'lots'"},
           {{}, {"FOSSA_HTTP_PORT=70000"}, "FOSSA_HTTP_PORT: must be at most 65535, got 70000"},
           {{"--port=-1"}, {"FOSSA_HTTP_PORT=80"}, "--port: must be at least 0, got -1"},
           {{}, {"FOSSA_LOG_FORMAT=xml"}, "FOSSA_LOG_FORMAT: expected text or json"},
           {{"--accepted-models", "Nope"}, {}, "--accepted-models: 'Nope' is not a model of this program"}}) {
    std::vector<std::string> full = {"node"};
    full.insert(full.end(), args.begin(), args.end());
    const auto r = fossa::testing::run_command(fossa::testing::fossa_bin(), full, env);
    EXPECT_EQ(r.exit_code, 2) << message;
    EXPECT_THAT(r.err, HasSubstr(message));
  }
}

TEST(NodeApi, OperationsEndpointsAndJsonLogs) {
  NodeProcess node({}, {"FOSSA_LOG_FORMAT=json"});
  EXPECT_EQ(node.get("/healthz").json()["status"], "ok");
  EXPECT_EQ(node.get("/readyz").json()["status"], "ready");
  const std::string id = node.submit(model("NothingEtl"));
  node.wait_for_end(id);
  const auto metrics = node.get("/metrics");
  EXPECT_THAT(metrics.content_type, HasSubstr("text/plain"));
  for (const char* family : {"fossa_tasks_accepted_total 1", "fossa_tasks_completed_total 1", "fossa_tasks_failed_total 0",
                             "fossa_tasks_running 0", "fossa_capacity ", "# TYPE fossa_task_duration_seconds histogram",
                             "fossa_task_duration_seconds_count 1"}) {
    EXPECT_THAT(metrics.body, HasSubstr(family));
  }
  node.stop(SIGINT);
  // The node's own events, with their fields as JSON keys. (A model's lines are not among them: they
  // go to its task document's log_tail, proven above.)
  bool saw_task_complete = false;
  for (const auto& line : node.log_lines()) {
    const auto json = ayeaye::Json::parse(line, nullptr, false);
    ASSERT_TRUE(json.is_object()) << "not a JSON log line: " << line;
    EXPECT_TRUE(json.contains("time") && json.contains("level") && json.contains("msg")) << line;
    if (json.value("msg", "") == "task complete" && json.value("task_id", "") == id &&
        json.value("model_class", "") == "NothingEtl" && json.value("level", "") == "info") {
      saw_task_complete = true;
    }
  }
  EXPECT_TRUE(saw_task_complete) << "no JSON line for the task's end, with its task_id and model_class";
}
