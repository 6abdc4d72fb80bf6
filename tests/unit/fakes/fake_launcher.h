// FakeLauncher: worker "processes" the test plays itself. Each launch() makes real pipes (so the
// supervisor's poll loop, queues and readers are the real ones) and a fake process that ends only
// when the test says: the test reads what the supervisor sent the worker and answers as a worker
// would — a result, a log line, a crash — without a process, in microseconds. A fake process
// cannot block, so a wait() on one that has not ended — which in production would stall the node
// until the worker exits — fails the test instead.
#pragma once

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ayeaye/json.h"
#include "ayeaye/task_message.h"
#include "ayeaye/task_spec.h"
#include "process/pipe.h"
#include "process/worker_channel.h"
#include "process/worker_process.h"

namespace fossa::fakes {

class FakeWorker {
 public:
  struct Process : ProcessControl {
    explicit Process(FakeWorker& owner) : worker(owner) {}
    pid_t pid() const override { return worker.pid; }
    void kill(int signal) override {
      worker.signals.push_back(signal);
      if (signal == SIGKILL || (signal == SIGTERM && !worker.ignores_sigterm)) worker.die(signal);
    }
    ExitStatus wait() override {
      if (!worker.status) {
        ADD_FAILURE() << "wait() on worker " << worker.pid << ", which has not ended: a real wait would block the "
                      << "node until it does (wait only once exit_fd() has said it ended, or after SIGKILL)";
        worker.die(SIGKILL);
      }
      return *worker.status;
    }
    std::optional<ExitStatus> try_wait() override { return worker.status; }
    int exit_fd() const override { return worker.exit_event.get(); }
    FakeWorker& worker;
  };

  pid_t pid = 0;
  bool ignores_sigterm = false;
  std::vector<int> signals;           // sent by the supervisor, in order
  std::optional<ExitStatus> status;  // once it has ended
  FileDescriptor jobs;               // read: what the supervisor sent
  FileDescriptor messages;           // write: the worker's messages
  FileDescriptor output;             // write: its stdout and stderr
  FileDescriptor exit_event{::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)};

  // The lines the supervisor sent since the last call.
  std::vector<std::string> take_sent() {
    char chunk[65536];
    ssize_t got = 0;
    while ((got = ::read(jobs.get(), chunk, sizeof chunk)) > 0) pending_.append(chunk, static_cast<std::size_t>(got));
    std::vector<std::string> lines;
    for (std::size_t end; (end = pending_.find('\n')) != std::string::npos; pending_.erase(0, end + 1)) {
      lines.push_back(pending_.substr(0, end));
    }
    return lines;
  }
  // The task specs sent since the last call (other lines are dropped).
  std::vector<ayeaye::TaskSpec> take_tasks() {
    std::vector<ayeaye::TaskSpec> specs;
    for (const auto& line : take_sent()) {
      const auto json = ayeaye::Json::parse(line);
      if (!json.contains("task_id")) continue;
      auto spec = ayeaye::parse_task_spec(json);
      spec->task_id = json["task_id"];
      specs.push_back(*spec);
    }
    return specs;
  }

  void say(const ayeaye::Json& message) { write_all(messages.get(), message.dump() + "\n"); }
  void answer(const ayeaye::TaskMessage& message) { say(ayeaye::to_json(message)); }
  void complete(ayeaye::Json value = nullptr) {
    ayeaye::TaskComplete done;
    done.method_name = "build";
    done.return_value = std::move(value);
    answer(done);
  }
  void fail(const std::string& why) {
    ayeaye::TaskFailed failed;
    failed.exception_class_name = "std::runtime_error";
    failed.traceback = {"std::runtime_error: " + why};
    answer(failed);
  }
  void log(const std::string& line) { answer(ayeaye::TaskLogMessage{line, "INFO"}); }
  void print(const std::string& line) { write_all(output.get(), line + "\n"); }
  // Hands `specs` to the node as a partitioned model's task does, `workers` at once.
  void run_subtasks(const std::vector<ayeaye::TaskSpec>& specs, int workers) {
    ayeaye::Json list = ayeaye::Json::array();
    for (const auto& spec : specs) list.push_back(ayeaye::to_json(spec));
    say({{"type", channel::kRunSubtasks}, {"payload", {{"workers", workers}, {"subtasks", list}}}});
  }

  // The process ends: its output channels close, as a dead process's do.
  void exit(int code) { end(ExitStatus{false, code, 0}); }
  void die(int signal) { end(ExitStatus{true, 0, signal}); }

 private:
  void end(ExitStatus how) {
    if (status) return;
    status = how;
    messages.reset();
    output.reset();
    const std::uint64_t one = 1;
    (void)!::write(exit_event.get(), &one, sizeof one);
  }
  std::string pending_;
};

class FakeLauncher : public WorkerLauncher {
 public:
  ayeaye::Result<std::unique_ptr<WorkerProcess>> launch() override {
    using R = ayeaye::Result<std::unique_ptr<WorkerProcess>>;
    if (refuse_next > 0) {
      --refuse_next;
      return R::fail("fork: Resource temporarily unavailable");
    }
    auto jobs = Pipe::make();
    auto messages = Pipe::make();
    auto output = Pipe::make();
    auto worker = std::make_shared<FakeWorker>();
    worker->pid = 100000 + static_cast<pid_t>(workers.size());
    worker->jobs = std::move(jobs->read_end);
    worker->messages = std::move(messages->write_end);
    worker->output = std::move(output->write_end);
    set_non_blocking(worker->jobs.get());
    workers.push_back(worker);
    return std::make_unique<WorkerProcess>(std::make_unique<FakeWorker::Process>(*worker), std::move(jobs->write_end),
                                           std::move(messages->read_end), std::move(output->read_end));
  }

  int refuse_next = 0;                               // launches that fail, from now
  std::vector<std::shared_ptr<FakeWorker>> workers;  // every worker launched, in order
  // Workers not ended.
  std::vector<FakeWorker*> alive() const {
    std::vector<FakeWorker*> result;
    for (const auto& worker : workers) {
      if (!worker->status) result.push_back(worker.get());
    }
    return result;
  }
};

}  // namespace fossa::fakes
