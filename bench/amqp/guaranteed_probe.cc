// The same-guarantees AMQP probe: the round trip of the raw probe (amqp_probe.cc), with every
// guarantee Fossa gives a subtask and nothing else — persistent requests to a durable queue,
// publisher confirms on every publish, and a request acknowledged only once its reply is
// confirmed by the broker. No model, no process, no node: the limit of the protocol as Fossa uses
// it, which Fossa's subtasks/s is measured against beside the raw probe.
// Usage: bench_amqp_guaranteed_probe [round trips] [window]    Prints: round_trips_per_s p50_ms p99_ms
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "amqp/connection.h"
#include "probe_run.h"

namespace {

using Clock = std::chrono::steady_clock;
using fossa::amqp::Confirm;
using fossa::amqp::Connection;
using fossa::amqp::Delivery;
using fossa::amqp::Message;

constexpr const char* kQueue = "probe_guaranteed_requests";

std::unique_ptr<Connection> connect(const std::string& url) {
  auto connection = Connection::open({url, std::chrono::seconds(30), "guaranteed-probe"});
  if (!connection) {
    std::fprintf(stderr, "cannot connect to the broker: %s\n", connection.error().c_str());
    std::exit(1);
  }
  return std::move(connection).value();
}

template <class T>
T must(ayeaye::Result<T> result, const char* what) {
  if (!result) {
    std::fprintf(stderr, "%s: %s\n", what, result.error().c_str());
    std::exit(1);
  }
  return std::move(result).value();
}

// Calls `on_ack(sequence)` for each publish a confirm covers, in order.
template <class OnAck>
void settle(const Confirm& confirm, std::map<std::uint64_t, std::uint64_t>& pending, OnAck on_ack) {
  if (!confirm.ack) {
    std::fprintf(stderr, "the broker refused publish %llu\n", static_cast<unsigned long long>(confirm.sequence));
    std::exit(1);
  }
  const auto end = confirm.multiple ? pending.upper_bound(confirm.sequence) : std::next(pending.find(confirm.sequence));
  for (auto it = pending.begin(); it != end;) {
    on_ack(it->second);
    it = pending.erase(it);
  }
}

// The worker side: for each request, publish its reply persistently, and ack the request only
// when the broker has confirmed that reply (a worker that dies before then loses nothing).
void worker(const std::string& url, std::size_t count, int prefetch) {
  auto connection = connect(url);
  must(connection->consume(kQueue, prefetch), "consume");
  std::map<std::uint64_t, std::uint64_t> reply_to_request;  // reply's confirm sequence → delivery tag
  std::size_t acked = 0;
  while (acked < count) {
    for (auto& incoming : must(connection->poll(std::chrono::milliseconds(1000)), "worker poll")) {
      if (auto* delivery = std::get_if<Delivery>(&incoming)) {
        Message reply;
        reply.body = R"({"type": "TaskComplete", "payload": {"method_name": "noop", "return_value": 0}})";
        reply.correlation_id = delivery->message.correlation_id;
        reply.persistent = true;
        const auto sequence = must(connection->publish(delivery->message.reply_to, reply), "publish reply");
        reply_to_request[sequence] = delivery->delivery_tag;
      } else {
        settle(std::get<Confirm>(incoming), reply_to_request, [&](std::uint64_t tag) {
          must(connection->ack(tag), "ack request");
          ++acked;
        });
      }
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  auto probe = bench::start_probe(argc, argv);
  if (!probe) return 1;
  const std::size_t count = probe->count;
  const std::size_t window = probe->window;
  const std::string url = "amqp://guest:guest@127.0.0.1:" + std::to_string(probe->broker->amqp_port()) + "/";

  auto connection = connect(url);
  must(connection->declare_queue(kQueue, /*durable=*/true, /*exclusive=*/false), "declare the request queue");
  const std::string reply_to = must(connection->declare_queue("", false, true), "declare the reply queue");
  must(connection->consume(reply_to, static_cast<int>(window) * 2), "consume replies");
  std::thread far_side(worker, url, count, static_cast<int>(window));

  std::vector<Clock::time_point> sent(count);
  std::vector<double> round_trip_ms;
  round_trip_ms.reserve(count);
  std::map<std::uint64_t, std::uint64_t> unconfirmed;  // request's confirm sequence → its index
  std::size_t next = 0;
  auto publish = [&] {
    Message request;
    request.body = R"({"model_class": "Fanout", "method": "noop", "method_kwargs": {"i": 0}})";
    request.reply_to = reply_to;
    request.correlation_id = std::to_string(next);
    request.persistent = true;
    sent[next] = Clock::now();
    unconfirmed[must(connection->publish(kQueue, request), "publish request")] = next;
    ++next;
  };
  const auto started = Clock::now();
  while (next < std::min(window, count)) publish();
  while (round_trip_ms.size() < count) {
    for (auto& incoming : must(connection->poll(std::chrono::milliseconds(1000)), "poll")) {
      if (auto* delivery = std::get_if<Delivery>(&incoming)) {
        const auto index = std::stoul(delivery->message.correlation_id);
        round_trip_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - sent[index]).count());
        must(connection->ack(delivery->delivery_tag), "ack reply");
        if (next < count) publish();
      } else {
        settle(std::get<Confirm>(incoming), unconfirmed, [](std::uint64_t) {});
      }
    }
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  far_side.join();

  bench::print_result(count, seconds, std::move(round_trip_ms));
  return 0;
}
