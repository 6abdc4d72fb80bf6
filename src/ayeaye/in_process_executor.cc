#include "in_process_executor.h"

#include "ayeaye/run_task.h"

namespace ayeaye {
namespace {

// Relays a subtask's log lines to the listener, tagged with the subtask's index.
class RelayObserver : public ModelObserver {
 public:
  RelayObserver(SubtaskListener& listener, std::size_t index) : listener_(listener), index_(index) {}
  void on_log(LogLevel level, std::string_view message) override {
    listener_.on_subtask_log(index_, TaskLogMessage{std::string(message), std::string(to_string(level))});
  }

 private:
  SubtaskListener& listener_;
  std::size_t index_;
};

}  // namespace

void InProcessExecutor::run(const std::vector<TaskPartition>& subtasks, int /*workers*/,
                            const ResolverContext& context, SubtaskListener& listener) {
  for (std::size_t i = 0; i < subtasks.size(); ++i) {
    const TaskSpec spec = subtask_spec(subtasks[i], context, "local:" + std::to_string(i));
    RelayObserver observer(listener, i);
    TaskMessage result = run_task(spec, &observer);
    for (int attempt = 0; attempt < retries_ && std::holds_alternative<TaskFailed>(result); ++attempt) {
      listener.on_subtask_log(i, TaskLogMessage{"failed (" + std::get<TaskFailed>(result).exception_class_name +
                                                    "); running it again",
                                                "WARNING"});
      result = run_task(spec, &observer);
    }
    listener.on_subtask_result(i, result);
  }
}

}  // namespace ayeaye
