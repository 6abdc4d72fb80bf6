// Router: a program's routes — method, path pattern (a std::regex matched against the whole
// decoded path; its groups become Request::matches) and handler — and what happens around them:
// a hook before any route (the gateway's login), the answer for no route, for a handler's
// exception, and headers added to every answer. Pure: dispatch() takes a Request and answers
// through a Responder, so tests drive it without a server. Routes are installed before serving;
// dispatch() is then safe from any number of threads.
#pragma once

#include <functional>
#include <regex>
#include <string>
#include <vector>

#include "net/http_message.h"

namespace fossa::net {

class Router {
 public:
  using Handler = std::function<void(const Request&, Response&)>;
  // Answers through the Responder, now or later (from any thread).
  using AsyncHandler = std::function<void(const Request&, Responder)>;
  // True when it has answered (the routes are then skipped).
  using Before = std::function<bool(const Request&, Response&)>;
  using OnException = std::function<void(const Request&, Response&, const std::string& what)>;

  void get(const std::string& pattern, Handler handler) { add("GET", pattern, std::move(handler), nullptr); }
  void post(const std::string& pattern, Handler handler) { add("POST", pattern, std::move(handler), nullptr); }
  void put(const std::string& pattern, Handler handler) { add("PUT", pattern, std::move(handler), nullptr); }
  void get_async(const std::string& pattern, AsyncHandler handler) { add("GET", pattern, nullptr, std::move(handler)); }

  void set_before(Before before) { before_ = std::move(before); }
  // Default: 404 {"error": {"message": "no such path: GET /x"}}.
  void set_not_found(Handler handler) { not_found_ = std::move(handler); }
  // Default: 500 naming the error.
  void set_on_exception(OnException handler) { on_exception_ = std::move(handler); }
  // Added to every answer, the server's own refusals included (HttpServer reads them).
  void add_header_to_all(std::string name, std::string value) { all_headers_.emplace_back(std::move(name), std::move(value)); }
  const std::vector<std::pair<std::string, std::string>>& headers_to_all() const { return all_headers_; }

  // Routes `request` (HEAD as GET) and answers through `respond`, exactly once.
  void dispatch(Request request, const Responder& respond) const;
  // For routes that answer at once (tests): the Response dispatch() gives.
  Response handle(Request request) const;

 private:
  struct Route {
    std::string method;
    std::regex pattern;
    Handler handler;
    AsyncHandler async_handler;
  };
  void add(std::string method, const std::string& pattern, Handler handler, AsyncHandler async_handler);
  void finish(Response& response) const;

  std::vector<Route> routes_;
  Before before_;
  Handler not_found_;
  OnException on_exception_;
  std::vector<std::pair<std::string, std::string>> all_headers_;
};

}  // namespace fossa::net
