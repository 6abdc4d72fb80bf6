// A stand-in for a worker node, to play one that misbehaves in a precise way (a task id with CR LF,
// 200 for any id, a field of the wrong type, a megabyte of empty objects): the project's own HTTP
// server (net/http_server.h) on a free port of 127.0.0.1, in this process, answering the routes a
// test installs. `/healthz` answers 200 unless the test routes it.
//
//   StandInNode node([](fossa::net::Router& r) {
//     r.get("/api/0.01/node_info", [](const auto&, auto& res) { fossa::net::send_json(res, 200, info); });
//   });
//   ... "--node", node.url() ...
#pragma once

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include "net/http.h"
#include "net/http_server.h"
#include "net/router.h"

namespace fossa::testing {

class StandInNode {
 public:
  explicit StandInNode(const std::function<void(net::Router&)>& routes) {
    routes(router_);
    router_.get("/healthz", [](const net::Request&, net::Response& res) { net::send_json(res, 200, {{"status", "ok"}}); });
    server_ = std::make_unique<net::HttpServer>(router_, net::HttpServerOptions{});
    auto port = server_->listen("127.0.0.1", 0);
    if (!port) throw std::runtime_error("the stand-in node cannot listen: " + port.error());
    port_ = *port;
    server_->start();
  }
  ~StandInNode() { server_->stop(); }
  StandInNode(const StandInNode&) = delete;
  StandInNode& operator=(const StandInNode&) = delete;

  int port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  std::string url() const { return "http://" + address(); }

 private:
  net::Router router_;  // before server_, which holds it
  std::unique_ptr<net::HttpServer> server_;
  int port_ = 0;
};

}  // namespace fossa::testing
