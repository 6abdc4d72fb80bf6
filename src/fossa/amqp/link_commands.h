// LinkCommands: what a Link's owner has asked for and the link's thread has not yet sent — the
// link's outbound queue. Pure bookkeeping, no I/O and no lock (the Link holds its mutex around it).
//
// Bounded where it can be: a log-line reply (a TaskLogMessage answering a subtask, sent with
// final=false) is dropped, and counted, when the log-line replies already queued reach the limits:
// a broker that is slow or away loses a talkative subtask's log lines, never the node's memory.
// Everything else — subtasks, results, dead letters, hand-backs, give-backs, "stop taking", prefetch changes,
// cancellations — is never
// dropped: there are as many of them as there are subtasks in hand or in flight, which the owner
// bounds, not as many as a model cares to print.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "amqp/connection.h"

namespace fossa::amqp {

struct LinkCommand {
  // kHandBack: a subtask this node cannot run, to fossa_task_retry for another node (refused_subtask.h),
  // or one of a batch given back, to fossa_task_queue on its own (a batch cannot be requeued in part).
  enum class Kind {
    kSubtask, kReply, kDeadLetter, kHandBack, kGiveBack, kStopTaking, kSetPrefetch, kCancelPool
  } kind = Kind::kReply;
  std::string exchange;     // empty: the default exchange; kCancelPool: kCancellationExchange
  std::string routing_key;  // a kReply's reply_to; kSubtask: fossa_task_queue
  Message message;
  std::uint64_t taken_id = 0;
  bool ack_after_confirm = false;  // a final reply, a dead letter, a hand-back: acknowledges `taken_id` once confirmed
  // A final reply to a subtask that came in a batch: the link may send it in a reply batch with
  // others to the same queue (amqp/subtask_batch.h), which then answers `also_taken` too.
  bool in_batch = false;
  std::vector<std::uint64_t> also_taken;

  // A reply that is not the subtask's answer: one of its log lines.
  bool is_log_reply() const { return kind == Kind::kReply && !ack_after_confirm; }
};

class LinkCommands {
 public:
  struct Limits {
    std::size_t log_replies = 10'000;      // queued log-line replies at most
    std::size_t log_reply_bytes = 4 << 20;  // and their bodies' bytes at most
  };

  LinkCommands() = default;
  explicit LinkCommands(Limits limits) : limits_(limits) {}

  // Queues `command` last. False when it was dropped: a log-line reply over the limits.
  bool push(LinkCommand command);
  // Puts `command` first, whatever the limits: one that was taken and not sent, or a publish to
  // send again after a reconnect. It was counted in once already; it is never dropped now.
  void push_front(LinkCommand command);
  // The first command, taken out; nullopt when there is none.
  std::optional<LinkCommand> pop();

  bool empty() const { return commands_.empty(); }
  std::size_t size() const { return commands_.size(); }
  // Log-line replies dropped over the limits since the queue was made.
  std::size_t dropped_log_replies() const { return dropped_; }
  std::size_t queued_log_replies() const { return log_replies_; }

 private:
  void count_in(const LinkCommand& command);

  Limits limits_;
  std::deque<LinkCommand> commands_;
  std::size_t log_replies_ = 0;
  std::size_t log_reply_bytes_ = 0;
  std::size_t dropped_ = 0;
};

}  // namespace fossa::amqp
