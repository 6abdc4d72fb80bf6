#include "net/http_server.h"

#include <sys/resource.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "net/http.h"
#include "net/http_parsing.h"

namespace fossa::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using beast::error_code;

constexpr std::size_t kReadChunk = 4096;
// OpenSSL's names: ECDHE key exchange, AES-GCM or ChaCha20-Poly1305.
constexpr const char* kTls12Ciphers = "ECDHE+AESGCM:ECDHE+CHACHA20";
// After a refusal, what the client still sends is read and dropped (never parsed nor kept) up to
// this much or this long, so that closing does not reset the connection before the client has
// read the answer; then the socket closes.
constexpr std::size_t kLingerBytes = 1 << 20;
constexpr auto kLingerTime = std::chrono::seconds(1);
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
constexpr std::string_view kBusy =
    "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: 70\r\n\r\n"
    "{\"error\":{\"message\":\"too many connections; try again in a moment.\"}}";

// Open connections in all and per address. Thread-safe: accepted on one strand, closed on any.
class ConnectionCount {
 public:
  ConnectionCount(std::size_t total, std::size_t per_address) : total_limit_(total), per_address_limit_(per_address) {}

  bool try_open(const std::string& address) {
    std::lock_guard lock(mutex_);
    std::size_t& mine = per_address_[address];
    if (total_ >= total_limit_ || mine >= per_address_limit_) {
      if (mine == 0) per_address_.erase(address);
      return false;
    }
    ++mine;
    ++total_;
    return true;
  }
  void close(const std::string& address) {
    std::lock_guard lock(mutex_);
    const auto found = per_address_.find(address);
    if (found != per_address_.end() && --found->second == 0) per_address_.erase(found);
    --total_;
  }
  std::size_t open() const {
    std::lock_guard lock(mutex_);
    return total_;
  }

 private:
  const std::size_t total_limit_;
  const std::size_t per_address_limit_;
  mutable std::mutex mutex_;
  std::size_t total_ = 0;
  std::map<std::string, std::size_t> per_address_;
};

// What every connection shares with the server; held by each, so it outlives the last one.
struct Shared {
  Shared(const Router& r, const HttpLimits& l)
      : router(r), limits(l), connections(l.max_connections, l.max_connections_per_address) {}
  const Router& router;
  HttpLimits limits;
  ConnectionCount connections;
  asio::thread_pool* handlers = nullptr;   // null: handlers run on the connection's strand
  asio::thread_pool* calls_out = nullptr;  // Lane::kCallsOut; null: as the other handlers

  // Where a handler of `lane` runs; null: on the connection's strand.
  asio::thread_pool* pool_for(Lane lane) const { return lane == Lane::kCallsOut && calls_out != nullptr ? calls_out : handlers; }
};

// The answer as it may be written: one with a header that would split it becomes a 500 (the
// handler's answer is dropped whole: a half-written header is no safer than the whole).
Response safe_to_write(Response response, const Router& router) {
  const auto unsafe = unsafe_header(response);
  if (!unsafe) return response;
  Response refused;
  send_error(refused, 500, "internal error: the answer's header " + unsafe->substr(0, 64) +
                               " held a line break or another control character, so it was not sent");
  for (const auto& [name, value] : router.headers_to_all()) refused.set_header(name, value);
  return refused;
}

template <class Stream>
constexpr bool kIsTls = !std::is_same_v<Stream, beast::tcp_stream>;

// One connection: reads a request under the limits, hands it to the router, writes the answer,
// and again while the client keeps the connection alive. Runs on its own strand.
template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
 public:
  Session(Stream stream, std::shared_ptr<Shared> shared, std::string address)
      : stream_(std::move(stream)),
        shared_(std::move(shared)),
        address_(std::move(address)),
        buffer_(shared_->limits.max_header_bytes + kReadChunk) {}
  ~Session() { shared_->connections.close(address_); }

  void start() {
    if constexpr (kIsTls<Stream>) {
      lowest().expires_after(shared_->limits.request_timeout);
      stream_.async_handshake(asio::ssl::stream_base::server,
                              [self = this->shared_from_this()](error_code error) {
                                if (!error) self->wait_for_request();
                              });
    } else {
      wait_for_request();
    }
  }

 private:
  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }
  const HttpLimits& limits() const { return shared_->limits; }

  // Between requests: the idle time-out until the next one begins (the first: the request deadline).
  void wait_for_request() {
    if (buffer_.size() > 0) return read_head();
    lowest().expires_after(first_ ? limits().request_timeout : limits().idle_timeout);
    stream_.async_read_some(buffer_.prepare(kReadChunk),
                            [self = this->shared_from_this()](error_code error, std::size_t bytes) {
                              if (error) return;  // closed, reset or idle too long: the socket closes with us
                              self->buffer_.commit(bytes);
                              self->read_head();
                            });
  }

  void read_head() {
    first_ = false;
    parser_.emplace();
    apply_limits(*parser_, limits());
    lowest().expires_after(limits().request_timeout);  // the whole request, head and body
    http::async_read_header(stream_, buffer_, *parser_, [self = this->shared_from_this()](error_code error, std::size_t) {
      self->on_head(error);
    });
  }

  void on_head(const error_code& error) {
    if (error) return refuse_or_close(error);
    const auto& head = parser_->get();
    if (auto refusal = check_head(head, limits())) return refuse(*refusal);
    keep_alive_ = head.keep_alive();
    head_ = head.method() == http::verb::head;
    version_ = head.version();
    if (auto refusal = head_to_request(head, address_, request_)) return refuse(*refusal);
    request_.tls = kIsTls<Stream>;
    auto screened = shared_->router.screen(request_);
    if (screened.answer) {
      // Answered on the head: a body, if one comes, is never read (nor kept), only drained
      // after the answer as for any refusal, and the connection closed.
      if (!parser_->is_done()) {
        keep_alive_ = false;
        refused_ = true;
      }
      parser_.reset();
      return write(std::move(*screened.answer));
    }
    lane_ = screened.lane;
    if (parser_->is_done()) return handle();
    if (iequals(view(parser_->get()[http::field::expect]), "100-continue")) {
      asio::async_write(stream_, asio::buffer(kContinue.data(), kContinue.size()),
                        [self = this->shared_from_this()](error_code e, std::size_t) {
                          if (!e) self->read_body();
                        });
      return;
    }
    read_body();
  }

  void read_body() {
    http::async_read(stream_, buffer_, *parser_, [self = this->shared_from_this()](error_code error, std::size_t) {
      if (error) return self->refuse_or_close(error);
      self->handle();
    });
  }

  // A parse error or a limit is answered; a closed connection or an expired deadline just closes.
  void refuse_or_close(const error_code& error) {
    if (error == http::error::buffer_overflow) return refuse({431, "the request head is too large"});
    if (error.category() == http::make_error_code(http::error::end_of_stream).category() &&
        error != http::error::end_of_stream && error != http::error::partial_message) {
      return refuse(refusal_for(error, limits()));
    }
  }

  void handle() {
    lowest().expires_never();
    Request request = std::move(request_);
    request.body = std::move(parser_->get().body());
    parser_.reset();
    std::weak_ptr<Session> weak = this->shared_from_this();
    Responder respond(
        [weak](Response response) {
          if (auto self = weak.lock()) {
            auto executor = self->stream_.get_executor();
            asio::post(executor, [self = std::move(self), response = std::move(response)]() mutable {
              self->write(std::move(response));
            });
          }
        },
        [weak](std::chrono::milliseconds delay, std::function<void()> then) {
          if (auto self = weak.lock()) {
            auto executor = self->stream_.get_executor();
            asio::post(executor, [self = std::move(self), delay, then = std::move(then)]() mutable {
              self->start_timer(delay, std::move(then));
            });
          }
        });
    if (asio::thread_pool* pool = shared_->pool_for(lane_)) {
      // The task holds the connection until the handler has answered.
      asio::post(*pool, [self = this->shared_from_this(), request = std::move(request), respond]() mutable {
        self->shared_->router.route(std::move(request), respond);
      });
    } else {
      shared_->router.route(std::move(request), respond);
    }
  }

  // On the strand. The timer keeps the connection (the long poll) alive until it fires or the
  // answer is written.
  void start_timer(std::chrono::milliseconds delay, std::function<void()> then) {
    auto timer = std::make_shared<asio::steady_timer>(stream_.get_executor(), delay);
    timers_.push_back(timer);
    timer->async_wait([self = this->shared_from_this(), timer, then = std::move(then)](error_code error) {
      if (!error) then();
    });
  }

  void refuse(const Refusal& refusal) {
    keep_alive_ = false;
    refused_ = true;
    Response response;
    send_error(response, refusal.status, refusal.message);
    for (const auto& [name, value] : shared_->router.headers_to_all()) response.set_header(name, value);
    write(std::move(response));
  }

  void write(Response unchecked) {
    for (auto& timer : timers_) timer->cancel();
    timers_.clear();
    Response response = safe_to_write(std::move(unchecked), shared_->router);
    auto message = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(response.status),
                                                                      version_ == 10 ? 10 : 11);
    for (const auto& [name, value] : response.headers) message->set(boost::beast::string_view(name.data(), name.size()), value);
    if (!response.content_type.empty()) message->set(http::field::content_type, response.content_type);
    message->body() = std::move(response.body);
    message->keep_alive(keep_alive_);
    message->prepare_payload();
    if (head_) {
      const auto size = message->body().size();
      message->body().clear();
      message->content_length(size);
    }
    lowest().expires_after(limits().request_timeout);  // a client that does not read its answer
    http::async_write(stream_, *message, [self = this->shared_from_this(), message](error_code error, std::size_t) {
      if (error) return;
      if (self->refused_) return self->linger();
      if (!message->keep_alive()) return self->close();
      self->wait_for_request();
    });
  }

  void close() {
    error_code ignored;
    lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  // After a refusal: say we are done, drop a little more of what the client sends, then close.
  void linger() {
    if constexpr (!kIsTls<Stream>) close();
    lowest().expires_after(kLingerTime);
    buffer_.clear();
    stream_.async_read_some(buffer_.prepare(kReadChunk),
                            [self = this->shared_from_this()](error_code error, std::size_t bytes) {
                              self->lingered_ += bytes;
                              if (error || self->lingered_ >= kLingerBytes) return;
                              self->linger_more();
                            });
  }
  void linger_more() {
    stream_.async_read_some(buffer_.prepare(kReadChunk),
                            [self = this->shared_from_this()](error_code error, std::size_t bytes) {
                              self->lingered_ += bytes;
                              if (error || self->lingered_ >= kLingerBytes) return;
                              self->linger_more();
                            });
  }

  Stream stream_;
  std::shared_ptr<Shared> shared_;
  const std::string address_;
  beast::flat_buffer buffer_;
  std::optional<RequestParser> parser_;
  Request request_;  // the head of the request being read, screened
  Lane lane_ = Lane::kHandlers;
  std::vector<std::shared_ptr<asio::steady_timer>> timers_;
  bool first_ = true;
  bool keep_alive_ = true;
  bool head_ = false;
  bool refused_ = false;
  unsigned version_ = 11;
  std::size_t lingered_ = 0;
};

}  // namespace

struct HttpServer::Impl {
  Impl(const Router& router, HttpServerOptions opts)
      : options(std::move(opts)),
        shared(std::make_shared<Shared>(router, options.limits)),
        acceptor(asio::make_strand(io)),
        retry_accept(acceptor.get_executor()) {
    if (options.handler_threads > 0) {
      handlers.emplace(static_cast<std::size_t>(options.handler_threads));
      shared->handlers = &*handlers;
    }
    if (options.calls_out_threads > 0) {
      calls_out.emplace(static_cast<std::size_t>(options.calls_out_threads));
      shared->calls_out = &*calls_out;
    }
  }

  void accept() {
    acceptor.async_accept(asio::make_strand(io), [this](error_code error, tcp::socket socket) {
      if (error == asio::error::operation_aborted || !acceptor.is_open()) return;
      if (error) {
        // Out of file descriptors, most likely: try again shortly rather than spin.
        retry_accept.expires_after(std::chrono::milliseconds(100));
        retry_accept.async_wait([this](error_code e) {
          if (!e) accept();
        });
        return;
      }
      error_code ignored;
      // An answer goes out in one write; Nagle's algorithm would hold its last segment back
      // waiting for the client's delayed ACK.
      socket.set_option(tcp::no_delay(true), ignored);
      const std::string address = socket.remote_endpoint(ignored).address().to_string();
      if (!shared->connections.try_open(address)) {
        if (!tls) {
          socket.non_blocking(true, ignored);
          socket.write_some(asio::buffer(kBusy.data(), kBusy.size()), ignored);
        }
        socket.close(ignored);
      } else if (tls) {
        std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(
            beast::ssl_stream<beast::tcp_stream>(beast::tcp_stream(std::move(socket)), *tls), shared, address)
            ->start();
      } else {
        std::make_shared<Session<beast::tcp_stream>>(beast::tcp_stream(std::move(socket)), shared, address)->start();
      }
      accept();
    });
  }

  HttpServerOptions options;
  std::shared_ptr<Shared> shared;
  std::optional<asio::thread_pool> handlers;
  std::optional<asio::thread_pool> calls_out;
  asio::io_context io;
  std::optional<asio::ssl::context> tls;
  tcp::acceptor acceptor;
  asio::steady_timer retry_accept;
  std::vector<std::thread> threads;
};

HttpServer::HttpServer(const Router& router, HttpServerOptions options)
    : impl_(std::make_unique<Impl>(router, std::move(options))) {}

HttpServer::~HttpServer() { stop(); }

ayeaye::Result<int> HttpServer::listen(const std::string& host, int port, int backlog) {
  using R = ayeaye::Result<int>;
  Impl& impl = *impl_;
  if (!impl.options.tls_cert.empty()) {
    impl.tls.emplace(asio::ssl::context::tls_server);
    error_code error;
    impl.tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                          asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
    // TLS 1.2 with forward secrecy and an AEAD cipher only (no static RSA key exchange, no CBC);
    // TLS 1.3's suites are all of that kind.
    SSL_CTX_set_min_proto_version(impl.tls->native_handle(), TLS1_2_VERSION);
    if (SSL_CTX_set_cipher_list(impl.tls->native_handle(), kTls12Ciphers) != 1) {
      return R::fail(std::string("cannot restrict TLS 1.2 to ") + kTls12Ciphers);
    }
    impl.tls->use_certificate_chain_file(impl.options.tls_cert, error);
    if (!error) impl.tls->use_private_key_file(impl.options.tls_key, asio::ssl::context::pem, error);
    if (error || SSL_CTX_check_private_key(impl.tls->native_handle()) != 1) {
      return R::fail("cannot use the certificate " + impl.options.tls_cert + " with the key " + impl.options.tls_key +
                     " (unreadable, not PEM, or not a pair)");
    }
  }
  error_code error;
  const auto address = asio::ip::make_address(host, error);
  if (error) return R::fail("'" + host + "' is not an IP address");
  const tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
  impl.acceptor.open(endpoint.protocol(), error);
  if (!error) impl.acceptor.set_option(asio::socket_base::reuse_address(true), error);
  if (!error) impl.acceptor.bind(endpoint, error);
  if (!error) impl.acceptor.listen(backlog, error);
  if (error) return R::fail("cannot listen on " + host + ":" + std::to_string(port) + ": " + error.message());
  return static_cast<int>(impl.acceptor.local_endpoint().port());
}

void HttpServer::start() {
  Impl& impl = *impl_;
  asio::post(impl.acceptor.get_executor(), [&impl] { impl.accept(); });
  for (int i = 0; i < std::max(1, impl.options.io_threads); ++i) {
    impl.threads.emplace_back([&impl] { impl.io.run(); });
  }
}

void HttpServer::stop() {
  Impl& impl = *impl_;
  if (impl.handlers) impl.handlers->join();
  if (impl.calls_out) impl.calls_out->join();
  impl.io.stop();
  for (auto& thread : impl.threads) thread.join();
  impl.threads.clear();
}

std::size_t HttpServer::open_connections() const { return impl_->shared->connections.open(); }

long raise_open_file_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return -1;
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
  return static_cast<long>(limit.rlim_cur);
}

}  // namespace fossa::net
