// Running one task in the current process: create the model from the registry inside the task's
// resolver context, initialise it, call the method, and report the outcome as a task message.
// The building block of every runtime: local pools, node task processes and broker consumers.
#pragma once

#include <functional>
#include <string>

#include "ayeaye/model.h"
#include "ayeaye/partitioned_model.h"
#include "ayeaye/task_message.h"
#include "ayeaye/task_spec.h"

namespace ayeaye {

struct RunTaskHooks {
  ModelObserver* observer = nullptr;
  // Where a partitioned model run with "go" sends its subtasks (null: one after another here).
  SubtaskExecutor* executor = nullptr;
  // Called with the model once the method has returned or thrown, before the model is destroyed.
  std::function<void(const Model&)> inspect;
};

// Never throws: whatever goes wrong (unknown model or method, bad kwargs, an exception from the
// model, a failed check) comes back as a TaskFailed carrying spec.task_id.
TaskMessage run_task(const TaskSpec& spec, const RunTaskHooks& hooks);
TaskMessage run_task(const TaskSpec& spec, ModelObserver* observer = nullptr,
                     SubtaskExecutor* executor = nullptr);

// A TaskFailed carrying the task's fields and a first trace line naming the call; a runtime adds
// exception_class_name and the last trace line ("<type>: <message>").
TaskFailed failure_for(const TaskSpec& spec);

// The TaskFailed for the exception being handled (call inside a catch block).
TaskFailed failure_from_current_exception(const TaskSpec& spec);

// `message` with every secret value of `context` replaced by "***": a TaskFailed's trace and
// resolver_context, a TaskLogMessage's line. For what a runtime records or shows but did not write
// itself: a worker's last output, an answer from a worker that does not know which values are
// secret (Python's ignore x-fossa-secret-keys). A TaskComplete's return value is the model's own
// result and stays as it is.
void redact_secrets(TaskMessage& message, const ResolverContext& context);

// A readable name for the exception being handled, e.g. "std::domain_error".
std::string current_exception_type_name();

}  // namespace ayeaye
