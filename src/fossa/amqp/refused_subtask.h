// What a node of ours does with a subtask whose model its program lacks — during a rolling
// deployment, or in a cluster of nodes with different models (docs/node.md, "Nodes that differ").
//
// It hands the subtask back for another node: the same message (body, reply_to, correlation id,
// headers) goes to the durable queue kRetryQueue with an expiration of kHandBackDelay and this
// node's refusal added to kRefusalsHeader; when it expires there, the broker dead-letters it back
// to fossa_task_queue (the queue's arguments), so the node that refused it is not handed it again
// at once. Once the subtask has been refused for too long or too often (refusal_rule.h) the node
// gives up instead and answers the parent with a TaskFailed naming the model and the refusing
// nodes: the parent fails it like any failed subtask, without waiting for a time limit.
//
// Either way the delivery is acknowledged only once that publish is confirmed, like a result, so
// a subtask is never lost between two queues. Pure: the caller (amqp::Link) publishes the command.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "amqp/broker.h"
#include "amqp/connection.h"
#include "amqp/link_commands.h"
#include "amqp/refusal_rule.h"
#include "amqp/subtask_codec.h"
#include "ayeaye/task_message.h"

namespace fossa::amqp {

inline constexpr std::string_view kRetryQueue = "fossa_task_retry";
inline constexpr std::chrono::milliseconds kHandBackDelay{1000};
// The TaskFailed's exception_class_name when a node gives up.
inline constexpr std::string_view kNoNodeCanRunModel = "fossa::NoNodeCanRunModel";

// kRetryQueue's arguments: what expires in it goes back to fossa_task_queue.
std::map<std::string, std::string> retry_queue_arguments();

struct RefusedSubtask {
  LinkCommand command;   // a kHandBack to kRetryQueue, or the final kReply to the parent
  SubtaskRefused event;  // for the node's log
};

// `node` refuses `subtask` (taken as `taken_id`; `delivered` is the message as it came) at `now`.
RefusedSubtask refuse_subtask(const Message& delivered, const SubtaskForAnotherModel& subtask, std::uint64_t taken_id,
                              const std::string& node, SubtaskRefusals::Clock::time_point now,
                              const RefusalLimits& limits);

// The answer a node gives up with: a TaskFailed of kNoNodeCanRunModel whose message names the
// model, how often and for how long it was refused, and by which nodes.
ayeaye::TaskFailed no_node_can_run(const SubtaskForAnotherModel& subtask, const RefusalDecision& decision,
                                   const RefusalLimits& limits);

}  // namespace fossa::amqp
