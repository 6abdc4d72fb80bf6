// Reading a queue of a test's broker, for tests that check what reached it.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

#include "amqp/connection.h"

namespace fossa::testing {

// The deliveries that the next poll of `connection` (a consumer) brings, polling until one brings
// any; other items (publisher confirms) are passed over. Fails when the connection does, or when
// nothing comes within a minute: a hang guard, not a synchronisation (the broker hands over what
// it has at once).
inline ayeaye::Result<std::vector<fossa::amqp::Delivery>> next_deliveries(fossa::amqp::Connection& connection) {
  using R = ayeaye::Result<std::vector<fossa::amqp::Delivery>>;
  std::vector<fossa::amqp::Delivery> deliveries;
  while (deliveries.empty()) {
    auto incoming = connection.poll(std::chrono::seconds(60));
    if (!incoming) return R::fail(incoming.error());
    if (incoming->empty()) return R::fail("nothing was delivered within 60 s");
    for (auto& item : *incoming) {
      if (auto* delivery = std::get_if<fossa::amqp::Delivery>(&item)) deliveries.push_back(std::move(*delivery));
    }
  }
  return deliveries;
}

// The next delivery to a consumer with a prefetch of 1, so that a poll brings at most one; more
// is a failure of the test's set-up.
inline ayeaye::Result<fossa::amqp::Delivery> next_delivery(fossa::amqp::Connection& connection) {
  using R = ayeaye::Result<fossa::amqp::Delivery>;
  auto deliveries = next_deliveries(connection);
  if (!deliveries) return R::fail(deliveries.error());
  if (deliveries->size() != 1) {
    return R::fail(std::to_string(deliveries->size()) + " deliveries came at once: consume with a prefetch of 1");
  }
  return std::move(deliveries->front());
}

// Consumes what `queue` holds: the bodies of `count` messages, or fewer when no more come within
// a minute.
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
    auto deliveries = next_deliveries(c);
    if (!deliveries) break;
    for (const auto& delivery : *deliveries) {
      bodies.push_back(delivery.message.body);
      EXPECT_TRUE(c.ack(delivery.delivery_tag));
    }
  }
  return bodies;
}

}  // namespace fossa::testing
