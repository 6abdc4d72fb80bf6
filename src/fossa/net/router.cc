#include "net/router.h"

#include <exception>

#include "net/http.h"

namespace fossa::net {

void Router::add(std::string method, const std::string& pattern, Handler handler, AsyncHandler async_handler) {
  routes_.push_back({std::move(method), std::regex(pattern), std::move(handler), std::move(async_handler)});
}

void Router::finish(Response& response) const {
  for (const auto& [name, value] : all_headers_) {
    if (response.get_header_value(name).empty()) response.set_header(name, value);
  }
}

void Router::dispatch(Request request, const Responder& respond) const {
  Response response;
  try {
    if (before_ && before_(request, response)) {
      finish(response);
      return respond(std::move(response));
    }
    const std::string& method = request.method == "HEAD" ? std::string("GET") : request.method;
    for (const auto& route : routes_) {
      if (route.method != method) continue;
      std::smatch match;
      if (!std::regex_match(request.path, match, route.pattern)) continue;
      request.matches.assign(match.begin(), match.end());
      if (route.async_handler) {
        // The headers for all are added when the answer is given.
        Responder finishing(
            [this, respond](Response later) {
              finish(later);
              respond(std::move(later));
            },
            [respond](std::chrono::milliseconds delay, std::function<void()> then) { respond.after(delay, std::move(then)); });
        route.async_handler(request, finishing);
        return;
      }
      route.handler(request, response);
      finish(response);
      return respond(std::move(response));
    }
    if (not_found_) {
      not_found_(request, response);
    } else {
      send_error(response, 404, "no such path: " + request.method + " " + request.path);
    }
  } catch (const std::exception& error) {
    response = Response();
    if (on_exception_) {
      on_exception_(request, response, error.what());
    } else {
      send_error(response, 500, std::string("internal error: ") + error.what());
    }
  }
  finish(response);
  respond(std::move(response));
}

Response Router::handle(Request request) const {
  Response answer;
  answer.status = 0;
  dispatch(std::move(request), Responder([&answer](Response r) { answer = std::move(r); },
                                         [](std::chrono::milliseconds, std::function<void()>) {}));
  return answer;
}

}  // namespace fossa::net
