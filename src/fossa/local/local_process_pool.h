// LocalProcessPool: runs a partitioned model's subtasks in parallel worker processes on this
// machine (no broker). A subtask that throws, aborts or segfaults becomes a TaskFailed; the
// parent lives on, the dead worker is replaced, and a failed subtask is run again up to `retries`
// times before its failure is reported (as Python Fossa re-sends a failed subtask once): the
// SubtaskLedger decides, this class runs the processes.
//
// Single-threaded: run() drives every worker from the calling thread with poll(2), and calls the
// listener and the progress callback on that thread.
#pragma once

#include <functional>
#include <string>

#include "ayeaye/partitioned_model.h"
#include "ayeaye/subtask_ledger.h"

namespace fossa {

// What the progress callback sees: the ledger's counts.
using SubtaskProgress = ayeaye::SubtaskCounts;

class LocalProcessPool : public ayeaye::SubtaskExecutor {
 public:
  struct Options {
    int capacity = 1;
    int retries = 1;
    std::string executable = "/proc/self/exe";
    // Subtask task ids are "<prefix>:<index>".
    std::string task_id_prefix = "local";
  };

  explicit LocalProcessPool(Options options) : options_(std::move(options)) {}

  void set_progress_callback(std::function<void(const SubtaskProgress&)> callback) {
    on_progress_ = std::move(callback);
  }

  int capacity() const override { return options_.capacity; }
  void run(const std::vector<ayeaye::TaskPartition>& subtasks, int workers,
           const ayeaye::ResolverContext& context, ayeaye::SubtaskListener& listener) override;

 private:
  Options options_;
  std::function<void(const SubtaskProgress&)> on_progress_;
};

// The worker count ceil(CPUs × ratio): what a machine offers when nothing else says.
int default_capacity(double cpu_task_ratio);

}  // namespace fossa
