// ServerProcess: a server of ours (`fossa node`, `fossa-gateway`) started as a child and ready once
// it has logged a line holding `ready_marker` and its http(s)://127.0.0.1:PORT URL. Its output
// goes to `log_path` (the lines up to the ready one included) from a thread of its own, so it
// never blocks writing. For `fossa cluster` and the benchmarks.
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "ayeaye/error.h"
#include "process/child_process.h"

namespace fossa {

class ServerProcess {
 public:
  // `spawn.fd_map` is set here: stdin /dev/null, stdout and stderr to the log.
  static ayeaye::Result<std::unique_ptr<ServerProcess>> start(ChildProcess::Options spawn, const std::string& ready_marker,
                                                              const std::string& log_path);
  ~ServerProcess();  // stops it as stop(SIGKILL) would, if still running

  const std::string& url() const { return url_; }
  ChildProcess& process() { return *process_; }
  // Sends `signal`, waits for the server to exit and its log to be copied.
  void stop(int signal);

 private:
  ServerProcess() = default;
  std::unique_ptr<ChildProcess> process_;
  std::string url_;
  std::thread log_copier_;
};

}  // namespace fossa
