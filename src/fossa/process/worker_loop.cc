// The worker process's side of the worker channel (see worker_process.h).
#include <execinfo.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>

#include "ayeaye/json_input.h"
#include "ayeaye/run_task.h"
#include "process/channel_executor.h"
#include "process/pipe.h"
#include "process/worker_channel.h"
#include "process/worker_process.h"

namespace fossa {
namespace {

// What the worker is running, for the crash handler (a fixed buffer: no allocation in a handler).
char current_task[512] = "no task";

void on_fatal_signal(int signal) {
  const char* name = sigabbrev_np(signal);
  char head[700];
  const int n = std::snprintf(head, sizeof head, "fatal signal SIG%s while running %s; stack:\n",
                              name != nullptr ? name : "?", current_task);
  if (n > 0) (void)!::write(STDERR_FILENO, head, static_cast<std::size_t>(n));
  void* frames[64];
  const int depth = ::backtrace(frames, 64);
  ::backtrace_symbols_fd(frames, depth, STDERR_FILENO);
  ::signal(signal, SIG_DFL);
  ::raise(signal);
}

void install_crash_handlers() {
  // backtrace() loads libgcc on first use; do it now, not inside the handler.
  void* warm[1];
  ::backtrace(warm, 1);
  for (int signal : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) ::signal(signal, on_fatal_signal);
}

// Sends a model's log lines to the parent as TaskLogMessages.
class ChannelObserver : public ayeaye::ModelObserver {
 public:
  void on_log(ayeaye::LogLevel level, std::string_view message) override {
    const ayeaye::TaskLogMessage log{std::string(message), std::string(ayeaye::to_string(level))};
    write_all(kMessagesFd, ayeaye::to_json(log).dump() + "\n");
  }
};

}  // namespace

int run_worker_loop() {
  // Die with the parent: a worker must never be left behind by a parent that was killed.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  install_crash_handlers();
  std::FILE* jobs = ::fdopen(kJobsFd, "r");
  if (jobs == nullptr) {
    std::cerr << "fossa __worker is started by fossa itself, with a task channel on fd 3\n";
    return 2;
  }
  ChannelObserver observer;
  char* line = nullptr;
  std::size_t capacity = 0;
  while (::getline(&line, &capacity, jobs) > 0) {
    ayeaye::TaskMessage result;
    auto parsed = ayeaye::parse_json(line);
    const ayeaye::Json body = parsed ? std::move(parsed).value() : ayeaye::Json(ayeaye::Json::value_t::discarded);
    auto spec = ayeaye::parse_task_spec(body);
    if (!spec) {
      ayeaye::TaskFailed failed;
      failed.exception_class_name = "ayeaye::Error";
      failed.traceback = {"ayeaye::Error: worker got a task it cannot read: " + spec.error()};
      result = failed;
    } else {
      if (auto id = body.find("task_id"); id != body.end() && id->is_string()) spec->task_id = id->get<std::string>();
      std::snprintf(current_task, sizeof current_task, "%s.%s (task %s)", spec->model_class.c_str(),
                    spec->method.c_str(), spec->task_id.c_str());
      std::optional<ChannelExecutor> to_node;
      if (auto offered = body.find(channel::kSubtaskCapacityField);
          offered != body.end() && offered->is_number_integer() && offered->get<int>() > 0) {
        to_node.emplace(jobs, offered->get<int>());
      }
      result = ayeaye::run_task(*spec, &observer, to_node ? &*to_node : nullptr);
      std::snprintf(current_task, sizeof current_task, "no task");
    }
    std::cout.flush();
    std::cerr.flush();
    if (!write_all(kMessagesFd, ayeaye::to_json(result).dump() + "\n")) break;
  }
  std::free(line);
  std::fclose(jobs);
  return 0;
}

}  // namespace fossa
