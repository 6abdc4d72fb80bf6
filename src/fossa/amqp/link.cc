#include "amqp/link.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <memory>

#include "amqp/held_deliveries.h"
#include "amqp/refused_subtask.h"
#include "amqp/subtask_batch.h"
#include "amqp/task_delivery.h"
#include "ayeaye/json_input.h"

namespace fossa::amqp {
namespace {

// Publishes awaiting their confirm at most; beyond it the link reads before it writes more, so
// the broker's answers never pile up unread (the wedge the raw probe showed with 500 in flight).
constexpr std::size_t kMaxUnconfirmed = 512;
// Replies in hand at most (acknowledged as soon as read, on a channel of their own, all those read
// in a turn at once: they bound how much the broker may have written to us unread).
constexpr int kReplyPrefetch = 512;
// Batches of subtasks in hand at most (each up to kMaxBatchItems subtasks of a few ms; a parent
// batches only short ones, so two keep a node's slots busy while the next is on its way).
constexpr int kBatchPrefetch = 2;
constexpr auto kIdlePoll = std::chrono::milliseconds(1000);  // at most; and twice per heartbeat
constexpr auto kFirstBackoff = std::chrono::milliseconds(100);
constexpr auto kMaxBackoff = std::chrono::milliseconds(5000);

void signal_fd(int fd) {
  const std::uint64_t one = 1;
  (void)!::write(fd, &one, sizeof one);
}

}  // namespace

void LinkStatus::set_connected() {
  std::lock_guard lock(mutex_);
  snapshot_.connected = true;
  snapshot_.since = std::chrono::system_clock::now();
  snapshot_.reason.clear();
}

void LinkStatus::set_disconnected(std::string reason) {
  std::lock_guard lock(mutex_);
  if (snapshot_.connected) snapshot_.since = std::chrono::system_clock::now();
  snapshot_.connected = false;
  snapshot_.reason = std::move(reason);
}

void LinkStatus::count_dropped_log_reply() {
  std::lock_guard lock(mutex_);
  ++snapshot_.log_replies_dropped;
}

LinkStatus::Snapshot LinkStatus::snapshot() const {
  std::lock_guard lock(mutex_);
  return snapshot_;
}

// One connection's worth of state: lost with it.
struct Link::Session {
  std::unique_ptr<Connection> connection;
  std::string reply_queue;
  std::string task_consumer;
  int task_prefetch = 0;  // task_consumer's
  // Of kBatchQueue while taking subtasks; kept once cancelled, so that a batch on its way then is
  // still told from a subtask of fossa_task_queue.
  std::string batch_consumer;
  bool taking_batches = false;
  std::string reply_consumer;
  std::string cancellation_consumer;
  // Subtask deliveries taken on this connection, and the acknowledgements owed (sent once per turn
  // of the loop).
  HeldDeliveries held;
  // Publishes awaiting their confirm, by sequence number.
  std::map<std::uint64_t, Command> unconfirmed;
};

Link::Link(LinkOptions options, int wake_fd)
    : options_(std::move(options)), owner_wake_(wake_fd), wake_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)),
      commands_(options_.outbound), prefetch_(options_.prefetch) {}

Link::~Link() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  stopping_.notify_all();
  signal_fd(wake_.get());
  if (thread_.joinable()) thread_.join();
}

void Link::start() { thread_ = std::thread([this] { loop(); }); }

std::vector<LinkEvent> Link::take_events() {
  std::lock_guard lock(mutex_);
  return std::exchange(events_, {});
}

void Link::post(LinkEvent event) {
  std::vector<LinkEvent> one;
  one.push_back(std::move(event));
  post_all(std::move(one));
}

void Link::post_all(std::vector<LinkEvent> events) {
  if (events.empty()) return;
  {
    std::lock_guard lock(mutex_);
    for (auto& event : events) events_.push_back(std::move(event));
  }
  signal_fd(owner_wake_);
}

bool Link::push(Command command) {
  bool was_empty = false;
  {
    std::lock_guard lock(mutex_);
    was_empty = commands_.empty();
    if (!commands_.push(std::move(command))) {
      if (options_.status != nullptr) options_.status->count_dropped_log_reply();
      return false;
    }
  }
  // The link takes commands out under the same lock: while some wait, it has been woken for them
  // already and takes this one with them (a write and a wake-up less for each subtask but the first).
  if (was_empty) signal_fd(wake_.get());
  return true;
}

std::size_t Link::dropped_log_replies() const {
  std::lock_guard lock(mutex_);
  return commands_.dropped_log_replies();
}

void Link::send_subtask(const std::string& correlation_id, const ayeaye::TaskSpec& spec) {
  push(subtask_command(correlation_id, spec));
}

void Link::send_subtask_batch(const std::vector<OutgoingSubtask>& subtasks) {
  for (auto& command : subtask_batch_commands(subtasks)) push(std::move(command));
}

void Link::cancel_pool(const std::string& pool_id) {
  Command command;
  command.kind = Command::Kind::kCancelPool;
  command.exchange = std::string(kCancellationExchange);
  command.message.body = encode_cancellation(pool_id);
  push(std::move(command));
}

bool Link::send_reply(std::uint64_t taken_id, const SubtaskDelivery& task, const ayeaye::TaskMessage& message, bool final,
                      const std::optional<SubtaskTimes>& times) {
  Command command;
  command.kind = Command::Kind::kReply;
  command.routing_key = task.reply_to;
  command.message.body = ayeaye::to_json(message).dump();
  command.message.correlation_id = task.correlation_id;
  command.message.headers[std::string(kNodeHeader)] = options_.node_ident;
  if (options_.consume_subtasks) command.message.headers.emplace(kTakesBatchesHeader, std::string("1"));
  if (times) command.message.headers[std::string(kTimesHeader)] = encode_subtask_times(*times);
  command.taken_id = taken_id;
  command.ack_after_confirm = final;
  command.in_batch = task.in_batch;
  return push(std::move(command));
}

void Link::give_back(std::uint64_t taken_id) {
  Command command;
  command.kind = Command::Kind::kGiveBack;
  command.taken_id = taken_id;
  push(std::move(command));
}

void Link::stop_taking() {
  {
    std::lock_guard lock(mutex_);
    taking_ = false;
  }
  Command command;
  command.kind = Command::Kind::kStopTaking;
  push(std::move(command));
}

void Link::set_prefetch(int prefetch) {
  {
    std::lock_guard lock(mutex_);
    prefetch_ = prefetch;
  }
  Command command;
  command.kind = Command::Kind::kSetPrefetch;
  push(std::move(command));
}

bool Link::flush(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return settled_changed_.wait_for(lock, timeout, [this] { return stop_ || !connected_ || (settled_ && commands_.empty()); });
}

void Link::loop() {
  auto backoff = kFirstBackoff;
  bool connected_before = false;
  std::deque<Command> retry;  // publishes a lost connection left unconfirmed
  std::uint64_t next_taken_id = 1;
  while (true) {
    {
      std::lock_guard lock(mutex_);
      if (stop_) return;
    }
    Session session;
    auto connection = Connection::open({options_.url, options_.heartbeat, "fossa node " + options_.node_ident});
    std::string failure;
    if (connection) {
      session.connection = std::move(connection).value();
      auto& c = *session.connection;
      auto task_queue = c.declare_queue(std::string(kTaskQueue), /*durable=*/true, /*exclusive=*/false);
      auto dead_letters = task_queue ? c.declare_queue(std::string(kDeadLetterQueue), true, false) : task_queue;
      auto retry_queue =
          dead_letters ? c.declare_queue(std::string(kRetryQueue), true, false, retry_queue_arguments()) : dead_letters;
      auto batch_queue = retry_queue ? c.declare_queue(std::string(kBatchQueue), true, false) : retry_queue;
      auto reply_queue = batch_queue ? c.declare_queue("", false, true) : batch_queue;
      auto reply_consumer = reply_queue ? c.consume(*reply_queue, kReplyPrefetch, Connection::Channel::kReplies) : reply_queue;
      // Bound before any subtask is taken: no cancellation published from now on is missed.
      auto cancellation_queue = reply_consumer ? c.declare_queue("", false, true) : reply_consumer;
      auto bound = cancellation_queue ? c.bind_to_fanout(*cancellation_queue, std::string(kCancellationExchange))
                                      : ayeaye::Result<bool>::fail(cancellation_queue.error());
      auto cancellation_consumer = bound ? c.consume(*cancellation_queue, kReplyPrefetch, Connection::Channel::kReplies)
                                         : ayeaye::Result<std::string>::fail(bound.error());
      auto task_consumer = cancellation_consumer;
      bool taking = false;
      int prefetch = 1;
      {
        std::lock_guard lock(mutex_);
        taking = options_.consume_subtasks && taking_;
        prefetch = prefetch_;
      }
      if (cancellation_consumer && taking) task_consumer = c.consume(std::string(kTaskQueue), prefetch);
      auto batch_consumer = task_consumer;
      if (task_consumer && taking) batch_consumer = c.consume(std::string(kBatchQueue), kBatchPrefetch);
      if (!batch_consumer) {
        failure = batch_consumer.error();
      } else {
        session.reply_queue = *reply_queue;
        session.reply_consumer = *reply_consumer;
        session.cancellation_consumer = *cancellation_consumer;
        if (taking) {
          session.task_consumer = *task_consumer;
          session.task_prefetch = prefetch;
          session.batch_consumer = *batch_consumer;
          session.taking_batches = true;
        }
      }
    } else {
      failure = connection.error();
    }

    if (failure.empty()) {
      backoff = kFirstBackoff;
      {
        std::lock_guard lock(mutex_);
        connected_ = true;
      }
      if (options_.status != nullptr) options_.status->set_connected();
      post(LinkUp{session.reply_queue, connected_before});
      connected_before = true;
      {
        // Replies and cancellations of the lost connection go out first; its subtask publishes do not: the owner
        // re-sends every subtask it waits for, to the new reply queue.
        std::lock_guard lock(mutex_);
        for (auto it = retry.rbegin(); it != retry.rend(); ++it) commands_.push_front(std::move(*it));
      }
      retry.clear();
      failure = serve_session(session, next_taken_id);
      {
        std::lock_guard lock(mutex_);
        connected_ = false;
        settled_ = false;
      }
      settled_changed_.notify_all();
    }

    {
      std::lock_guard lock(mutex_);
      if (stop_) return;
    }
    for (auto& [sequence, command] : session.unconfirmed) {
      // A reply is still wanted (the parent counts it once), and a cancellation (nodes drop the pool
      // once however often they hear it); a subtask is re-sent by its owner; a dead letter's or a
      // hand-back's delivery will come back and be dead-lettered or refused again.
      if (command.kind == Command::Kind::kReply || command.kind == Command::Kind::kCancelPool) {
        retry.push_back(std::move(command));
      }
    }
    if (options_.status != nullptr) options_.status->set_disconnected(failure);
    post(LinkDown{failure});
    // Backoff before reconnecting; a stop request ends the wait early.
    {
      std::unique_lock lock(mutex_);
      stopping_.wait_for(lock, backoff, [this] { return stop_; });
    }
    backoff = std::min(backoff * 2, kMaxBackoff);
  }
}

std::string Link::serve_session(Session& s, std::uint64_t& next_taken_id) {
  Connection& c = *s.connection;
  std::deque<Command> todo;
  // On the way out, whatever was not sent goes back to the queue of commands for the next session.
  struct GiveBack {
    Link& link;
    std::deque<Command>& todo;
    ~GiveBack() {
      std::lock_guard lock(link.mutex_);
      for (auto it = todo.rbegin(); it != todo.rend(); ++it) link.commands_.push_front(std::move(*it));
    }
  } give_back{*this, todo};

  while (true) {
    std::uint64_t drained = 0;
    (void)!::read(wake_.get(), &drained, sizeof drained);
    bool more_waiting = false;
    {
      std::lock_guard lock(mutex_);
      if (stop_) return "the link is stopping";
      if (!commands_.empty()) settled_ = false;
      // No more than can be published now: the rest wait in commands_, where its limits apply.
      while (todo.size() + s.unconfirmed.size() < kMaxUnconfirmed) {
        auto command = commands_.pop();
        if (!command) break;
        todo.push_back(std::move(*command));
      }
      more_waiting = !commands_.empty();
    }
    while (!todo.empty() && s.unconfirmed.size() < kMaxUnconfirmed) {
      Command& command = todo.front();
      if (command.kind == Command::Kind::kGiveBack) {
        if (const Message* piece = s.held.piece(command.taken_id)) {
          // One of a batch: back to fossa_task_queue on its own, acknowledged (with the rest of
          // its batch) once that is confirmed.
          command.kind = Command::Kind::kHandBack;
          command.routing_key = std::string(kTaskQueue);
          command.message = *piece;
          command.ack_after_confirm = true;
        } else {
          if (const auto tag = s.held.whole(command.taken_id)) {
            if (auto ok = c.requeue(*tag); !ok) return ok.error();
            s.held.requeued(command.taken_id);
          }
          todo.pop_front();
          continue;
        }
      }
      if (command.kind == Command::Kind::kStopTaking) {
        if (!s.task_consumer.empty()) {
          if (auto ok = c.cancel(s.task_consumer); !ok) return ok.error();
          s.task_consumer.clear();
        }
        if (s.taking_batches) {
          if (auto ok = c.cancel(s.batch_consumer); !ok) return ok.error();
          s.taking_batches = false;
        }
        todo.pop_front();
        continue;
      }
      if (command.kind == Command::Kind::kSetPrefetch) {
        // A consumer's prefetch is fixed at its start (RabbitMQ applies basic.qos to consumers begun
        // after it), so a new consumer takes over; deliveries of the old one still on their way
        // are subtasks like any (only the reply and cancellation consumers are told apart).
        int prefetch = 1;
        {
          std::lock_guard lock(mutex_);
          prefetch = prefetch_;
        }
        if (!s.task_consumer.empty() && prefetch != s.task_prefetch) {
          if (auto ok = c.cancel(s.task_consumer); !ok) return ok.error();
          s.task_consumer.clear();
          auto consumer = c.consume(std::string(kTaskQueue), prefetch);
          if (!consumer) return consumer.error();
          s.task_consumer = *consumer;
          s.task_prefetch = prefetch;
        }
        todo.pop_front();
        continue;
      }
      Command next = take_next_publish(todo);
      if (next.kind == Command::Kind::kSubtask) next.message.reply_to = s.reply_queue;
      auto sequence = c.publish(next.routing_key, next.message, next.exchange);
      if (!sequence) {
        todo.push_front(std::move(next));  // for the next connection (GiveBack above)
        return sequence.error();
      }
      s.unconfirmed.emplace(*sequence, std::move(next));
    }

    const bool can_send_more = (!todo.empty() || more_waiting) && s.unconfirmed.size() < kMaxUnconfirmed;
    if (!can_send_more && !c.has_buffered_data()) {
      pollfd fds[2] = {{c.socket_fd(), POLLIN, 0}, {wake_.get(), POLLIN, 0}};
      // Waking at least twice per heartbeat interval lets rabbitmq-c send ours and notice theirs.
      const auto idle = std::min<std::chrono::milliseconds>(kIdlePoll, options_.heartbeat / 2);
      ::poll(fds, 2, static_cast<int>(idle.count()));
    }
    auto incoming = c.poll(std::chrono::milliseconds(0));
    if (!incoming) return incoming.error();

    std::vector<LinkEvent> events;
    std::optional<std::uint64_t> replies_read;  // the last delivery tag on Channel::kReplies
    for (auto& item : *incoming) {
      if (auto* confirm = std::get_if<Confirm>(&item)) {
        auto first = confirm->multiple ? s.unconfirmed.begin() : s.unconfirmed.find(confirm->sequence);
        auto last = s.unconfirmed.upper_bound(confirm->sequence);
        if (!confirm->multiple && first == s.unconfirmed.end()) continue;
        for (auto it = first; it != last;) {
          Command& command = it->second;
          if (!confirm->ack) {
            todo.push_front(std::move(command));  // the broker refused it: publish it again
          } else if (command.ack_after_confirm) {
            s.held.settle(command.taken_id);
            for (const std::uint64_t id : command.also_taken) s.held.settle(id);
          }
          it = s.unconfirmed.erase(it);
        }
        continue;
      }
      auto& delivery = std::get<Delivery>(item);
      Message& m = delivery.message;
      if (delivery.consumer_tag == s.cancellation_consumer) {
        replies_read = delivery.delivery_tag;
        if (auto pool = decode_cancellation(m.body)) events.emplace_back(PoolCancelled{std::move(pool).value()});
        continue;
      }
      if (delivery.consumer_tag == s.reply_consumer) {
        replies_read = delivery.delivery_tag;
        read_replies(std::move(m), events);
        continue;
      }
      std::vector<TaskDeliveryOutcome> outcomes;
      if (!s.batch_consumer.empty() && delivery.consumer_tag == s.batch_consumer) {
        auto batch = take_batch_delivery(std::move(m), delivery.redelivered, next_taken_id, options_.node_ident,
                                         options_.refusals);
        if (batch.pieces.empty()) {
          s.held.hold(delivery.delivery_tag, next_taken_id++);
        } else {
          const std::size_t count = batch.pieces.size();
          s.held.hold_batch(delivery.delivery_tag, next_taken_id, std::move(batch.pieces));
          next_taken_id += count;
        }
        outcomes = std::move(batch.outcomes);
      } else {
        const std::uint64_t id = next_taken_id++;
        s.held.hold(delivery.delivery_tag, id);
        outcomes.push_back(
            take_task_delivery(std::move(m), delivery.redelivered, id, options_.node_ident, options_.refusals));
      }
      for (auto& outcome : outcomes) {
        if (outcome.command) todo.push_back(std::move(*outcome.command));
        events.emplace_back(std::move(outcome.event));
      }
    }
    post_all(std::move(events));
    if (replies_read) {
      if (auto ok = c.ack(*replies_read, /*multiple=*/true, Connection::Channel::kReplies); !ok) return ok.error();
    }
    if (s.held.owes_acks()) {
      const auto acks = s.held.take_acks();
      if (acks.up_to) {
        if (auto ok = c.ack(*acks.up_to, /*multiple=*/true); !ok) return ok.error();
      }
      for (const std::uint64_t tag : acks.each) {
        if (auto ok = c.ack(tag); !ok) return ok.error();
      }
    }
    const bool settled = todo.empty() && s.unconfirmed.empty();
    bool changed = false;
    {
      std::lock_guard lock(mutex_);
      changed = settled_ != settled;
      settled_ = settled;
    }
    if (changed) settled_changed_.notify_all();
  }
}

}  // namespace fossa::amqp
