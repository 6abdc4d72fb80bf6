// HttpServer: serves a Router over HTTP/1.1 (or HTTPS) with Boost.Beast on Boost.Asio. No thread
// per connection: a few I/O threads run every connection's reads, writes and timers, so a
// thousand slow or idle clients cost memory, not threads, and cannot starve a health check.
// Every limit of HttpLimits holds for every connection: a deadline per request and per answer,
// an idle time-out between requests, header and body sizes (chunked too), connection caps in all
// and per address. A request is screened on its head (Router::screen: the login, the cross-site
// guard, the Content-Type) on the I/O thread, before its body is read: one refused there has no
// body read and waits for no handler. Handlers run on the I/O threads when `handler_threads` is 0
// (they must then not block: the node's only take the Governor's lock), else on a pool of that
// many threads (the gateway's, which wait on AWS), and routes in Lane::kCallsOut on a pool of
// `calls_out_threads` of their own (the gateway's calls to nodes; 0: the handler pool). No answer
// goes out with CR, LF or NUL in a header (net::header_is_safe): such an answer becomes a 500.
// start() and stop() from one thread (main's).
#pragma once

#include <memory>
#include <string>

#include "ayeaye/error.h"
#include "net/http_limits.h"
#include "net/router.h"

namespace fossa::net {

struct HttpServerOptions {
  HttpLimits limits;
  int io_threads = 2;
  int handler_threads = 0;
  int calls_out_threads = 0;
  std::string tls_cert;  // PEM files: with both, HTTPS only
  std::string tls_key;
};

class HttpServer {
 public:
  // `router` must outlive the server.
  HttpServer(const Router& router, HttpServerOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Loads the TLS certificate, if any, and listens on host:port (0: any free port). Returns the
  // port, or what went wrong.
  ayeaye::Result<int> listen(const std::string& host, int port, int backlog = 1024);
  // Serves on the I/O threads until stop().
  void start();
  // Stops accepting, closes every connection and joins the threads.
  void stop();

  // Connections open now (for tests and metrics).
  std::size_t open_connections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Raises this process's soft limit on open files to its hard limit (a server holding thousands of
// connections needs more than the usual 1024); returns the new soft limit.
long raise_open_file_limit();

}  // namespace fossa::net
