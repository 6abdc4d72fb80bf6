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

class ChildProcess {
 public:
  struct Options {
    std::string executable;
    std::vector<std::string> arguments;  // argv[1..]
    std::map<int, int> fd_map;           // child fd -> parent fd
    bool own_process_group = true;
    // Extra environment entries ("KEY=value"), added to the parent's environment.
    std::vector<std::string> extra_environment;
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
