#include "amqp/link_commands.h"

#include <gtest/gtest.h>

#include <string>

using fossa::amqp::LinkCommand;
using fossa::amqp::LinkCommands;
using Kind = fossa::amqp::LinkCommand::Kind;

namespace {

LinkCommand log_reply(const std::string& body) {
  LinkCommand command;
  command.kind = Kind::kReply;
  command.message.body = body;
  return command;
}

LinkCommand final_reply(const std::string& body) {
  LinkCommand command = log_reply(body);
  command.ack_after_confirm = true;
  return command;
}

LinkCommand of_kind(Kind kind) {
  LinkCommand command;
  command.kind = kind;
  command.message.body = "x";
  command.ack_after_confirm = kind == Kind::kDeadLetter;
  return command;
}

}  // namespace

TEST(LinkCommands, GivesCommandsBackInTheOrderTheyCame) {
  LinkCommands commands;
  EXPECT_TRUE(commands.push(log_reply("a")));
  EXPECT_TRUE(commands.push(final_reply("b")));
  EXPECT_TRUE(commands.push(of_kind(Kind::kSubtask)));
  EXPECT_EQ(commands.pop()->message.body, "a");
  EXPECT_EQ(commands.pop()->message.body, "b");
  EXPECT_EQ(commands.pop()->kind, Kind::kSubtask);
  EXPECT_FALSE(commands.pop());
  EXPECT_TRUE(commands.empty());
}

TEST(LinkCommands, DropsAndCountsLogRepliesBeyondTheCountLimit) {
  LinkCommands commands({/*log_replies=*/2, /*log_reply_bytes=*/1000});
  EXPECT_TRUE(commands.push(log_reply("1")));
  EXPECT_TRUE(commands.push(log_reply("2")));
  EXPECT_FALSE(commands.push(log_reply("3")));
  EXPECT_FALSE(commands.push(log_reply("4")));
  EXPECT_EQ(commands.dropped_log_replies(), 2u);
  EXPECT_EQ(commands.size(), 2u);
}

TEST(LinkCommands, DropsAndCountsLogRepliesBeyondTheByteLimit) {
  LinkCommands commands({/*log_replies=*/100, /*log_reply_bytes=*/10});
  EXPECT_TRUE(commands.push(log_reply("123456")));
  EXPECT_FALSE(commands.push(log_reply("123456"))) << "12 bytes would be over the 10 allowed";
  EXPECT_TRUE(commands.push(log_reply("1234"))) << "10 bytes are not";
  EXPECT_EQ(commands.dropped_log_replies(), 1u);
}

TEST(LinkCommands, NeverDropsResultsSubtasksDeadLettersGiveBacksOrControl) {
  LinkCommands commands({/*log_replies=*/1, /*log_reply_bytes=*/1});
  ASSERT_TRUE(commands.push(log_reply("x")));
  ASSERT_FALSE(commands.push(log_reply("y"))) << "the queue is full of log lines";
  for (int i = 0; i < 100; ++i) {
    EXPECT_TRUE(commands.push(final_reply(std::string(100, 'r'))));
    EXPECT_TRUE(commands.push(of_kind(Kind::kSubtask)));
    EXPECT_TRUE(commands.push(of_kind(Kind::kDeadLetter)));
    EXPECT_TRUE(commands.push(of_kind(Kind::kGiveBack)));
    EXPECT_TRUE(commands.push(of_kind(Kind::kStopTaking)));
  }
  EXPECT_EQ(commands.size(), 501u);
  EXPECT_EQ(commands.dropped_log_replies(), 1u);
}

TEST(LinkCommands, ALogReplyTakenOutMakesRoomForTheNext) {
  LinkCommands commands({/*log_replies=*/1, /*log_reply_bytes=*/1000});
  ASSERT_TRUE(commands.push(log_reply("1")));
  ASSERT_FALSE(commands.push(log_reply("2")));
  ASSERT_TRUE(commands.pop());
  EXPECT_EQ(commands.queued_log_replies(), 0u);
  EXPECT_TRUE(commands.push(log_reply("3")));
}

TEST(LinkCommands, WhatIsPutBackGoesFirstAndIsNeverDropped) {
  LinkCommands commands({/*log_replies=*/1, /*log_reply_bytes=*/1000});
  ASSERT_TRUE(commands.push(log_reply("queued")));
  // Taken by the link and not sent (its connection was lost), or to be sent again: it goes back
  // before what came after it, even beyond the limit.
  commands.push_front(log_reply("put back"));
  EXPECT_EQ(commands.size(), 2u);
  EXPECT_EQ(commands.dropped_log_replies(), 0u);
  EXPECT_FALSE(commands.push(log_reply("new"))) << "both count against the limit";
  EXPECT_EQ(commands.pop()->message.body, "put back");
  EXPECT_EQ(commands.pop()->message.body, "queued");
}
