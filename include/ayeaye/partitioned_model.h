// PartitionedModel: a model whose work splits into independent subtasks that may run in
// parallel — in local processes, or across the nodes of a Fossa cluster.
//
//   class Squares : public ayeaye::PartitionedModel {
//     std::vector<ayeaye::TaskPartition> partition_slice(int) override {
//       return {{"square", {{"x", 2}}}, {"square", {{"x", 3}}}};
//     }
//     int square(int x) { return x * x; }
//   };
//   AYEAYE_REGISTER_MODEL(Squares, AYEAYE_SUBTASK(square, x));
//
// go() on the parent: partition_plea() → build() → partition_slice(n) → the subtasks run on the
// executor the runtime set (one at a time in this process when none is set, or when one worker
// is chosen) → partition_subtask_complete()/partition_subtask_failed() for each → partition_complete().
// Subtask methods run on fresh instances, possibly in other processes: they must not rely on state
// the parent's build() set, and must be safe to run more than once.
#pragma once

#include <string>
#include <vector>

#include "ayeaye/model.h"
#include "ayeaye/task_message.h"

namespace ayeaye {

// How many workers a model would like. The runtime picks `optimal` when the capacity on offer is
// larger, else the capacity; never more than `maximum`, never fewer than `minimum`.
struct PartitionPlea {
  int minimum = 1;
  int maximum = 128;
  int optimal = 16;
};

// The worker count for a plea and the capacity on offer. (Python Aye-Aye ignores `minimum`; we
// honour it, because a model that asks for an exact count — StaggeredEtl — means it.)
int choose_worker_count(const PartitionPlea& plea, int capacity);

// Receives what the subtasks produce. Called on the thread that called SubtaskExecutor::run.
class SubtaskListener {
 public:
  virtual ~SubtaskListener() = default;
  // A log line of subtask `index` (index into the vector given to run()).
  virtual void on_subtask_log(std::size_t index, const TaskLogMessage& message) = 0;
  // The one final result of subtask `index`: a TaskComplete, or a TaskFailed after retries ran out.
  virtual void on_subtask_result(std::size_t index, const TaskMessage& result) = 0;
};

// Runs subtasks somewhere: in this process, in local worker processes, or across a cluster.
class SubtaskExecutor {
 public:
  virtual ~SubtaskExecutor() = default;
  // The workers on offer, for choose_worker_count().
  virtual int capacity() const = 0;
  // Runs every subtask, at most `workers` at once, and returns when each has its final result.
  // An exception thrown by the listener stops the run (what is still running is stopped) and
  // propagates to the caller.
  virtual void run(const std::vector<TaskPartition>& subtasks, int workers,
                   const ResolverContext& context, SubtaskListener& listener) = 0;
};

// Thrown by the default partition_subtask_failed(): the parent fails, naming the subtask.
class SubtaskFailed : public Error {
 public:
  explicit SubtaskFailed(TaskFailed failure);
  const TaskFailed& failure() const { return failure_; }

 private:
  TaskFailed failure_;
};

class PartitionedModel : public Model {
 public:
  virtual PartitionPlea partition_plea() { return {}; }
  // The subtasks, given the worker count chosen. Their number need not equal the worker count.
  virtual std::vector<TaskPartition> partition_slice(int partition_count) = 0;
  // Called on each fresh instance that runs a subtask, with the subtask's initialise kwargs.
  virtual void partition_initialise(const Json& /*kwargs*/) {}
  virtual void partition_subtask_complete(const std::string& /*method_name*/,
                                          const Json& /*method_kwargs*/,
                                          const Json& /*return_value*/) {}
  // Default: throw SubtaskFailed, which fails the parent.
  virtual void partition_subtask_failed(const TaskFailed& failure);
  virtual void partition_complete() {}

  // A partitioned model's build() runs in the parent before slicing; often there is nothing to do.
  void build() override {}

  // --- wiring, for runtimes ---
  // Where subtasks run. Not owned. Null: one after another in this process.
  void set_executor(SubtaskExecutor* executor) { executor_ = executor; }
  SubtaskExecutor* executor() const { return executor_; }
  // What the last go() did: the worker count it chose and what became of its subtasks.
  struct SubtaskCounts {
    std::size_t total = 0;
    std::size_t complete = 0;
    std::size_t failed = 0;
  };
  int worker_count() const { return worker_count_; }
  const SubtaskCounts& subtask_counts() const { return counts_; }

 protected:
  void run_build() override;

 private:
  SubtaskExecutor* executor_ = nullptr;
  class Listener;  // feeds subtask output into the partition_* hooks

  int worker_count_ = 0;
  SubtaskCounts counts_;
};

}  // namespace ayeaye
