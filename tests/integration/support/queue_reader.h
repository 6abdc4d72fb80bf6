// Reading a queue of a test's broker, for tests that check what reached it.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

#include "amqp/connection.h"

namespace fossa::testing {

// Consumes what `queue` holds: the bodies of `count` messages, or fewer when no more come within
// a minute (a hang guard: the broker hands over what it has at once).
inline std::vector<std::string> consume_bodies(const std::string& url, const std::string& queue, std::size_t count) {
  std::vector<std::string> bodies;
  auto connection = fossa::amqp::Connection::open({url});
  if (!connection) {
    ADD_FAILURE() << connection.error();
    return bodies;
  }
  auto& c = **connection;
  if (auto consumer = c.consume(queue, static_cast<int>(count) + 1); !consumer) {
    ADD_FAILURE() << consumer.error();
    return bodies;
  }
  while (bodies.size() < count) {
    auto incoming = c.poll(std::chrono::seconds(60));
    if (!incoming || incoming->empty()) break;
    for (auto& item : *incoming) {
      if (auto* delivery = std::get_if<fossa::amqp::Delivery>(&item)) {
        bodies.push_back(delivery->message.body);
        EXPECT_TRUE(c.ack(delivery->delivery_tag));
      }
    }
  }
  return bodies;
}

}  // namespace fossa::testing
