// ChildProcess: one spawned child, owned. The destructor kills the child's whole process group and
// reaps it, so no child outlives its owner by accident (a task process may have children of its own).
//
// Spawns with posix_spawn (safe from a multi-threaded parent, unlike fork). The child gets its own
// process group; `fd_map` dup2s parent descriptors onto child descriptor numbers. Not thread-safe:
// one owner thread.
#pragma once

#include <sys/types.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ayeaye/error.h"

namespace fossa {

// How a child ended.
struct ExitStatus {
  bool signalled = false;
  int code = 0;    // exit code when !signalled
  int signal = 0;  // signal number when signalled

  bool success() const { return !signalled && code == 0; }
  // "exit code 3", "signal SIGSEGV (Segmentation fault)".
  std::string describe() const;
};

// "SIGSEGV", "SIGKILL", ...
std::string signal_name(int signal);

// A child's environment: `parent`'s entries ("KEY=value", null-terminated) but those whose name is
// in `removed` or set by an entry of `extra`, then `extra` (so an extra entry replaces the
// parent's value rather than follow it, where getenv would never see it).
std::vector<std::string> child_environment(const char* const* parent, const std::vector<std::string>& extra,
                                           const std::vector<std::string>& removed);

// The variables that hold the engine's own secrets: the nodes' API token, the broker's URL (with
// its password), the gateway's passwords. No model needs them, and a model is code from elsewhere:
// no model process gets them (worker processes are spawned without them; `fossa run`, where a
// model runs in the command's own process, drops them first).
const std::vector<std::string>& engine_secrets();

class ChildProcess {
 public:
  struct Options {
    std::string executable;
    std::vector<std::string> arguments;  // argv[1..]
    std::map<int, int> fd_map;           // child fd -> parent fd
    bool own_process_group = true;
    // Extra environment entries ("KEY=value"), added to the parent's environment (replacing its own).
    std::vector<std::string> extra_environment;
    // Names of the parent's environment the child does not get (engine_secrets(), for a model's).
    std::vector<std::string> removed_environment;
  };

  static ayeaye::Result<ChildProcess> spawn(const Options& options);

  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();

  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0 && !status_; }
  // Sends `signal` to the child's process group (or the child alone without its own group).
  void kill(int signal) const;
  // Blocks until the child ends; returns its status (at once if it was already reaped).
  ExitStatus wait();
  // Reaps the child if it has ended, without blocking.
  std::optional<ExitStatus> try_wait();
  // Lets the child go: it is no longer killed or reaped by this object (a daemon's start).
  pid_t release();

 private:
  ChildProcess(pid_t pid, bool group) : pid_(pid), group_(group) {}
  void terminate_and_reap();

  pid_t pid_ = -1;
  bool group_ = true;
  std::optional<ExitStatus> status_;
};

}  // namespace fossa
