// Batches between our own nodes (amqp/subtask_batch.h, task_delivery.h): what a parent publishes,
// what a worker takes from it, how results go back in reply batches, and what is refused.
#include "amqp/subtask_batch.h"

#include <gtest/gtest.h>

#include "amqp/task_delivery.h"

namespace amqp = fossa::amqp;

namespace {

amqp::BatchItem subtask(int n) {
  return {"qwert:" + std::to_string(n),
          R"({"model_class": "Fanout", "method": "partition_task", "method_kwargs": {"n": )" + std::to_string(n) + "}}",
          {{std::string(amqp::kLogRepliesHeader), "1"}, {std::string(amqp::kJobIdHeader), "job-1"}}};
}

amqp::Message batch_of(const std::vector<amqp::BatchItem>& items) {
  amqp::Message m;
  m.body = amqp::encode_subtask_batch(items);
  m.reply_to = "amq.gen-parent";
  m.persistent = true;
  return m;
}

// A worker's final reply to subtask `taken_id`, as Link::send_reply makes it.
amqp::LinkCommand final_reply(std::uint64_t taken_id, const std::string& to, bool in_batch = true) {
  amqp::LinkCommand c;
  c.kind = amqp::LinkCommand::Kind::kReply;
  c.routing_key = to;
  c.taken_id = taken_id;
  c.ack_after_confirm = true;
  c.in_batch = in_batch;
  c.message.correlation_id = "qwert:" + std::to_string(taken_id);
  c.message.body = R"({"type": "TaskComplete"})";
  c.message.headers = {{std::string(amqp::kNodeHeader), "node-2"},
                       {std::string(amqp::kTakesBatchesHeader), "1"},
                       {std::string(amqp::kTimesHeader),
                        R"({"taken": "2026-12-07T10:00:00.000100Z", "started": "2026-12-07T10:00:00.000200Z",
                            "ended": "2026-12-07T10:00:00.001200Z"})"}};
  return c;
}

}  // namespace

TEST(SubtaskBatch, AWorkerTakesEachSubtaskOfABatchAsTheMessageItWouldHaveBeenOnItsOwn) {
  const auto taken = amqp::take_batch_delivery(batch_of({subtask(0), subtask(1), subtask(2)}), /*redelivered=*/true,
                                               /*first_id=*/10, "node-2", {});
  ASSERT_EQ(taken.pieces.size(), 3u);
  ASSERT_EQ(taken.outcomes.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(taken.pieces[i].correlation_id, "qwert:" + std::to_string(i));
    EXPECT_EQ(taken.pieces[i].reply_to, "amq.gen-parent") << "the batch's, for each";
    EXPECT_TRUE(taken.pieces[i].persistent);
    const auto* t = std::get_if<amqp::SubtaskTaken>(&taken.outcomes[i].event);
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->id, 10 + i);
    EXPECT_TRUE(t->redelivered);
    EXPECT_TRUE(t->log_replies);
    EXPECT_TRUE(t->task.in_batch) << "so that its result may go back in a reply batch";
    EXPECT_EQ(t->task.spec.job_id, "job-1");
    EXPECT_EQ(t->task.spec.method_kwargs["n"], static_cast<int>(i));
    EXPECT_EQ(t->task.spec.task_id, "qwert:" + std::to_string(i) + "::amq.gen-parent");
    EXPECT_FALSE(taken.outcomes[i].command);
  }
}

TEST(SubtaskBatch, ASubtaskOfABatchThatIsNoTaskIsDeadLetteredAloneTheRestRun) {
  auto bad = subtask(1);
  bad.body = R"({"method": "go"})";
  const auto taken = amqp::take_batch_delivery(batch_of({subtask(0), bad}), false, 1, "node-2", {});
  ASSERT_EQ(taken.outcomes.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<amqp::SubtaskTaken>(taken.outcomes[0].event));
  ASSERT_TRUE(taken.outcomes[1].command);
  const auto& dead = *taken.outcomes[1].command;
  EXPECT_EQ(dead.kind, amqp::LinkCommand::Kind::kDeadLetter);
  EXPECT_EQ(dead.taken_id, 2u);
  EXPECT_EQ(dead.message.body, R"({"method": "go"})") << "the subtask's own body, not the batch's";
  EXPECT_EQ(dead.message.headers.at("x-fossa-original-correlation-id"), "qwert:1");
}

TEST(SubtaskBatch, ABodyThatIsNoBatchIsDeadLetteredWholeSayingWhatIsWrongAndWhere) {
  const auto reason = [](const std::string& body) {
    amqp::Message m;
    m.body = body;
    m.reply_to = "r";
    const auto taken = amqp::take_batch_delivery(m, false, 7, "node-2", {});
    EXPECT_TRUE(taken.pieces.empty());
    if (taken.outcomes.size() != 1 || !taken.outcomes[0].command) return std::string("(not dead-lettered)");
    EXPECT_EQ(taken.outcomes[0].command->taken_id, 7u);
    EXPECT_EQ(taken.outcomes[0].command->message.headers.at("x-fossa-original-queue"), amqp::kBatchQueue);
    return taken.outcomes[0].command->message.headers.at("x-fossa-reason");
  };
  EXPECT_EQ(reason("[1, 2").rfind("the batch is not JSON: ", 0), 0u);
  EXPECT_EQ(reason(R"({"replies": []})"), "the batch has no array 'subtasks'");
  EXPECT_EQ(reason(R"({"subtasks": []})"), "the batch's 'subtasks' is empty");
  EXPECT_EQ(reason(R"({"subtasks": [{"correlation_id": "a:1", "body": "{}"}, 3]})"), "subtasks[1] is not an object");
  EXPECT_EQ(reason(R"({"subtasks": [{"correlation_id": 5, "body": "{}"}]})"), "subtasks[0].correlation_id is not a string");
  EXPECT_EQ(reason(R"({"subtasks": [{"correlation_id": "a:1", "body": "{}", "headers": {"x": 1}}]})"),
            "subtasks[0].headers.x is not a string");
  EXPECT_EQ(reason(R"({"subtasks": [{"correlation_id": "a:1", "body": {"deep": [[[[1]]]]}}]})")
                .rfind("the batch is not JSON: ", 0),
            0u)
      << "a batch nests 4 deep at most";
  std::vector<amqp::BatchItem> many;
  for (std::size_t i = 0; i <= amqp::kMaxBatchItems; ++i) many.push_back(subtask(static_cast<int>(i)));
  EXPECT_EQ(reason(amqp::encode_subtask_batch(many)), "the batch holds 65 subtasks, more than 64");
}

TEST(SubtaskBatch, FinalRepliesToSubtasksOfBatchesGoBackTogetherAndAParentReadsEachWithItsTimes) {
  std::deque<amqp::LinkCommand> todo;
  for (std::uint64_t id : {1, 2, 3}) todo.push_back(final_reply(id, "amq.gen-parent"));
  const amqp::LinkCommand batch = amqp::take_next_publish(todo);
  EXPECT_TRUE(todo.empty());
  EXPECT_EQ(batch.kind, amqp::LinkCommand::Kind::kReply);
  EXPECT_EQ(batch.routing_key, "amq.gen-parent");
  EXPECT_TRUE(batch.ack_after_confirm);
  EXPECT_EQ(batch.taken_id, 1u);
  EXPECT_EQ(batch.also_taken, (std::vector<std::uint64_t>{2, 3})) << "all three acknowledged once it is confirmed";

  amqp::Message delivered = batch.message;
  EXPECT_EQ(delivered.body.find("x-fossa-node"), std::string::npos) << "the batch says it once for all";
  EXPECT_EQ(delivered.body.find("x-fossa-takes-batches"), std::string::npos);
  std::vector<amqp::LinkEvent> events;
  amqp::read_replies(delivered, events);
  ASSERT_EQ(events.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    const auto& reply = std::get<amqp::ReplyReceived>(events[i]);
    EXPECT_EQ(reply.correlation_id, "qwert:" + std::to_string(i + 1));
    EXPECT_EQ(reply.body, R"({"type": "TaskComplete"})");
    EXPECT_EQ(reply.node, "node-2");
    EXPECT_TRUE(reply.takes_batches);
    ASSERT_TRUE(reply.times);
    EXPECT_EQ(std::chrono::duration_cast<std::chrono::microseconds>(reply.times->ended - reply.times->started).count(), 1000);
  }
}

TEST(SubtaskBatch, OnlyFinalRepliesToBatchedSubtasksForTheSameQueueRightBehindEachOtherGoTogether) {
  std::deque<amqp::LinkCommand> todo;
  todo.push_back(final_reply(1, "amq.gen-a"));
  todo.push_back(final_reply(2, "amq.gen-b"));                     // another parent
  todo.push_back(final_reply(3, "amq.gen-b", /*in_batch=*/false));  // its subtask came on its own: maybe Python's
  auto log_line = final_reply(4, "amq.gen-b");
  log_line.ack_after_confirm = false;  // a log line, then its subtask's result
  todo.push_back(log_line);
  todo.push_back(final_reply(4, "amq.gen-b"));
  for (std::uint64_t expected : {1, 2, 3, 4, 4}) {
    const amqp::LinkCommand next = amqp::take_next_publish(todo);
    EXPECT_EQ(next.taken_id, expected);
    EXPECT_TRUE(next.also_taken.empty());
    EXPECT_FALSE(next.message.headers.contains(std::string(amqp::kBatchHeader))) << "each on its own, as it was";
  }
  EXPECT_TRUE(todo.empty());

  for (std::uint64_t id = 1; id <= amqp::kMaxBatchItems + 1; ++id) todo.push_back(final_reply(id, "amq.gen-a"));
  EXPECT_EQ(amqp::take_next_publish(todo).also_taken.size(), amqp::kMaxBatchItems - 1);
  EXPECT_EQ(todo.size(), 1u) << "a reply batch holds 64 at most";
}

TEST(SubtaskBatch, AReplyBatchThatIsNoneIsReportedAndNothingInItCounts) {
  amqp::Message m;
  m.headers[std::string(amqp::kBatchHeader)] = "1";
  m.body = R"({"replies": [{"correlation_id": "qwert:1"}]})";
  std::vector<amqp::LinkEvent> events;
  amqp::read_replies(m, events);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(std::get<amqp::UnreadableReplyBatch>(events[0]).reason, "replies[0].body is not a string");

  events.clear();
  amqp::Message single;
  single.correlation_id = "qwert:2";
  single.body = "{}";
  amqp::read_replies(single, events);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(std::get<amqp::ReplyReceived>(events[0]).correlation_id, "qwert:2") << "a reply on its own, as a Python worker's";
  EXPECT_FALSE(std::get<amqp::ReplyReceived>(events[0]).takes_batches) << "nor does it take batches";
  single.headers[std::string(amqp::kTakesBatchesHeader)] = "1";
  amqp::read_replies(single, events);
  EXPECT_TRUE(std::get<amqp::ReplyReceived>(events[1]).takes_batches) << "a node of ours that takes batches says so";
}

TEST(SubtaskBatch, AParentsBatchHoldsEachSubtaskAsItsOwnMessageWouldAndSplitsAtTheLimits) {
  std::vector<ayeaye::TaskSpec> specs(70);
  std::vector<amqp::OutgoingSubtask> out;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    specs[i].model_class = "Fanout";
    specs[i].method = "noop";
    specs[i].method_kwargs = {{"i", i}};
    specs[i].job_id = "job-1";
    specs[i].resolver_context.set("pw", "x", /*secret=*/true);
    out.push_back({"qwert:" + std::to_string(i), &specs[i]});
  }
  const auto commands = amqp::subtask_batch_commands(out);
  ASSERT_EQ(commands.size(), 2u) << "64 a batch at most";
  const amqp::LinkCommand single = amqp::subtask_command("qwert:65", specs[65]);
  EXPECT_EQ(single.routing_key, "fossa_task_queue");
  EXPECT_TRUE(single.message.persistent);
  for (const auto& command : commands) {
    EXPECT_EQ(command.routing_key, amqp::kBatchQueue);
    EXPECT_TRUE(command.message.persistent);
  }
  const auto second = amqp::decode_subtask_batch(commands[1].message.body);
  ASSERT_TRUE(second) << second.error();
  ASSERT_EQ(second->size(), 6u);
  EXPECT_EQ((*second)[1].correlation_id, single.message.correlation_id);
  EXPECT_EQ((*second)[1].body, single.message.body);
  EXPECT_EQ((*second)[1].headers, single.message.headers) << "log replies, secret keys and job id, as on its own";

  specs[0].method_kwargs = {{"blob", std::string(amqp::kMaxBatchBytes, 'x')}};
  const auto big = amqp::subtask_batch_commands({out[0], out[1], out[2]});
  ASSERT_EQ(big.size(), 2u) << "the subtask larger than a batch's bytes alone, the others after it";
  EXPECT_EQ(amqp::decode_subtask_batch(big[0].message.body)->size(), 1u);
  EXPECT_EQ(amqp::decode_subtask_batch(big[1].message.body)->size(), 2u);
}
