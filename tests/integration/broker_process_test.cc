// A private RabbitMQ started by BrokerProcess, proven with a real AMQP round trip (rabbitmq-c).
#include "cluster/broker_process.h"

#include <gtest/gtest.h>
#include <amqp.h>
#include <amqp_tcp_socket.h>
#include <signal.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <variant>
#include <vector>

#include "amqp/connection.h"
#include "support/queue_reader.h"

namespace {

// Publishes `body` to `queue` and gets it back; returns what came back (empty on failure).
std::string round_trip(int port, const std::string& queue, const std::string& body) {
  amqp_connection_state_t connection = amqp_new_connection();
  amqp_socket_t* socket = amqp_tcp_socket_new(connection);
  std::string got;
  const int opened = amqp_socket_open(socket, "127.0.0.1", port);
  const auto login = opened == AMQP_STATUS_OK
                         ? amqp_login(connection, "/", 0, 131072, 0, AMQP_SASL_METHOD_PLAIN, "guest", "guest").reply_type
                         : AMQP_RESPONSE_NONE;
  if (opened != AMQP_STATUS_OK) ADD_FAILURE() << "open: " << amqp_error_string2(opened);
  if (login != AMQP_RESPONSE_NORMAL) ADD_FAILURE() << "login reply type " << login;
  if (opened == AMQP_STATUS_OK && login == AMQP_RESPONSE_NORMAL) {
    amqp_channel_open(connection, 1);
    amqp_queue_declare(connection, 1, amqp_cstring_bytes(queue.c_str()), 0, 1, 0, 0, amqp_empty_table);
    amqp_basic_properties_t properties{};
    amqp_basic_publish(connection, 1, amqp_empty_bytes, amqp_cstring_bytes(queue.c_str()), 0, 0, &properties,
                       amqp_cstring_bytes(body.c_str()));
    // basic.get until the message is there: publishing is asynchronous.
    for (int attempt = 0; attempt < 200 && got.empty(); ++attempt) {
      amqp_rpc_reply_t reply = amqp_basic_get(connection, 1, amqp_cstring_bytes(queue.c_str()), 1);
      if (reply.reply_type == AMQP_RESPONSE_NORMAL && reply.reply.id == AMQP_BASIC_GET_OK_METHOD) {
        amqp_message_t message;
        if (amqp_read_message(connection, 1, &message, 0).reply_type == AMQP_RESPONSE_NORMAL) {
          got.assign(static_cast<const char*>(message.body.bytes), message.body.len);
          amqp_destroy_message(&message);
        }
      }
    }
    amqp_channel_close(connection, 1, AMQP_REPLY_SUCCESS);
    amqp_connection_close(connection, AMQP_REPLY_SUCCESS);
  }
  amqp_destroy_connection(connection);
  return got;
}

// Publishes `bodies` as persistent messages to the durable queue `queue` and returns once the broker
// has confirmed every one: for a persistent message on a durable queue, a confirm means it is on disk.
void publish_persistent(const std::string& url, const std::string& queue, const std::vector<std::string>& bodies) {
  auto connection = fossa::amqp::Connection::open({url});
  ASSERT_TRUE(connection) << connection.error();
  auto& c = **connection;
  ASSERT_TRUE(c.declare_queue(queue, /*durable=*/true, /*exclusive=*/false));
  std::uint64_t last = 0;
  for (const auto& body : bodies) {
    fossa::amqp::Message message;
    message.body = body;
    message.persistent = true;
    auto sequence = c.publish(queue, message);
    ASSERT_TRUE(sequence) << sequence.error();
    last = *sequence;
  }
  std::uint64_t confirmed = 0;
  while (confirmed < last) {
    auto incoming = c.poll(std::chrono::seconds(60));  // a hang guard, not a synchronisation
    ASSERT_TRUE(incoming) << incoming.error();
    ASSERT_FALSE(incoming->empty()) << "the broker did not confirm the publishes";
    for (const auto& item : *incoming) {
      const auto& confirm = std::get<fossa::amqp::Confirm>(item);
      ASSERT_TRUE(confirm.ack) << "the broker refused publish " << confirm.sequence;
      confirmed = std::max(confirmed, confirm.sequence);
    }
  }
}

}  // namespace

TEST(BrokerProcess, StartsAPrivateBrokerThatCarriesMessagesAndCleansUp) {
  std::string directory;
  pid_t pid = -1;
  {
    auto broker = fossa::BrokerProcess::start({});
    ASSERT_TRUE(broker.ok()) << broker.error();
    directory = (*broker)->directory();
    pid = (*broker)->pid();
    EXPECT_EQ(round_trip((*broker)->amqp_port(), "fossa_test_queue", "hello"), "hello");

    pid = (*broker)->pid();
  }
  EXPECT_FALSE(std::filesystem::exists(directory)) << "the private directory is removed";
  EXPECT_NE(::kill(pid, 0), 0) << "the broker process is gone";
}

TEST(BrokerProcess, AfterACrashAndRestartItStillHoldsThePersistentMessagesItConfirmed) {
  auto broker = fossa::BrokerProcess::start({});
  ASSERT_TRUE(broker.ok()) << broker.error();
  const std::string url = (*broker)->amqp_url();
  const std::vector<std::string> sent = {"first", "second", "third"};
  publish_persistent(url, "fossa_test_durable", sent);
  if (::testing::Test::HasFatalFailure()) return;

  // The broker has answered the queue's declaration, but may not yet have written the record that
  // makes it survive a crash (see BrokerProcess::sync_metadata): the messages it confirmed are
  // what this test is about, so the declaration is made to last first.
  auto synced = (*broker)->sync_metadata();
  ASSERT_TRUE(synced.ok()) << synced.error();

  // Killed as a crash would, then started again on the same port and data directory.
  (*broker)->kill();
  auto restarted = (*broker)->restart();
  ASSERT_TRUE(restarted.ok()) << restarted.error();
  EXPECT_EQ(fossa::testing::consume_bodies(url, "fossa_test_durable", sent.size()), sent);
  EXPECT_EQ(round_trip((*broker)->amqp_port(), "fossa_test_queue", "again"), "again") << "it serves as before";
}
