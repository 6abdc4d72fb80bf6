// Link: a node's connection to RabbitMQ, on a thread of its own, in both roles of the Fossa
// protocol (docs/protocol.md):
//   worker  — takes subtasks from fossa_task_queue (at most `prefetch` in hand), hands each to the
//             node, and acknowledges it only once the node's result for it is published AND
//             confirmed by the broker: a node that dies mid-subtask loses nothing, the broker
//             redelivers. A delivery that cannot be a task goes to fossa_dead_letters with the
//             reason (headers x-fossa-reason, ...), and is acknowledged only once that is confirmed.
//             One for a model this node lacks is handed back for another node through
//             fossa_task_retry, or answered failed once refused too long (refused_subtask.h).
//   parent  — publishes subtasks (reply_to = its exclusive reply queue) and passes every reply on.
//   ours    — between nodes of ours only, short subtasks travel in batches on fossa_task_batches,
//             and their results in reply batches (amqp/subtask_batch.h): the worker role takes
//             both queues, and a batch is acknowledged once every subtask in it is answered.
//   both    — a cancelled parent's pool id goes to the fanout exchange fossa_cancellations, to
//             which each link of ours binds an exclusive queue of its own (Python nodes bind none,
//             so they never see it); every link passes each one it hears on (PoolCancelled).
// Every publish is confirmed; an unconfirmed one is published again after a reconnect.
//
// The owner (the node's supervisor) talks to it with thread-safe calls that return at once, and
// learns what happened from take_events(), after the link writes to `wake_fd` (an eventfd).
// On connection loss the link reconnects with backoff (0.1 s doubling to 5 s) and reports LinkUp
// with its new reply queue: the owner re-sends the subtasks it still waits for (they answer to
// the old queue, which died with the connection), and counts each answer once.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "amqp/broker.h"
#include "amqp/connection.h"
#include "amqp/link_commands.h"
#include "amqp/refusal_rule.h"
#include "amqp/subtask_codec.h"
#include "ayeaye/task_message.h"
#include "ayeaye/task_spec.h"
#include "process/pipe.h"

namespace fossa::amqp {

inline constexpr std::string_view kDeadLetterQueue = "fossa_dead_letters";

// What a link knows of its broker connection, for readers on other threads (the node's /readyz).
// Written by the link's thread, read by any. The owner keeps it and lets it outlive the link, so
// a reader never races the link's end.
class LinkStatus {
 public:
  struct Snapshot {
    bool connected = false;
    // Since when the link has been connected, or not.
    std::chrono::system_clock::time_point since = std::chrono::system_clock::now();
    // While not connected: why (the last attempt's or the lost connection's error).
    std::string reason = "not connected yet";
    // Log-line replies the link dropped, its outbound queue being full (LinkCommands), since it began.
    std::size_t log_replies_dropped = 0;
  };
  void set_connected();
  // Keeps `since` when the link was already down (a reconnect that failed again).
  void set_disconnected(std::string reason);
  void count_dropped_log_reply();
  Snapshot snapshot() const;

 private:
  mutable std::mutex mutex_;
  Snapshot snapshot_;
};

struct LinkOptions {
  std::string url;
  bool consume_subtasks = true;
  int prefetch = 1;  // subtasks in hand at most, to begin with (set_prefetch changes it)
  std::string node_ident;
  std::chrono::seconds heartbeat{30};
  LinkStatus* status = nullptr;  // optional: kept up to date; must outlive the link
  // What the link holds unsent at most of a subtask's log-line replies (beyond it they are dropped
  // and counted); the rest of what it is asked to send is bounded by the owner (see LinkCommands).
  LinkCommands::Limits outbound;
  // When a subtask for a model this node lacks is handed back for another node, and when given up
  // (answered failed): amqp/refused_subtask.h.
  RefusalLimits refusals;
};


// The real Broker (amqp/broker.h says what each call promises).
class Link : public Broker {
 public:
  Link(LinkOptions options, int wake_fd);
  ~Link() override;
  Link(const Link&) = delete;
  Link& operator=(const Link&) = delete;

  void start() override;
  std::vector<LinkEvent> take_events() override;
  void send_subtask(const std::string& correlation_id, const ayeaye::TaskSpec& spec) override;
  void send_subtask_batch(const std::vector<OutgoingSubtask>& subtasks) override;
  void cancel_pool(const std::string& pool_id) override;
  // A log line is dropped when the link already holds options().outbound of them unsent.
  bool send_reply(std::uint64_t taken_id, const SubtaskDelivery& task, const ayeaye::TaskMessage& message,
                  bool final, const std::optional<SubtaskTimes>& times) override;
  void give_back(std::uint64_t taken_id) override;
  void stop_taking() override;
  void set_prefetch(int prefetch) override;
  // Returns at once while disconnected (then nothing can be done).
  bool flush(std::chrono::milliseconds timeout) override;

  // Log-line replies dropped so far, the link's outbound queue being full.
  std::size_t dropped_log_replies() const;

  const LinkOptions& options() const { return options_; }

 private:
  using Command = LinkCommand;
  struct Session;
  void loop();
  // Runs one connection until it fails (returns why) or the link stops.
  std::string serve_session(Session& session, std::uint64_t& next_taken_id);
  void post(LinkEvent event);
  void post_all(std::vector<LinkEvent> events);
  bool push(Command command);

  const LinkOptions options_;
  const int owner_wake_;
  FileDescriptor wake_;  // eventfd: commands waiting, or stop

  mutable std::mutex mutex_;
  std::condition_variable stopping_;
  LinkCommands commands_;  // what the owner asked for, carried out on the link's thread in order
  std::vector<LinkEvent> events_;
  bool stop_ = false;
  bool taking_ = true;     // consume fossa_task_queue (with options_.consume_subtasks)
  int prefetch_;           // the task consumer's prefetch: options_.prefetch until set_prefetch
  bool connected_ = false;
  bool settled_ = false;   // connected, and nothing asked for is unsent, unconfirmed or unacknowledged
  std::condition_variable settled_changed_;
  std::thread thread_;
};

}  // namespace fossa::amqp
