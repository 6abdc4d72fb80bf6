// The TaskFailed for a task whose worker process died before answering: killed by a signal
// (fossa::ProcessKilled, naming it) or exited (fossa::ProcessExited), with the worker's last output
// lines — the backtrace its crash handler printed — as the trace. Shared by every runtime.
#pragma once

#include <deque>
#include <string>

#include "ayeaye/task_message.h"
#include "ayeaye/task_spec.h"
#include "process/worker_process.h"

namespace fossa {

ayeaye::TaskFailed crash_failure(const ayeaye::TaskSpec& spec, const WorkerProcess& worker, const ExitStatus& status);

// A TaskFailed for `spec` of class `exception_class` whose trace ends in "<class>: <message>",
// after the last lines the process printed, if given (why a killed process was killed).
ayeaye::TaskFailed runtime_failure(const ayeaye::TaskSpec& spec, const std::string& exception_class,
                                   const std::string& message, const std::deque<std::string>& output_tail = {});

}  // namespace fossa
