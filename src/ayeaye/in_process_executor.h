// InProcessExecutor: runs subtasks one after another in the calling process, each on a fresh model
// instance — what a partitioned model does when one worker is chosen or no runtime set an executor.
// A failed subtask is run again up to `retries` times (as the distributed runtimes do) before its
// failure is reported. Single-threaded.
#pragma once

#include "ayeaye/partitioned_model.h"

namespace ayeaye {

class InProcessExecutor : public SubtaskExecutor {
 public:
  explicit InProcessExecutor(int retries = 1) : retries_(retries) {}

  int capacity() const override { return 1; }
  void run(const std::vector<TaskPartition>& subtasks, int workers, const ResolverContext& context,
           SubtaskListener& listener) override;

 private:
  int retries_;
};

}  // namespace ayeaye
