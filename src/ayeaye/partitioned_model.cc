#include "ayeaye/partitioned_model.h"

#include <algorithm>

#include "in_process_executor.h"

namespace ayeaye {
namespace {

std::string describe_failure(const TaskFailed& failure) {
  std::string text = "subtask ";
  text += failure.task_id ? *failure.task_id : std::string("?");
  text += " (" + failure.method_name + " " + failure.method_kwargs.dump() + ") failed: ";
  text += failure.exception_class_name;
  if (const std::string message = failure.message(); !message.empty()) text += ": " + message;
  return text;
}

}  // namespace

// Feeds subtask output back into the parent model.
class PartitionedModel::Listener : public SubtaskListener {
 public:
  explicit Listener(PartitionedModel& model) : model_(model) {}

  void on_subtask_log(std::size_t index, const TaskLogMessage& message) override {
    const auto level = parse_log_level(message.level).value_or(LogLevel::kInfo);
    model_.log("[subtask " + std::to_string(index) + "] " + message.msg, level);
  }

  void on_subtask_result(std::size_t /*index*/, const TaskMessage& result) override {
    auto& counts = model_.counts_;
    if (const auto* complete = std::get_if<TaskComplete>(&result)) {
      ++counts.complete;
      model_.partition_subtask_complete(complete->method_name, complete->method_kwargs,
                                        complete->return_value);
    } else if (const auto* failed = std::get_if<TaskFailed>(&result)) {
      ++counts.failed;
      model_.partition_subtask_failed(*failed);
    }
    const double done = static_cast<double>(counts.complete + counts.failed);
    model_.log_progress(done / static_cast<double>(std::max<std::size_t>(counts.total, 1)));
  }

 private:
  PartitionedModel& model_;
};


int choose_worker_count(const PartitionPlea& plea, int capacity) {
  int workers = plea.optimal < capacity ? plea.optimal : capacity;
  workers = std::min(workers, plea.maximum);
  workers = std::max(workers, plea.minimum);
  return std::max(workers, 1);
}

SubtaskFailed::SubtaskFailed(TaskFailed failure)
    : Error(describe_failure(failure)), failure_(std::move(failure)) {}

void PartitionedModel::partition_subtask_failed(const TaskFailed& failure) {
  throw SubtaskFailed(failure);
}

void PartitionedModel::run_build() {
  const PartitionPlea plea = partition_plea();
  if (plea.minimum < 1 || plea.minimum > plea.maximum || plea.optimal < 1) {
    throw Error(class_name() + ".partition_plea() must have 1 <= minimum <= maximum and optimal >= 1, got minimum " +
                std::to_string(plea.minimum) + ", maximum " + std::to_string(plea.maximum) +
                ", optimal " + std::to_string(plea.optimal));
  }
  const int capacity = executor_ != nullptr ? executor_->capacity() : 1;
  worker_count_ = choose_worker_count(plea, capacity);

  build();

  std::vector<TaskPartition> subtasks = partition_slice(worker_count_);
  for (auto& subtask : subtasks) {
    if (subtask.model_class.empty()) subtask.model_class = class_name();
  }
  counts_ = SubtaskCounts{subtasks.size(), 0, 0};
  log("Running " + std::to_string(subtasks.size()) + " subtasks with " +
      std::to_string(worker_count_) + (worker_count_ == 1 ? " worker" : " workers"));

  Listener listener(*this);
  if (worker_count_ == 1 || executor_ == nullptr) {
    // One worker: one after another in this process (no process pool to confuse a debugger).
    InProcessExecutor serial;
    serial.run(subtasks, 1, context(), listener);
  } else {
    executor_->run(subtasks, worker_count_, context(), listener);
  }
  partition_complete();
}

}  // namespace ayeaye
