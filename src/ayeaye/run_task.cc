#include "ayeaye/run_task.h"

#include <cxxabi.h>

#include <cstdlib>
#include <memory>
#include <typeinfo>

#include "ayeaye/registry.h"

namespace ayeaye {
namespace {

std::string demangle(const char* mangled) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> name(abi::__cxa_demangle(mangled, nullptr, nullptr, &status),
                                              std::free);
  return status == 0 && name ? std::string(name.get()) : std::string(mangled);
}

void redact_failure(TaskFailed& failure, const ResolverContext& context) {
  for (auto& line : failure.traceback) line = context.redact(line);
  if (!failure.resolver_context.is_object()) return;
  for (auto& [key, value] : failure.resolver_context.items()) {
    if (value.is_string()) value = context.redact(value.get<std::string>());
  }
}

}  // namespace

TaskFailed failure_for(const TaskSpec& spec) {
  TaskFailed failure;
  failure.model_class_name = spec.model_class;
  failure.model_construction_kwargs = spec.model_construction_kwargs;
  failure.partition_initialise_kwargs = spec.partition_initialise_kwargs;
  failure.method_name = spec.method;
  failure.method_kwargs = spec.method_kwargs;
  failure.resolver_context = spec.resolver_context.display_json();
  if (!spec.task_id.empty()) failure.task_id = spec.task_id;
  failure.traceback.push_back("in " + spec.model_class + "." + spec.method + "(" +
                              spec.method_kwargs.dump() + ")");
  return failure;
}

std::string current_exception_type_name() {
  const std::type_info* type = abi::__cxa_current_exception_type();
  return type != nullptr ? demangle(type->name()) : std::string("unknown exception");
}

TaskFailed failure_from_current_exception(const TaskSpec& spec) {
  TaskFailed failure = failure_for(spec);
  try {
    throw;
  } catch (const SubtaskFailed& e) {
    failure.exception_class_name = "ayeaye::SubtaskFailed";
    failure.failure_origin_task_id = e.failure().task_id;
    for (const auto& line : e.failure().traceback) failure.traceback.push_back("  " + line);
    failure.traceback.push_back(failure.exception_class_name + ": " + e.what());
  } catch (const std::exception& e) {
    failure.exception_class_name = demangle(typeid(e).name());
    failure.traceback.push_back(failure.exception_class_name + ": " + e.what());
  } catch (...) {
    failure.exception_class_name = current_exception_type_name();
    failure.traceback.push_back(failure.exception_class_name + ": (thrown value is not a std::exception)");
  }
  // Every line: a subtask's trace (a crashed worker's last output, a foreign worker's answer)
  // comes in with the subtask's failure, not only the exception's message.
  redact_failure(failure, spec.resolver_context);
  return failure;
}

void redact_secrets(TaskMessage& message, const ResolverContext& context) {
  if (auto* failed = std::get_if<TaskFailed>(&message)) {
    redact_failure(*failed, context);
  } else if (auto* log = std::get_if<TaskLogMessage>(&message)) {
    log->msg = context.redact(log->msg);
  }
}

TaskMessage run_task(const TaskSpec& spec, const RunTaskHooks& hooks) {
  std::unique_ptr<Model> model;
  TaskMessage result;
  try {
    const ModelRegistry& registry = ModelRegistry::instance();
    model = registry.create(spec.model_class, spec.model_construction_kwargs, spec.resolver_context);
    model->set_observer(hooks.observer);
    ResolverContext::Scope scope(spec.resolver_context);
    if (auto* partitioned = dynamic_cast<PartitionedModel*>(model.get())) {
      partitioned->set_executor(hooks.executor);
      // A subtask's fresh instance is initialised; a whole run ("go") is the parent, which isn't.
      if (spec.method != "go") partitioned->partition_initialise(spec.partition_initialise_kwargs);
    }
    Json return_value = registry.invoke(*model, spec.method, spec.method_kwargs);
    model->close_datasets();
    result = TaskComplete{spec.method, spec.method_kwargs, std::move(return_value)};
  } catch (...) {
    if (model) model->abandon_datasets();
    result = failure_from_current_exception(spec);
  }
  if (model && hooks.inspect) hooks.inspect(*model);
  return result;
}

TaskMessage run_task(const TaskSpec& spec, ModelObserver* observer, SubtaskExecutor* executor) {
  return run_task(spec, RunTaskHooks{observer, executor, {}});
}

}  // namespace ayeaye
