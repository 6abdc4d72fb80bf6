#include "in_process_executor.h"

#include "ayeaye/run_task.h"
#include "ayeaye/subtask_ledger.h"

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
  SubtaskLedger ledger(subtasks.size(), retries_);
  while (const auto index = ledger.start_next()) {
    const TaskSpec spec = subtask_spec(subtasks[*index], context, "local:" + std::to_string(*index));
    RelayObserver observer(listener, *index);
    const TaskMessage result = run_task(spec, &observer);
    const auto* failure = std::get_if<TaskFailed>(&result);
    if (ledger.record(*index, failure != nullptr) == SubtaskLedger::Verdict::kRetry) {
      listener.on_subtask_log(*index, retry_log_message(*failure));
    } else {
      listener.on_subtask_result(*index, result);
    }
  }
}

}  // namespace ayeaye
