// ChannelExecutor: the SubtaskExecutor of a task process that a node started. Instead of starting
// processes of its own, the task hands its subtasks back to the node over the worker channel, so
// the node runs them as tasks of its own, within its capacity, each with its own task document
// (docs/protocol.md, "worker channel"):
//   fd 4, task -> node: {"type": "RunSubtasks", "payload": {"workers": n, "subtasks": [spec...]}}
//                       {"type": "CancelSubtasks", "payload": {}}  when the model gives up early
//   fd 3, node -> task: {"type": "SubtaskLog", "payload": {"index": i, "message": {TaskLogMessage}}}
//                       {"type": "SubtaskResult", "payload": {"index": i, "result": {TaskComplete|TaskFailed}}}
// One thread: the task's own.
#pragma once

#include <cstdio>

#include "ayeaye/partitioned_model.h"

namespace fossa {

class ChannelExecutor : public ayeaye::SubtaskExecutor {
 public:
  // `from_node` is the worker's task channel (fd 3), `capacity` the node's.
  ChannelExecutor(std::FILE* from_node, int capacity) : from_node_(from_node), capacity_(capacity) {}

  int capacity() const override { return capacity_; }
  void run(const std::vector<ayeaye::TaskPartition>& subtasks, int workers, const ayeaye::ResolverContext& context,
           ayeaye::SubtaskListener& listener) override;

 private:
  std::FILE* from_node_;
  int capacity_;
};

}  // namespace fossa
