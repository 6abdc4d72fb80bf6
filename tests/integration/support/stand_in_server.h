// StandInServer: a server a test runs in place of another — an ECS agent, instance metadata, ECS,
// S3, a gateway — made of the project's own HTTP server (net::Router on net::HttpServer) on a free
// port of 127.0.0.1. Add routes to routes(), then start(); it serves until stop() or destruction
// (HTTPS when started with a certificate and its key, as the gateway serves).
// Handlers run on a pool of their own, so one may block (a proxy asking moto_server) while the
// others are served; they share what they record with the test under a mutex of the test's.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

#include "net/http_server.h"
#include "net/router.h"

namespace fossa::testing {

class StandInServer {
 public:
  StandInServer() = default;
  ~StandInServer() { stop(); }
  StandInServer(const StandInServer&) = delete;
  StandInServer& operator=(const StandInServer&) = delete;

  net::Router& routes() { return router_; }

  // Listens and serves; throws when it cannot listen (or use the certificate).
  void start(std::string tls_cert = "", std::string tls_key = "") {
    net::HttpServerOptions options;
    options.handler_threads = 4;
    options.tls_cert = std::move(tls_cert);
    options.tls_key = std::move(tls_key);
    scheme_ = options.tls_cert.empty() ? "http" : "https";
    server_ = std::make_unique<net::HttpServer>(router_, options);
    const auto port = server_->listen("127.0.0.1", 0);
    if (!port) throw std::runtime_error("the stand-in server cannot listen: " + port.error());
    port_ = *port;
    server_->start();
  }
  void stop() {
    if (server_) server_->stop();
    server_.reset();
  }

  int port() const { return port_; }
  std::string url() const { return scheme_ + "://127.0.0.1:" + std::to_string(port_); }
  std::size_t open_connections() const { return server_ ? server_->open_connections() : 0; }

 private:
  net::Router router_;
  std::unique_ptr<net::HttpServer> server_;
  int port_ = 0;
  std::string scheme_ = "http";
};

}  // namespace fossa::testing
