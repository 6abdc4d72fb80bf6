// Router: a program's routes — method, path pattern (a std::regex matched against the whole
// decoded path; its groups become Request::matches) and handler — and what happens around them:
// a hook before any route (the gateway's login, the node's token), the answer for no route, for a
// handler's exception, and headers added to every answer. Pure: it takes a Request and answers
// through a Responder, so tests drive it without a server. Routes are installed before serving;
// screen() and route() are then safe from any number of threads.
//
// A request is judged twice: screen() on its head alone, before the server reads any body, so a
// request that will be refused costs no body read and waits for no handler thread (the hook, the
// cross-site guard and the Content-Type check of request_guards.h); then route() on the whole
// request, on the thread its route's Lane says.
#pragma once

#include <functional>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "net/http_message.h"

namespace fossa::net {

// What a route reads from the body. kJson: only a body sent as Content-Type: application/json
// (else 415 before it is read). The default for POST; a route without a body says kNone.
enum class Body { kNone, kJson };

// Where the server runs a route's handler (HttpServerOptions): on its handler pool, or, for a
// route that waits on other servers (the gateway's calls to nodes), on a pool of its own, so that
// however many of those wait on slow peers, the other routes still have threads.
enum class Lane { kHandlers, kCallsOut };

class Router {
 public:
  using Handler = std::function<void(const Request&, Response&)>;
  // Answers through the Responder, now or later (from any thread).
  using AsyncHandler = std::function<void(const Request&, Responder)>;
  // True when it has answered (the routes are then skipped).
  using Before = std::function<bool(const Request&, Response&)>;
  using OnException = std::function<void(const Request&, Response&, const std::string& what)>;

  void get(const std::string& pattern, Handler handler, Lane lane = Lane::kHandlers) {
    add({"GET", std::regex(pattern), std::move(handler), nullptr, Body::kNone, lane});
  }
  void post(const std::string& pattern, Handler handler, Body body = Body::kJson, Lane lane = Lane::kHandlers) {
    add({"POST", std::regex(pattern), std::move(handler), nullptr, body, lane});
  }
  void put(const std::string& pattern, Handler handler, Body body = Body::kJson, Lane lane = Lane::kHandlers) {
    add({"PUT", std::regex(pattern), std::move(handler), nullptr, body, lane});
  }
  // DELETE: no body is read.
  void del(const std::string& pattern, Handler handler, Lane lane = Lane::kHandlers) {
    add({"DELETE", std::regex(pattern), std::move(handler), nullptr, Body::kNone, lane});
  }
  void get_async(const std::string& pattern, AsyncHandler handler) {
    add({"GET", std::regex(pattern), nullptr, std::move(handler), Body::kNone, Lane::kHandlers});
  }

  // Sees the request's head only (its body is empty): it runs before the body is read.
  void set_before(Before before) { before_ = std::move(before); }
  // Default: 404 {"error": {"message": "no such path: GET /x"}}.
  void set_not_found(Handler handler) { not_found_ = std::move(handler); }
  // Default: 500 naming the error.
  void set_on_exception(OnException handler) { on_exception_ = std::move(handler); }
  // Added to every answer, the server's own refusals included (HttpServer reads them).
  void add_header_to_all(std::string name, std::string value) { all_headers_.emplace_back(std::move(name), std::move(value)); }
  const std::vector<std::pair<std::string, std::string>>& headers_to_all() const { return all_headers_; }

  // A request judged on its head (method, target, headers; the body not yet read): first an
  // unsafe method from another site's page is refused (403), then the hook may answer, then a
  // route that reads JSON refuses another Content-Type (415). `answer` is set when the request
  // is answered here; else it goes on to route(), in `lane`.
  struct Screened {
    std::optional<Response> answer;
    Lane lane = Lane::kHandlers;
  };
  Screened screen(const Request& head) const;
  // Routes a request that screen() let through (HEAD as GET) and answers through `respond`,
  // exactly once.
  void route(Request request, const Responder& respond) const;
  // screen(), then route() when it lets the request through: for callers with the whole request.
  void dispatch(Request request, const Responder& respond) const;
  // For routes that answer at once (tests): the Response dispatch() gives.
  Response handle(Request request) const;

 private:
  struct Route {
    std::string method;
    std::regex pattern;
    Handler handler;
    AsyncHandler async_handler;
    Body body;
    Lane lane;
  };
  void add(Route route) { routes_.push_back(std::move(route)); }
  // The route for `request`'s method and path, with its groups in `match`; nullptr for none.
  const Route* find(const Request& request, std::smatch* match) const;
  void finish(Response& response) const;
  void fail(const Request& request, Response& response, const std::string& what) const;

  std::vector<Route> routes_;
  Before before_;
  Handler not_found_;
  OnException on_exception_;
  std::vector<std::pair<std::string, std::string>> all_headers_;
};

// The headers both programs put on every answer, refusals included: nothing may frame a page,
// sniff a type, send a referrer or load anything from elsewhere.
void add_security_headers(Router& router);

}  // namespace fossa::net
