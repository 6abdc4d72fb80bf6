// The raw AMQP round-trip probe: publish -> consume -> reply -> consume, pipelined, with the same
// client library (rabbitmq-c) the engine uses, against a private broker. What the broker and the
// library can do with no Fossa in the way: the ceiling that Fossa's subtasks/s is measured against.
// Usage: bench_amqp_probe [round trips] [window]    Prints: round_trips_per_s p50_ms p99_ms
// Keep the window modest: with 500 in flight the two single-threaded connections can wedge, each
// blocked writing while the broker waits for it to read.
#include <amqp.h>
#include <amqp_tcp_socket.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "probe_run.h"

namespace {

using Clock = std::chrono::steady_clock;

amqp_connection_state_t connect(int port) {
  amqp_connection_state_t connection = amqp_new_connection();
  amqp_socket_t* socket = amqp_tcp_socket_new(connection);
  if (amqp_socket_open(socket, "127.0.0.1", port) != AMQP_STATUS_OK ||
      amqp_login(connection, "/", 0, 131072, 0, AMQP_SASL_METHOD_PLAIN, "guest", "guest").reply_type !=
          AMQP_RESPONSE_NORMAL) {
    std::fprintf(stderr, "cannot connect to the broker\n");
    std::exit(1);
  }
  amqp_channel_open(connection, 1);
  return connection;
}

// The far side: takes each request and publishes it back to its reply_to, acknowledging it.
void echo(int port, std::size_t count) {
  amqp_connection_state_t connection = connect(port);
  amqp_basic_qos(connection, 1, 0, 500, 0);
  amqp_basic_consume(connection, 1, amqp_cstring_bytes("probe_requests"), amqp_empty_bytes, 0, 0, 0, amqp_empty_table);
  for (std::size_t i = 0; i < count; ++i) {
    amqp_envelope_t envelope;
    amqp_maybe_release_buffers(connection);
    if (amqp_consume_message(connection, &envelope, nullptr, 0).reply_type != AMQP_RESPONSE_NORMAL) break;
    amqp_basic_properties_t reply{};
    reply._flags = AMQP_BASIC_CORRELATION_ID_FLAG;
    reply.correlation_id = envelope.message.properties.correlation_id;
    amqp_basic_publish(connection, 1, amqp_empty_bytes, envelope.message.properties.reply_to, 0, 0, &reply,
                       envelope.message.body);
    amqp_basic_ack(connection, 1, envelope.delivery_tag, 0);
    amqp_destroy_envelope(&envelope);
  }
  amqp_destroy_connection(connection);
}

}  // namespace

int main(int argc, char** argv) {
  auto probe = bench::start_probe(argc, argv);
  if (!probe) return 1;
  const std::size_t count = probe->count;
  const std::size_t window = probe->window;
  const int port = probe->broker->amqp_port();

  amqp_connection_state_t connection = connect(port);
  amqp_queue_declare(connection, 1, amqp_cstring_bytes("probe_requests"), 0, 0, 0, 0, amqp_empty_table);
  amqp_queue_declare_ok_t* reply_queue = amqp_queue_declare(connection, 1, amqp_empty_bytes, 0, 0, 1, 1, amqp_empty_table);
  const std::string reply_to(static_cast<const char*>(reply_queue->queue.bytes), reply_queue->queue.len);
  amqp_basic_consume(connection, 1, amqp_cstring_bytes(reply_to.c_str()), amqp_empty_bytes, 0, 1, 0, amqp_empty_table);
  std::thread far_side(echo, port, count);

  const std::string body = R"({"model_class": "Fanout", "method": "noop", "method_kwargs": {"i": 0}})";
  std::vector<Clock::time_point> sent(count);
  std::vector<double> round_trip_ms;
  round_trip_ms.reserve(count);
  std::size_t next = 0;
  auto publish = [&] {
    const std::string id = std::to_string(next);
    amqp_basic_properties_t properties{};
    properties._flags = AMQP_BASIC_REPLY_TO_FLAG | AMQP_BASIC_CORRELATION_ID_FLAG;
    properties.reply_to = amqp_cstring_bytes(reply_to.c_str());
    properties.correlation_id = amqp_cstring_bytes(id.c_str());
    sent[next++] = Clock::now();
    amqp_basic_publish(connection, 1, amqp_empty_bytes, amqp_cstring_bytes("probe_requests"), 0, 0, &properties,
                       amqp_cstring_bytes(body.c_str()));
  };
  const auto started = Clock::now();
  while (next < std::min(window, count)) publish();
  for (std::size_t done = 0; done < count; ++done) {
    amqp_envelope_t envelope;
    amqp_maybe_release_buffers(connection);
    if (amqp_consume_message(connection, &envelope, nullptr, 0).reply_type != AMQP_RESPONSE_NORMAL) return 1;
    const std::string id(static_cast<const char*>(envelope.message.properties.correlation_id.bytes),
                         envelope.message.properties.correlation_id.len);
    round_trip_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - sent[std::stoul(id)]).count());
    amqp_destroy_envelope(&envelope);
    if (next < count) publish();
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  far_side.join();
  amqp_destroy_connection(connection);

  bench::print_result(count, seconds, std::move(round_trip_ms));
  return 0;
}
