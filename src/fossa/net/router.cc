#include "net/router.h"

#include <exception>

#include "net/http.h"
#include "net/request_guards.h"

namespace fossa::net {

void Router::finish(Response& response) const {
  for (const auto& [name, value] : all_headers_) {
    if (response.get_header_value(name).empty()) response.set_header(name, value);
  }
}

void Router::fail(const Request& request, Response& response, const std::string& what) const {
  response = Response();
  if (on_exception_) {
    on_exception_(request, response, what);
  } else {
    send_error(response, 500, "internal error: " + what);
  }
}

const Router::Route* Router::find(const Request& request, std::smatch* match) const {
  const std::string method = request.method == "HEAD" ? std::string("GET") : request.method;
  std::smatch ignored;
  for (const auto& route : routes_) {
    if (route.method == method && std::regex_match(request.path, match != nullptr ? *match : ignored, route.pattern)) {
      return &route;
    }
  }
  return nullptr;
}

Router::Screened Router::screen(const Request& head) const {
  Screened screened;
  Response response;
  try {
    if (auto refusal = cross_site_refusal(head)) {
      send_error(response, refusal->status, refusal->message);
    } else if (!(before_ && before_(head, response))) {
      const Route* route = find(head, nullptr);
      const auto mistyped = route != nullptr && route->body == Body::kJson ? json_content_type_refusal(head) : std::nullopt;
      if (!mistyped) {
        if (route != nullptr) screened.lane = route->lane;
        return screened;
      }
      send_error(response, mistyped->status, mistyped->message);
    }
  } catch (const std::exception& error) {
    fail(head, response, error.what());
  }
  finish(response);
  screened.answer = std::move(response);
  return screened;
}

void Router::route(Request request, const Responder& respond) const {
  Response response;
  try {
    std::smatch match;
    if (const Route* route = find(request, &match)) {
      request.matches.assign(match.begin(), match.end());
      if (route->async_handler) {
        // The headers for all are added when the answer is given.
        Responder finishing(
            [this, respond](Response later) {
              finish(later);
              respond(std::move(later));
            },
            [respond](std::chrono::milliseconds delay, std::function<void()> then) { respond.after(delay, std::move(then)); });
        route->async_handler(request, finishing);
        return;
      }
      route->handler(request, response);
    } else if (not_found_) {
      not_found_(request, response);
    } else {
      send_error(response, 404, "no such path: " + request.method + " " + request.path);
    }
  } catch (const std::exception& error) {
    fail(request, response, error.what());
  }
  finish(response);
  respond(std::move(response));
}

void Router::dispatch(Request request, const Responder& respond) const {
  if (auto screened = screen(request); screened.answer) return respond(std::move(*screened.answer));
  route(std::move(request), respond);
}

Response Router::handle(Request request) const {
  Response answer;
  answer.status = 0;
  dispatch(std::move(request), Responder([&answer](Response r) { answer = std::move(r); },
                                         [](std::chrono::milliseconds, std::function<void()>) {}));
  return answer;
}

void add_security_headers(Router& router) {
  router.add_header_to_all("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
  router.add_header_to_all("X-Frame-Options", "DENY");
  router.add_header_to_all("X-Content-Type-Options", "nosniff");
  router.add_header_to_all("Referrer-Policy", "no-referrer");
}

}  // namespace fossa::net
