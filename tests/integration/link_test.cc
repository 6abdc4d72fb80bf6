// The AMQP link against a real broker: what its bounded outbound queue (amqp/link_commands.h)
// keeps and drops is what reaches the broker.
#include "amqp/link.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <string>
#include <variant>
#include <vector>

#include "ayeaye/json_input.h"
#include "cluster/broker_process.h"
#include "support/queue_reader.h"

namespace {

using fossa::amqp::Link;

constexpr const char* kReplyQueue = "link_test_replies";

// Waits (a hang guard of a minute, not a synchronisation) until the link says it is connected.
bool wait_for_link_up(Link& link, int wake_fd) {
  for (int round = 0; round < 60; ++round) {
    pollfd fd{wake_fd, POLLIN, 0};
    if (::poll(&fd, 1, 1000) > 0) {
      std::uint64_t count = 0;
      (void)!::read(wake_fd, &count, sizeof count);
    }
    for (const auto& event : link.take_events()) {
      if (std::holds_alternative<fossa::amqp::LinkUp>(event)) return true;
    }
  }
  return false;
}

std::string type_of(const std::string& body) { return ayeaye::parse_json_or_null(body).value("type", ""); }

}  // namespace

TEST(Link, LogRepliesBeyondItsOutboundLimitAreDroppedAndCountedTheResultNever) {
  auto broker = fossa::BrokerProcess::start({});
  ASSERT_TRUE(broker.ok()) << broker.error();
  const std::string url = (*broker)->amqp_url();
  {
    auto setup = fossa::amqp::Connection::open({url});
    ASSERT_TRUE(setup) << setup.error();
    ASSERT_TRUE((*setup)->declare_queue(kReplyQueue, /*durable=*/false, /*exclusive=*/false));
  }

  fossa::amqp::LinkStatus status;
  fossa::amqp::LinkOptions options;
  options.url = url;
  options.consume_subtasks = false;
  options.node_ident = "link-test";
  options.status = &status;
  options.outbound.log_replies = 3;
  fossa::FileDescriptor wake(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  Link link(options, wake.get());

  // Not started yet: nothing leaves, so the queue fills as behind a slow or absent broker.
  fossa::amqp::SubtaskDelivery task;
  task.reply_to = kReplyQueue;
  task.correlation_id = "abcde:0";
  int kept = 0;
  for (int i = 0; i < 10; ++i) {
    kept += link.send_reply(/*taken_id=*/1, task, ayeaye::TaskLogMessage{"line " + std::to_string(i)}, false, std::nullopt)
                ? 1
                : 0;
  }
  EXPECT_EQ(kept, 3);
  EXPECT_TRUE(link.send_reply(1, task, ayeaye::TaskComplete{"noop", ayeaye::Json::object(), 7}, /*final=*/true, std::nullopt))
      << "a result is never dropped";
  EXPECT_EQ(link.dropped_log_replies(), 7u);
  EXPECT_EQ(status.snapshot().log_replies_dropped, 7u);

  link.start();
  ASSERT_TRUE(wait_for_link_up(link, wake.get())) << "the link did not connect";
  ASSERT_TRUE(link.flush(std::chrono::seconds(60))) << "the link did not send what it kept";
  const auto bodies = fossa::testing::consume_bodies(url, kReplyQueue, 4);
  ASSERT_EQ(bodies.size(), 4u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(type_of(bodies[i]), "TaskLogMessage") << bodies[i];
  EXPECT_EQ(type_of(bodies[3]), "TaskComplete") << bodies[3];
  EXPECT_EQ(status.snapshot().log_replies_dropped, 7u) << "connecting keeps the count";
}
