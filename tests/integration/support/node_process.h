// A real `fossa node` for tests (or another server of ours that logs a ready line with its
// http://127.0.0.1:PORT/ URL, like fossa-gateway): started on a free port of 127.0.0.1, its stderr
// log collected line by line on a thread, so a test can wait for a log line (the ready line, a
// task's start) instead of sleeping. Also a small HTTP client bound to the node.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "ayeaye/json.h"
#include "net/http.h"
#include "process/child_process.h"

namespace fossa::testing {

struct HttpAnswer {
  int status = 0;
  std::string body;
  std::string content_type;
  ayeaye::Json json() const;  // the body as JSON (discarded when it is not)
};

class NodeProcess {
 public:
  // Starts `fossa node --bind 127.0.0.1 --port 0 <args>` with `env` added, and waits for its
  // ready line (failing the test, by exception, if it exits first).
  explicit NodeProcess(const std::vector<std::string>& args = {}, const std::vector<std::string>& env = {});
  // Any server of ours: `executable arguments` with `environment` added, ready once it logs a
  // line containing `ready_marker` and its URL.
  struct Launch {
    std::string executable;
    std::vector<std::string> arguments;
    std::vector<std::string> environment;
    std::string ready_marker;
  };
  explicit NodeProcess(const Launch& launch);
  ~NodeProcess();

  const std::string& url() const { return url_; }  // "http://127.0.0.1:PORT"
  int port() const { return port_; }
  pid_t pid() const { return process_->pid(); }

  HttpAnswer get(const std::string& path) const;
  HttpAnswer post(const std::string& path, const std::string& body) const;
  // POSTs a task body; returns the task id, or "" when refused.
  std::string submit(const ayeaye::Json& body) const;
  // The task document once the task has ended (long poll on ?wait=), or still running after two
  // minutes (a hang guard).
  ayeaye::Json wait_for_end(const std::string& task_id) const;

  // Far beyond what a passing test waits for a line (seconds), so only a regression reaches it,
  // and fails in minutes rather than at CTest's timeout.
  static constexpr std::chrono::seconds kDefaultLogWait{120};

  // Waits for a stderr line matching `predicate` (seen before or after the call) and returns it.
  // Throws, quoting the last lines and naming `what` (the line waited for), when the log ends or
  // `timeout` passes first.
  std::string wait_for_log(const std::function<bool(const std::string&)>& predicate,
                           std::chrono::milliseconds timeout = kDefaultLogWait,
                           const std::string& what = "the line the test waits for");
  // Waits for a stderr line containing `text`, as above.
  std::string wait_for_log(const std::string& text, std::chrono::milliseconds timeout = kDefaultLogWait);
  std::vector<std::string> log_lines();

  // Sends `signal` and waits for the node to exit.
  ExitStatus stop(int signal);

 private:
  void read_log(int fd);
  std::string last_lines() const;

  std::string name_;  // "fossa node", for messages

  std::unique_ptr<ChildProcess> process_;
  std::thread reader_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> lines_;
  bool log_closed_ = false;
  std::string url_;
  int port_ = 0;
  std::optional<ExitStatus> exit_status_;
};

// True while `pid` names a live process (a zombie counts as gone).
bool process_alive(pid_t pid);

}  // namespace fossa::testing
