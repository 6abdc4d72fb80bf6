// Broker: what the node's supervisor asks of RabbitMQ and hears back, in both roles of the Fossa
// protocol (docs/protocol.md). amqp::Link is the real one, on a connection of its own thread; tests
// hand the supervisor a fake that records what was sent and plays the broker's events.
//
// Every call returns at once and is thread-safe. What happened comes back from take_events(), in
// order, after the broker writes to the owner's wake descriptor (an eventfd, given at creation).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "amqp/subtask_codec.h"
#include "ayeaye/task_message.h"
#include "ayeaye/task_spec.h"

namespace fossa::amqp {

// A subtask taken from the queue: run it, then send_reply(..., final=true) with its result.
struct SubtaskTaken {
  std::uint64_t id = 0;  // the link's handle for the delivery (of its batch, for one that came in one)
  SubtaskDelivery task;
  bool redelivered = false;
  bool log_replies = false;
};
// A parent's subtask to publish: its correlation id and what to run.
struct OutgoingSubtask {
  std::string correlation_id;
  const ayeaye::TaskSpec* spec = nullptr;
};
// A message on this node's reply queue: a result or log line of a subtask it published (one of a
// reply batch is passed on as one of these each).
struct ReplyReceived {
  std::string correlation_id;
  std::string body;
  std::string node;  // who ran it, when the worker said (ours do; Python's do not)
  // When it was taken, started and ended there, when the worker said (ours do, with a result;
  // Python's do not): kTimesHeader.
  std::optional<SubtaskTimes> times;
  // The node that ran it takes batches of subtasks (amqp/subtask_batch.h): a node of ours that does.
  bool takes_batches = false;
};
struct LinkUp {
  std::string reply_queue;
  bool reconnected = false;
};
struct LinkDown {
  std::string reason;
};
struct DeadLettered {
  std::string reason;
  std::string correlation_id;
};
// A subtask for a model this node's program lacks (amqp/refused_subtask.h): handed back for another
// node, or, refused for too long or too often, answered failed so that its parent need not wait.
struct SubtaskRefused {
  std::string model;
  std::string correlation_id;
  bool gave_up = false;
  long long refusals = 0;               // by every node so far, this one included
  std::vector<std::string> refused_by;  // their idents (the first few)
  std::chrono::seconds refused_for{0};  // since the first refusal
  std::string job_id;                   // from kJobIdHeader, when its parent named its job
};
// A reply batch on this node's reply queue that is not one (amqp/subtask_batch.h): nothing in it is
// counted; its subtasks are sent again when FOSSA_SUBTASK_TIMEOUT says so.
struct UnreadableReplyBatch {
  std::string reason;
};
// A parent's run was cancelled, on this node or another (amqp::kCancellationExchange): stop its
// subtasks here, drop those that come later.
struct PoolCancelled {
  std::string pool_id;
};
using LinkEvent =
    std::variant<SubtaskTaken, ReplyReceived, LinkUp, LinkDown, DeadLettered, SubtaskRefused, PoolCancelled,
                 UnreadableReplyBatch>;

class Broker {
 public:
  virtual ~Broker() = default;

  // Connects (and keeps reconnecting): LinkUp / LinkDown events tell how it goes.
  virtual void start() = 0;
  // Events since the last call, in order.
  virtual std::vector<LinkEvent> take_events() = 0;

  // Parent: publishes a subtask to fossa_task_queue, answering to this node's reply queue.
  virtual void send_subtask(const std::string& correlation_id, const ayeaye::TaskSpec& spec) = 0;
  // Parent: publishes subtasks in one batch to kBatchQueue, for nodes of ours only
  // (amqp/subtask_batch.h; the link splits what is over its limits into more batches). The specs
  // are read before the call returns.
  virtual void send_subtask_batch(const std::vector<OutgoingSubtask>& subtasks) = 0;
  // Parent: tells every node of ours (this one too) that pool `pool_id` is cancelled. Like a
  // subtask, never dropped; sent once connected, and again after a reconnect until confirmed.
  virtual void cancel_pool(const std::string& pool_id) = 0;
  // Worker: publishes a task message for taken subtask `taken_id` to its reply_to. With `final`
  // (its result), the delivery is acknowledged once the broker confirms the reply, and it is never
  // dropped. Without (a log line), it may be dropped when too many wait to be sent: false then.
  // `times` (with a result): when this node took, started and ended the subtask, for the parent.
  virtual bool send_reply(std::uint64_t taken_id, const SubtaskDelivery& task, const ayeaye::TaskMessage& message,
                          bool final, const std::optional<SubtaskTimes>& times) = 0;
  // Worker: gives a taken subtask back to the queue without running it (the node is stopping, or it
  // waited too long for a slot). One that came in a batch goes back to fossa_task_queue on its own.
  virtual void give_back(std::uint64_t taken_id) = 0;
  // Worker: takes no more subtasks, now or after a reconnect (the node is draining). Replies and
  // the parent role go on.
  virtual void stop_taking() = 0;
  // Worker: holds at most `prefetch` subtasks from now on (and after a reconnect). The broker counts
  // a consumer's window from its start, so the link starts a new consumer with it: for a moment
  // the deliveries of the old one still held come on top (they end as they are answered).
  virtual void set_prefetch(int prefetch) = 0;
  // Waits, at most `timeout`, until everything asked is done: published, confirmed by the broker,
  // and the subtasks answered acknowledged. The owner calls it before it lets the broker go, so
  // that a stopping node does not leave the broker to redeliver subtasks it has in fact answered.
  virtual bool flush(std::chrono::milliseconds timeout) = 0;
};

}  // namespace fossa::amqp
