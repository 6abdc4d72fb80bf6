// PackedRecord: a finished subtask's TaskRecord, packed small. A finished subtask's document never
// changes again, and a node keeps thousands of them (a parent of 20,000 subtasks keeps up to
// --subtask-documents of them, and each one's record lives from its start to its parent's end):
// as TaskRecords they cost about 2.5 KB each, packed a few hundred bytes. What varies from one
// subtask to the next (its spec, result, log tail, parent and node) is one CBOR array; expand()
// gives back the record it was packed from, whose document reads the same (a finished task's has
// no pid). The task id is not kept: the owner has it as the record's key.
#pragma once

#include <optional>
#include <string>

#include "node/task_record.h"

namespace fossa::node {

class PackedRecord {
 public:
  explicit PackedRecord(const TaskRecord& record);
  TaskRecord expand(const std::string& task_id) const;

  TaskStatus status() const { return status_; }

 private:
  std::string packed_;  // CBOR: [spec fields..., result or null, log_tail, parent_task_id or null, node]
  TaskRecord::Clock::time_point started_;
  TaskRecord::Clock::time_point finished_;
  std::optional<amqp::SubtaskTimes> run_times_;
  int attempts_ = 0;
  TaskStatus status_ = TaskStatus::kComplete;
};

}  // namespace fossa::node
