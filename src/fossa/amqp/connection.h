// Connection: one AMQP 0-9-1 connection with two channels, over rabbitmq-c, for a single owner
// thread. It hides rabbitmq-c's C calls and error codes behind what the node needs: connect by
// URL (amqp:// or amqps:// with TLS, as Amazon MQ requires), heartbeats, publisher confirms,
// queues, consumers with a prefetch, and a non-blocking read of what the broker sent.
//
// Errors: every call returns an ayeaye::Result; after any error the connection is unusable and
// the owner makes a new one (src/fossa/amqp/link.h does, with backoff).
#pragma once

#include <amqp.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "ayeaye/error.h"

namespace fossa::amqp {

// A message as published or delivered: the properties Fossa uses, and string headers.
struct Message {
  std::string body;
  std::string reply_to;
  std::string correlation_id;
  std::string content_type;
  bool persistent = false;
  // Milliseconds the message may wait in a queue (the `expiration` property), empty for ever; only
  // published, never read back (the broker drops it when it dead-letters an expired message).
  std::string expiration;
  std::map<std::string, std::string> headers;
};

// Things the broker sends, read by Connection::poll().
struct Delivery {
  std::uint64_t delivery_tag = 0;
  std::string consumer_tag;
  bool redelivered = false;
  Message message;
};
// Publisher confirms: the broker has taken (ack) or refused (nack) publishes up to `sequence`
// (all of them up to it when `multiple`, else that one).
struct Confirm {
  std::uint64_t sequence = 0;
  bool multiple = false;
  bool ack = true;
};
using Incoming = std::variant<Delivery, Confirm>;

class Connection {
 public:
  struct Options {
    std::string url;  // amqp://user:pass@host:port/vhost or amqps://...
    std::chrono::seconds heartbeat{30};
    std::string client_name = "fossa";
  };

  // Publishes, declares and the subtasks taken go on kWork. Deliveries that are acknowledged as
  // soon as they are read (replies, cancellations) can go on kReplies: delivery tags count per
  // channel, so one `multiple` acknowledgement there covers all of them read so far, without
  // touching a subtask still held on kWork.
  enum class Channel : amqp_channel_t { kWork = 1, kReplies = 2 };

  static ayeaye::Result<std::unique_ptr<Connection>> open(const Options& options);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Declares a queue; `name` empty: a server-named, exclusive, auto-delete queue. Returns its name.
  // `arguments` are string queue arguments (x-dead-letter-exchange, ...); a queue that exists with
  // other arguments is an error (the broker closes the channel).
  ayeaye::Result<std::string> declare_queue(const std::string& name, bool durable, bool exclusive,
                                            const std::map<std::string, std::string>& arguments = {});
  // A queue's depth, by a passive declare (which makes nothing): the messages ready in it (not
  // those delivered and awaiting an ack) and its consumers; `exists` false when there is no such
  // queue. The broker closes the channel on a missing queue, so the connection is done after that.
  struct QueueCount {
    bool exists = true;
    std::uint32_t ready = 0;
    std::uint32_t consumers = 0;
  };
  ayeaye::Result<QueueCount> count_queue(const std::string& name);
  // Declares a fanout exchange (not durable: what goes through it matters only to those bound now)
  // and binds `queue` to it.
  ayeaye::Result<bool> bind_to_fanout(const std::string& queue, const std::string& exchange);
  // Starts a consumer with manual acknowledgement and at most `prefetch` unacknowledged deliveries.
  ayeaye::Result<std::string> consume(const std::string& queue, int prefetch, Channel channel = Channel::kWork);
  // Ends a consumer: the broker sends it nothing more (deliveries already on their way still come).
  ayeaye::Result<bool> cancel(const std::string& consumer_tag);
  // Publishes to `exchange`, by default the default exchange (routing key = queue name). Returns
  // the publish's confirm sequence number (1, 2, ... on this connection).
  ayeaye::Result<std::uint64_t> publish(const std::string& routing_key, const Message& message,
                                        const std::string& exchange = "");
  // With `multiple`, every delivery of the channel up to `delivery_tag` not yet acknowledged.
  ayeaye::Result<bool> ack(std::uint64_t delivery_tag, bool multiple = false, Channel channel = Channel::kWork);
  // Returns a delivery to its queue (for another consumer, or this one later).
  ayeaye::Result<bool> requeue(std::uint64_t delivery_tag);

  // Reads what the broker has sent, waiting at most `timeout` for the first of it (zero: not at
  // all). Also keeps heartbeats flowing; call it at least every heartbeat/2.
  ayeaye::Result<std::vector<Incoming>> poll(std::chrono::milliseconds timeout);
  // The socket, for poll(2) beside other descriptors; true when data is already buffered here.
  int socket_fd() const;
  bool has_buffered_data() const;

  const std::string& server_description() const { return server_; }

 private:
  Connection() = default;
  ayeaye::Result<bool> check_rpc(const char* what);
  ayeaye::Result<bool> read_method_frame(std::vector<Incoming>& out);

  amqp_connection_state_t state_ = nullptr;
  std::uint64_t next_sequence_ = 1;
  bool broken_ = false;  // after any error: no polite close, just drop it
  std::string server_;
};

// "amqp://guest:***@127.0.0.1:5672/": a URL fit for a log line.
std::string redact_url(const std::string& url);

}  // namespace fossa::amqp
