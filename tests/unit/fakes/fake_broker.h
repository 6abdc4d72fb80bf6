// FakeBroker: RabbitMQ as the supervisor sees it (amqp::Broker), without a broker. It records
// what the supervisor sends — subtasks, replies, give-backs — and the test plays what arrives:
// subtasks taken from the queue, replies, the connection going up and down.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "amqp/broker.h"

namespace fossa::fakes {

class FakeBroker : public amqp::Broker {
 public:
  struct Subtask {
    std::string correlation_id;
    ayeaye::TaskSpec spec;
  };
  struct Reply {
    std::uint64_t taken_id = 0;
    ayeaye::TaskMessage message;
    bool final = false;
    std::optional<amqp::SubtaskTimes> times;
  };

  explicit FakeBroker(int wake_fd) : wake_fd_(wake_fd) {}

  void start() override { started = true; }
  std::vector<amqp::LinkEvent> take_events() override { return std::exchange(events_, {}); }
  void send_subtask(const std::string& correlation_id, const ayeaye::TaskSpec& spec) override {
    subtasks.push_back({correlation_id, spec});
  }
  void send_subtask_batch(const std::vector<amqp::OutgoingSubtask>& batch) override {
    batches.push_back(batch.size());
    for (const auto& subtask : batch) subtasks.push_back({subtask.correlation_id, *subtask.spec});
  }
  void cancel_pool(const std::string& pool_id) override { cancelled_pools.push_back(pool_id); }
  bool send_reply(std::uint64_t taken_id, const amqp::SubtaskDelivery&, const ayeaye::TaskMessage& message,
                  bool final, const std::optional<amqp::SubtaskTimes>& times) override {
    if (!final && refuse_log_replies) return false;
    replies.push_back({taken_id, message, final, times});
    return true;
  }
  void give_back(std::uint64_t taken_id) override { given_back.push_back(taken_id); }
  void stop_taking() override { taking = false; }
  void set_prefetch(int value) override { prefetches.push_back(value); }
  bool flush(std::chrono::milliseconds) override {
    flushed = true;
    return true;
  }

  // The broker says something: the supervisor hears it on its next turn.
  void play(amqp::LinkEvent event) {
    events_.push_back(std::move(event));
    const std::uint64_t one = 1;
    (void)!::write(wake_fd_, &one, sizeof one);
  }
  // A subtask taken from fossa_task_queue, as a parent on another node sent it (its correlation
  // id, when given, names its pool).
  std::uint64_t take(const ayeaye::TaskSpec& spec, const std::string& correlation_id = "") {
    amqp::SubtaskTaken taken;
    taken.id = ++last_taken_;
    taken.task.spec = spec;
    taken.task.reply_to = "amq.gen-parent";
    taken.task.correlation_id = correlation_id;
    play(taken);
    return taken.id;
  }
  // The answer to subtask `correlation_id`, from node `node`, saying when it ran there (`times`;
  // none, as from a Python worker, when not given). A node that says when also takes batches.
  void answer(const std::string& correlation_id, const ayeaye::TaskMessage& message, const std::string& node = "other",
              std::optional<amqp::SubtaskTimes> times = std::nullopt) {
    play(amqp::ReplyReceived{correlation_id, ayeaye::to_json(message).dump(), node, times, times.has_value()});
  }

  bool refuse_log_replies = false;  // as a link whose queue is full
  bool started = false;
  bool taking = true;
  std::vector<int> prefetches;  // each set_prefetch, in order
  bool flushed = false;
  std::vector<Subtask> subtasks;  // each sent, on its own or in a batch
  std::vector<std::size_t> batches;  // the size of each batch sent
  std::vector<Reply> replies;
  std::vector<std::uint64_t> given_back;
  std::vector<std::string> cancelled_pools;

 private:
  int wake_fd_;
  std::uint64_t last_taken_ = 0;
  std::vector<amqp::LinkEvent> events_;
};

}  // namespace fossa::fakes
