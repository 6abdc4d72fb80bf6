// The worker channel's descriptors and message forms, shared by both ends (docs/protocol.md,
// "worker channel"): the parent's side (WorkerProcess, the node's task supervisor) and the child's
// (run_worker_loop, ChannelExecutor).
#pragma once

#include <string>
#include <string_view>

#include "ayeaye/error.h"
#include "ayeaye/json.h"
#include "ayeaye/task_message.h"

namespace fossa {

inline constexpr int kJobsFd = 3;      // parent -> child
inline constexpr int kMessagesFd = 4;  // child -> parent

namespace channel {

inline constexpr const char* kRunSubtasks = "RunSubtasks";
inline constexpr const char* kCancelSubtasks = "CancelSubtasks";
inline constexpr const char* kSubtaskLog = "SubtaskLog";
inline constexpr const char* kSubtaskResult = "SubtaskResult";

// In a job line: the node's capacity, telling the task to hand its subtasks back to the node.
inline constexpr const char* kSubtaskCapacityField = "subtask_capacity";

// node -> task: a log line of subtask `index`, or its final result.
std::string subtask_log_line(std::size_t index, const ayeaye::TaskLogMessage& message);
std::string subtask_result_line(std::size_t index, const ayeaye::TaskMessage& result);

struct SubtaskEvent {
  std::size_t index = 0;
  bool is_result = false;
  ayeaye::TaskMessage message;  // a TaskLogMessage, or the final TaskComplete/TaskFailed
};
// Reads one node -> task line; `count` bounds the index.
ayeaye::Result<SubtaskEvent> parse_subtask_event(std::string_view line, std::size_t count);

}  // namespace channel
}  // namespace fossa
