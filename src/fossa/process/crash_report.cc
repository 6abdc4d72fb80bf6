#include "process/crash_report.h"

#include "ayeaye/run_task.h"

namespace fossa {

ayeaye::TaskFailed crash_failure(const ayeaye::TaskSpec& spec, const WorkerProcess& worker, const ExitStatus& status) {
  ayeaye::TaskFailed failure = ayeaye::failure_for(spec);
  failure.exception_class_name = status.signalled ? "fossa::ProcessKilled" : "fossa::ProcessExited";
  failure.traceback.front() = "worker process " + std::to_string(worker.pid()) + " running " + spec.model_class +
                              "." + spec.method + "(" + spec.method_kwargs.dump() + ")";
  for (const auto& line : worker.output_tail()) failure.traceback.push_back("  " + line);
  failure.traceback.push_back(failure.exception_class_name + ": " +
                              (status.signalled ? "killed by " + status.describe()
                                                : "exited with " + status.describe() + " before reporting a result"));
  return failure;
}

ayeaye::TaskFailed runtime_failure(const ayeaye::TaskSpec& spec, const std::string& exception_class,
                                   const std::string& message, const std::deque<std::string>& output_tail) {
  ayeaye::TaskFailed failure = ayeaye::failure_for(spec);
  failure.exception_class_name = exception_class;
  for (const auto& line : output_tail) failure.traceback.push_back("  " + line);
  failure.traceback.push_back(exception_class + ": " + message);
  return failure;
}

}  // namespace fossa
