// What a node does with one delivery from fossa_task_queue (or from fossa_task_batches, one for each
// subtask in it), apart from any connection: a subtask
// it can run becomes SubtaskTaken; one for a model it lacks is handed back for another node, or
// answered once refused too long (refused_subtask.h); anything else goes to the dead-letter queue
// with the reason. The link (link.cc) publishes the command, if any, and posts the event.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "amqp/broker.h"
#include "amqp/connection.h"
#include "amqp/link_commands.h"
#include "amqp/refusal_rule.h"

namespace fossa::amqp {

struct TaskDeliveryOutcome {
  LinkEvent event;
  std::optional<LinkCommand> command;  // to publish; the delivery is acked once it is confirmed
};

// `taken_id`: the link's id of the delivery; `node_ident`: this node's, as refusals and dead
// letters name it.
TaskDeliveryOutcome take_task_delivery(Message m, bool redelivered, std::uint64_t taken_id, const std::string& node_ident,
                                       const RefusalLimits& limits);

// A delivery from kBatchQueue (amqp/subtask_batch.h): each subtask in it as take_task_delivery
// takes the message it would have been on its own, under ids first_id, first_id + 1, ... — those
// messages are `pieces`, for the link to hold. A body that is no batch goes to the dead-letter
// queue whole, saying why, under first_id alone (`pieces` empty, one outcome).
struct BatchDeliveryOutcome {
  std::vector<Message> pieces;
  std::vector<TaskDeliveryOutcome> outcomes;
};
BatchDeliveryOutcome take_batch_delivery(Message m, bool redelivered, std::uint64_t first_id,
                                         const std::string& node_ident, const RefusalLimits& limits);

}  // namespace fossa::amqp
