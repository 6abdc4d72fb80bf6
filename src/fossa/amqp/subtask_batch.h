// Batches between our own nodes (docs/protocol.md, "Batches"): many short subtasks in one message,
// and their results in one reply, so that a Fanout of no-op subtasks costs the broker one publish,
// one confirm, one delivery and one acknowledgement per batch instead of per subtask.
//
// A batch of subtasks goes to kBatchQueue, which only nodes of ours consume: a Python node never
// binds it and never sees one. Each subtask in it is the message it would have been on its own —
// its body (the six Python fields, as encode_subtask_body writes them), its correlation id and its
// headers — with the batch's reply_to; a worker takes each apart as it would take that message
// (task_delivery.h). A worker answers the subtasks of a batch in reply batches, kBatchHeader set,
// each holding what it would have published on its own: the correlation id, the result or log
// line, and kTimesHeader's value. Only subtasks that came in a batch are answered in one, so a
// Python parent, which never sends a batch, never receives one.
//
// Pure: the Link publishes and reads the messages. Everything read is outside input: a batch that
// is not one is refused whole, saying why and where.
#pragma once

#include <cstddef>
#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "amqp/broker.h"
#include "amqp/connection.h"
#include "amqp/link_commands.h"
#include "ayeaye/error.h"
#include "ayeaye/task_spec.h"

namespace fossa::amqp {

inline constexpr std::string_view kBatchQueue = "fossa_task_batches";
// On a reply: its body is a batch of replies ("1"), not one task message.
inline constexpr std::string_view kBatchHeader = "x-fossa-batch";
// On a reply on its own: the node that sent it takes batches from kBatchQueue ("1"). A parent
// batches only for such nodes: a node of ours too old to take them never binds the queue.
inline constexpr std::string_view kTakesBatchesHeader = "x-fossa-takes-batches";
// What one batch holds at most, of subtasks or replies: a sender keeps within it, a reader refuses more.
inline constexpr std::size_t kMaxBatchItems = 64;
// A sender starts another batch before its body would pass this many bytes (a single subtask larger
// than it goes on its own).
inline constexpr std::size_t kMaxBatchBytes = 1 << 20;

// One subtask or one reply: the message it would have been on its own, less what its batch
// carries for all (reply_to, persistence).
struct BatchItem {
  std::string correlation_id;
  std::string body;
  std::map<std::string, std::string> headers;
};

// {"subtasks": [{"correlation_id": "...", "body": "...", "headers": {"...": "..."}}, ...]}, and
// {"replies": [...]} with the same fields. `items` must not be empty.
std::string encode_subtask_batch(const std::vector<BatchItem>& items);
std::string encode_reply_batch(const std::vector<BatchItem>& items);
// The items in order; an error saying what is wrong and where ("subtasks[3].body is not a
// string") for anything else, an empty batch or one of more than kMaxBatchItems.
ayeaye::Result<std::vector<BatchItem>> decode_subtask_batch(std::string_view body);
ayeaye::Result<std::vector<BatchItem>> decode_reply_batch(std::string_view body);

// The message a subtask of a batch would have been on its own: its body, correlation id and
// headers, the batch's reply_to; persistent, as every subtask is.
Message subtask_message(BatchItem item, const std::string& reply_to);

// A parent's subtask as the message it publishes to fossa_task_queue: its body, correlation id and
// headers (x-fossa-log-replies, x-fossa-secret-keys, x-fossa-job-id); persistent.
LinkCommand subtask_command(const std::string& correlation_id, const ayeaye::TaskSpec& spec);
// Subtasks as batches to kBatchQueue: one publish, or more where kMaxBatchItems or kMaxBatchBytes
// would be passed (a subtask larger than kMaxBatchBytes goes in a batch of its own).
std::vector<LinkCommand> subtask_batch_commands(const std::vector<OutgoingSubtask>& subtasks);

// What a parent's link reads from its reply queue, as events: one ReplyReceived for a reply, one
// for each reply in a reply batch (kBatchHeader), or UnreadableReplyBatch saying why none counts.
void read_replies(Message m, std::vector<LinkEvent>& events);

// The next publish a link makes from `todo` (not empty), taken out of it: the first command — and
// when that is a final reply to a subtask of a batch, the final replies of that kind right behind
// it to the same queue with it, as one reply batch within kMaxBatchItems and kMaxBatchBytes (its
// also_taken lists theirs). Only consecutive ones: a subtask's log lines stay before its result.
LinkCommand take_next_publish(std::deque<LinkCommand>& todo);

}  // namespace fossa::amqp
