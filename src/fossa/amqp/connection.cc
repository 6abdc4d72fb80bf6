#include "amqp/connection.h"

#include <amqp_ssl_socket.h>
#include <amqp_tcp_socket.h>

#include <algorithm>
#include <cstring>

namespace fossa::amqp {
namespace {

constexpr auto kChannel = static_cast<amqp_channel_t>(Connection::Channel::kWork);
constexpr int kFrameMax = 131072;

std::string to_string(amqp_bytes_t bytes) { return {static_cast<const char*>(bytes.bytes), bytes.len}; }

amqp_bytes_t bytes_of(const std::string& text) { return {text.size(), const_cast<char*>(text.data())}; }

timeval to_timeval(std::chrono::milliseconds ms) {
  return {static_cast<time_t>(ms.count() / 1000), static_cast<suseconds_t>((ms.count() % 1000) * 1000)};
}

std::string describe(const amqp_rpc_reply_t& reply) {
  switch (reply.reply_type) {
    case AMQP_RESPONSE_NORMAL:
      return "no error";
    case AMQP_RESPONSE_NONE:
      return "no reply from the broker";
    case AMQP_RESPONSE_LIBRARY_EXCEPTION:
      return amqp_error_string2(reply.library_error);
    case AMQP_RESPONSE_SERVER_EXCEPTION:
      if (reply.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
        const auto* close = static_cast<amqp_connection_close_t*>(reply.reply.decoded);
        return "the broker closed the connection: " + to_string(close->reply_text);
      }
      if (reply.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
        const auto* close = static_cast<amqp_channel_close_t*>(reply.reply.decoded);
        return "the broker closed the channel: " + to_string(close->reply_text);
      }
      return "the broker answered with an unexpected method";
  }
  return "unknown error";
}

Message from_amqp(const amqp_basic_properties_t& p, amqp_bytes_t body) {
  Message m;
  m.body = to_string(body);
  if (p._flags & AMQP_BASIC_REPLY_TO_FLAG) m.reply_to = to_string(p.reply_to);
  if (p._flags & AMQP_BASIC_CORRELATION_ID_FLAG) m.correlation_id = to_string(p.correlation_id);
  if (p._flags & AMQP_BASIC_CONTENT_TYPE_FLAG) m.content_type = to_string(p.content_type);
  if (p._flags & AMQP_BASIC_DELIVERY_MODE_FLAG) m.persistent = p.delivery_mode == 2;
  if (p._flags & AMQP_BASIC_HEADERS_FLAG) {
    for (int i = 0; i < p.headers.num_entries; ++i) {
      const amqp_table_entry_t& entry = p.headers.entries[i];
      // Only string headers mean anything to Fossa; others are kept out rather than guessed at.
      if (entry.value.kind == AMQP_FIELD_KIND_UTF8 || entry.value.kind == AMQP_FIELD_KIND_BYTES) {
        m.headers[to_string(entry.key)] = to_string(entry.value.value.bytes);
      }
    }
  }
  return m;
}

}  // namespace

std::string redact_url(const std::string& url) {
  const auto scheme = url.find("://");
  const auto at = url.rfind('@');
  if (scheme == std::string::npos || at == std::string::npos || at < scheme) return url;
  const auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

ayeaye::Result<std::unique_ptr<Connection>> Connection::open(const Options& options) {
  using R = ayeaye::Result<std::unique_ptr<Connection>>;
  std::vector<char> url(options.url.begin(), options.url.end());
  url.push_back('\0');
  amqp_connection_info info;
  amqp_default_connection_info(&info);
  if (amqp_parse_url(url.data(), &info) != AMQP_STATUS_OK) {
    return R::fail("not an AMQP URL (amqp://user:password@host:port/vhost or amqps://...): " + redact_url(options.url));
  }
  // "amqp://host:5672/" names the vhost "" by the letter of the URI spec, but everyone (pika,
  // Python Fossa's users) means the default one, "/". An empty vhost is never what is meant.
  char default_vhost[] = "/";
  if (info.vhost == nullptr || *info.vhost == '\0') info.vhost = default_vhost;
  std::unique_ptr<Connection> connection(new Connection());
  connection->state_ = amqp_new_connection();
  connection->broken_ = true;  // until it is open
  amqp_socket_t* socket = nullptr;
  if (info.ssl) {
    socket = amqp_ssl_socket_new(connection->state_);
    if (socket != nullptr) {
      // Verify the broker's certificate and name against the system's CAs (Amazon MQ has public ones).
      amqp_ssl_socket_set_verify_peer(socket, 1);
      amqp_ssl_socket_set_verify_hostname(socket, 1);
      if (amqp_ssl_socket_set_cacert(socket, "/etc/ssl/certs/ca-certificates.crt") != AMQP_STATUS_OK) {
        return R::fail("cannot read the system CA certificates for amqps://");
      }
    }
  } else {
    socket = amqp_tcp_socket_new(connection->state_);
  }
  if (socket == nullptr) return R::fail("cannot create a socket");
  timeval connect_timeout{10, 0};
  const int opened = amqp_socket_open_noblock(socket, info.host, info.port, &connect_timeout);
  const std::string where = std::string(info.host) + ":" + std::to_string(info.port);
  if (opened != AMQP_STATUS_OK) return R::fail("cannot connect to " + where + ": " + amqp_error_string2(opened));
  timeval rpc_timeout{30, 0};
  amqp_set_rpc_timeout(connection->state_, &rpc_timeout);

  amqp_table_entry_t property{amqp_cstring_bytes("connection_name"), {}};
  property.value.kind = AMQP_FIELD_KIND_UTF8;
  property.value.value.bytes = bytes_of(options.client_name);
  amqp_table_t properties{1, &property};
  const amqp_rpc_reply_t login =
      amqp_login_with_properties(connection->state_, info.vhost, 0, kFrameMax, static_cast<int>(options.heartbeat.count()),
                                 &properties, AMQP_SASL_METHOD_PLAIN, info.user, info.password);
  if (login.reply_type != AMQP_RESPONSE_NORMAL) return R::fail("cannot log in to " + where + ": " + describe(login));
  connection->server_ = where;
  amqp_channel_open(connection->state_, kChannel);
  if (auto ok = connection->check_rpc("open a channel"); !ok) return R::fail(ok.error());
  amqp_channel_open(connection->state_, static_cast<amqp_channel_t>(Channel::kReplies));
  if (auto ok = connection->check_rpc("open the replies' channel"); !ok) return R::fail(ok.error());
  amqp_confirm_select(connection->state_, kChannel);
  if (auto ok = connection->check_rpc("turn on publisher confirms"); !ok) return R::fail(ok.error());
  connection->broken_ = false;
  return connection;
}

Connection::~Connection() {
  if (state_ == nullptr) return;
  // A polite close when the connection still works; a broken one is just dropped.
  if (!broken_) amqp_connection_close(state_, AMQP_REPLY_SUCCESS);
  amqp_destroy_connection(state_);
}

ayeaye::Result<bool> Connection::check_rpc(const char* what) {
  const amqp_rpc_reply_t reply = amqp_get_rpc_reply(state_);
  if (reply.reply_type == AMQP_RESPONSE_NORMAL) return true;
  broken_ = true;
  return ayeaye::Result<bool>::fail(std::string("cannot ") + what + ": " + describe(reply));
}

ayeaye::Result<std::string> Connection::declare_queue(const std::string& name, bool durable, bool exclusive,
                                                     const std::map<std::string, std::string>& arguments) {
  using R = ayeaye::Result<std::string>;
  const bool auto_delete = name.empty();
  std::vector<amqp_table_entry_t> entries;
  for (const auto& [key, value] : arguments) {
    amqp_table_entry_t entry{bytes_of(key), {}};
    entry.value.kind = AMQP_FIELD_KIND_UTF8;
    entry.value.value.bytes = bytes_of(value);
    entries.push_back(entry);
  }
  const amqp_table_t table{static_cast<int>(entries.size()), entries.empty() ? nullptr : entries.data()};
  const amqp_queue_declare_ok_t* ok = amqp_queue_declare(state_, kChannel, name.empty() ? amqp_empty_bytes : bytes_of(name), 0,
                                                         durable ? 1 : 0, exclusive ? 1 : 0, auto_delete ? 1 : 0,
                                                         table);
  if (auto checked = check_rpc(("declare queue " + (name.empty() ? std::string("(server-named)") : name)).c_str());
      !checked) {
    return R::fail(checked.error());
  }
  return to_string(ok->queue);
}

ayeaye::Result<Connection::QueueCount> Connection::count_queue(const std::string& name) {
  using R = ayeaye::Result<QueueCount>;
  const amqp_queue_declare_ok_t* ok =
      amqp_queue_declare(state_, kChannel, bytes_of(name), /*passive=*/1, 0, 0, 0, amqp_empty_table);
  const amqp_rpc_reply_t reply = amqp_get_rpc_reply(state_);
  if (reply.reply_type == AMQP_RESPONSE_SERVER_EXCEPTION && reply.reply.id == AMQP_CHANNEL_CLOSE_METHOD &&
      static_cast<amqp_channel_close_t*>(reply.reply.decoded)->reply_code == AMQP_NOT_FOUND) {
    broken_ = true;
    return QueueCount{false, 0, 0};
  }
  if (auto checked = check_rpc(("count the messages of " + name).c_str()); !checked) return R::fail(checked.error());
  return QueueCount{true, ok->message_count, ok->consumer_count};
}

ayeaye::Result<bool> Connection::bind_to_fanout(const std::string& queue, const std::string& exchange) {
  amqp_exchange_declare(state_, kChannel, bytes_of(exchange), amqp_cstring_bytes("fanout"), /*passive=*/0,
                        /*durable=*/0, /*auto_delete=*/0, /*internal=*/0, amqp_empty_table);
  if (auto checked = check_rpc(("declare exchange " + exchange).c_str()); !checked) {
    return ayeaye::Result<bool>::fail(checked.error());
  }
  amqp_queue_bind(state_, kChannel, bytes_of(queue), bytes_of(exchange), amqp_empty_bytes, amqp_empty_table);
  if (auto checked = check_rpc(("bind a queue to " + exchange).c_str()); !checked) {
    return ayeaye::Result<bool>::fail(checked.error());
  }
  return true;
}

ayeaye::Result<std::string> Connection::consume(const std::string& queue, int prefetch, Channel channel) {
  using R = ayeaye::Result<std::string>;
  const auto number = static_cast<amqp_channel_t>(channel);
  amqp_basic_qos(state_, number, 0, static_cast<uint16_t>(std::clamp(prefetch, 1, 65535)), 0);
  if (auto checked = check_rpc("set the prefetch"); !checked) return R::fail(checked.error());
  const amqp_basic_consume_ok_t* ok =
      amqp_basic_consume(state_, number, bytes_of(queue), amqp_empty_bytes, 0, /*no_ack=*/0, 0, amqp_empty_table);
  if (auto checked = check_rpc(("consume from " + queue).c_str()); !checked) return R::fail(checked.error());
  return to_string(ok->consumer_tag);
}

ayeaye::Result<bool> Connection::cancel(const std::string& consumer_tag) {
  amqp_basic_cancel(state_, kChannel, bytes_of(consumer_tag));
  if (auto checked = check_rpc("cancel a consumer"); !checked) return ayeaye::Result<bool>::fail(checked.error());
  return true;
}

ayeaye::Result<std::uint64_t> Connection::publish(const std::string& routing_key, const Message& message,
                                                  const std::string& exchange) {
  using R = ayeaye::Result<std::uint64_t>;
  amqp_basic_properties_t p{};
  p._flags = AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG;
  p.content_type = message.content_type.empty() ? amqp_cstring_bytes("application/json") : bytes_of(message.content_type);
  p.delivery_mode = message.persistent ? 2 : 1;
  if (!message.reply_to.empty()) {
    p._flags |= AMQP_BASIC_REPLY_TO_FLAG;
    p.reply_to = bytes_of(message.reply_to);
  }
  if (!message.correlation_id.empty()) {
    p._flags |= AMQP_BASIC_CORRELATION_ID_FLAG;
    p.correlation_id = bytes_of(message.correlation_id);
  }
  if (!message.expiration.empty()) {
    p._flags |= AMQP_BASIC_EXPIRATION_FLAG;
    p.expiration = bytes_of(message.expiration);
  }
  std::vector<amqp_table_entry_t> entries;
  entries.reserve(message.headers.size());
  for (const auto& [key, value] : message.headers) {
    amqp_table_entry_t entry{bytes_of(key), {}};
    entry.value.kind = AMQP_FIELD_KIND_UTF8;
    entry.value.value.bytes = bytes_of(value);
    entries.push_back(entry);
  }
  if (!entries.empty()) {
    p._flags |= AMQP_BASIC_HEADERS_FLAG;
    p.headers = {static_cast<int>(entries.size()), entries.data()};
  }
  const int status = amqp_basic_publish(state_, kChannel, exchange.empty() ? amqp_empty_bytes : bytes_of(exchange), bytes_of(routing_key), 0, 0, &p,
                                        bytes_of(message.body));
  if (status != AMQP_STATUS_OK) {
    broken_ = true;
    return R::fail(std::string("cannot publish: ") + amqp_error_string2(status));
  }
  return next_sequence_++;
}

ayeaye::Result<bool> Connection::ack(std::uint64_t delivery_tag, bool multiple, Channel channel) {
  const int status = amqp_basic_ack(state_, static_cast<amqp_channel_t>(channel), delivery_tag, multiple ? 1 : 0);
  if (status != AMQP_STATUS_OK) {
    broken_ = true;
    return ayeaye::Result<bool>::fail(std::string("cannot acknowledge: ") + amqp_error_string2(status));
  }
  return true;
}

ayeaye::Result<bool> Connection::requeue(std::uint64_t delivery_tag) {
  const int status = amqp_basic_reject(state_, kChannel, delivery_tag, /*requeue=*/1);
  if (status != AMQP_STATUS_OK) {
    broken_ = true;
    return ayeaye::Result<bool>::fail(std::string("cannot requeue: ") + amqp_error_string2(status));
  }
  return true;
}

int Connection::socket_fd() const { return amqp_get_sockfd(state_); }

bool Connection::has_buffered_data() const {
  return amqp_data_in_buffer(state_) != 0 || amqp_frames_enqueued(state_) != 0;
}

ayeaye::Result<std::vector<Incoming>> Connection::poll(std::chrono::milliseconds timeout) {
  using R = ayeaye::Result<std::vector<Incoming>>;
  std::vector<Incoming> out;
  timeval first = to_timeval(timeout);
  timeval none{0, 0};
  for (bool waited = false;; waited = true) {
    amqp_maybe_release_buffers(state_);
    amqp_envelope_t envelope;
    const amqp_rpc_reply_t reply = amqp_consume_message(state_, &envelope, waited ? &none : &first, 0);
    if (reply.reply_type == AMQP_RESPONSE_NORMAL) {
      Delivery delivery;
      delivery.delivery_tag = envelope.delivery_tag;
      delivery.consumer_tag = to_string(envelope.consumer_tag);
      delivery.redelivered = envelope.redelivered != 0;
      delivery.message = from_amqp(envelope.message.properties, envelope.message.body);
      amqp_destroy_envelope(&envelope);
      out.emplace_back(std::move(delivery));
      continue;
    }
    if (reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION && reply.library_error == AMQP_STATUS_TIMEOUT) return out;
    if (reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION && reply.library_error == AMQP_STATUS_UNEXPECTED_STATE) {
      if (auto ok = read_method_frame(out); !ok) {
        broken_ = true;
        return R::fail(ok.error());
      }
      continue;
    }
    broken_ = true;
    return R::fail(describe(reply));
  }
}

ayeaye::Result<bool> Connection::read_method_frame(std::vector<Incoming>& out) {
  using R = ayeaye::Result<bool>;
  amqp_frame_t frame;
  const int status = amqp_simple_wait_frame(state_, &frame);
  if (status != AMQP_STATUS_OK) return R::fail(amqp_error_string2(status));
  if (frame.frame_type != AMQP_FRAME_METHOD) return true;
  switch (frame.payload.method.id) {
    case AMQP_BASIC_ACK_METHOD: {
      const auto* ack = static_cast<amqp_basic_ack_t*>(frame.payload.method.decoded);
      out.emplace_back(Confirm{ack->delivery_tag, ack->multiple != 0, true});
      return true;
    }
    case AMQP_BASIC_NACK_METHOD: {
      const auto* nack = static_cast<amqp_basic_nack_t*>(frame.payload.method.decoded);
      out.emplace_back(Confirm{nack->delivery_tag, nack->multiple != 0, false});
      return true;
    }
    case AMQP_BASIC_RETURN_METHOD: {
      amqp_message_t message;
      const amqp_rpc_reply_t read = amqp_read_message(state_, frame.channel, &message, 0);
      if (read.reply_type != AMQP_RESPONSE_NORMAL) return R::fail(describe(read));
      amqp_destroy_message(&message);
      return true;
    }
    case AMQP_BASIC_CANCEL_METHOD:
      return R::fail("the broker cancelled a consumer (was its queue deleted?)");
    case AMQP_CHANNEL_CLOSE_METHOD: {
      const auto* close = static_cast<amqp_channel_close_t*>(frame.payload.method.decoded);
      const std::string text = to_string(close->reply_text);
      amqp_channel_close_ok_t close_ok{};
      amqp_send_method(state_, frame.channel, AMQP_CHANNEL_CLOSE_OK_METHOD, &close_ok);
      return R::fail("the broker closed the channel: " + text);
    }
    case AMQP_CONNECTION_CLOSE_METHOD: {
      const auto* close = static_cast<amqp_connection_close_t*>(frame.payload.method.decoded);
      const std::string text = to_string(close->reply_text);
      amqp_connection_close_ok_t close_ok{};
      amqp_send_method(state_, 0, AMQP_CONNECTION_CLOSE_OK_METHOD, &close_ok);
      return R::fail("the broker closed the connection: " + text);
    }
    default:
      return true;
  }
}

}  // namespace fossa::amqp
