// An HTTP exchange as the route handlers see it, apart from any server: a parsed Request, the
// Response a handler fills, and the Responder through which an answer that is not ready at once
// (a long poll) is given later. Handlers are plain functions of these, so they are tested without
// a socket (tests/unit/router_test.cc); net/http_server.h moves the bytes.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fossa::net {

// Case-insensitive ASCII comparison, as HTTP field names compare.
bool iequals(std::string_view a, std::string_view b);

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as sent: "/api/0.01/task/x?wait=2"
  std::string path;    // percent-decoded, without the query: "/api/0.01/task/x"
  std::map<std::string, std::string> params;  // the query's, decoded; the first of a repeated name
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string remote_addr;             // the peer's IP address
  bool tls = false;                    // it came over TLS (the origin the client called is https://)
  std::vector<std::string> matches;    // the route's match: [0] the path, [1...] its groups

  // The value of the first header called `name` (any case), or "".
  std::string get_header_value(std::string_view name) const;
  bool has_header(std::string_view name) const;
  bool has_param(const std::string& name) const { return params.count(name) != 0; }
  std::string get_param_value(const std::string& name) const;
};

struct Response {
  int status = 200;
  std::string body;
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type and Content-Length

  void set_content(std::string content, std::string type) {
    body = std::move(content);
    content_type = std::move(type);
  }
  // Replaces a header of that name, if any.
  void set_header(const std::string& name, std::string value);
  std::string get_header_value(std::string_view name) const;
};

// A request answered by the server or the router itself, never reaching a handler: a malformed
// or over-limit request, a login refused, a cross-site or mistyped request (request_guards.h).
struct Refusal {
  int status = 400;
  std::string message;
};

// Whether a header may go on the wire as it is: its name a token (RFC 9110 §5.1), its value free
// of control characters but the tab — above all of CR, LF and NUL, with which a value copied from
// elsewhere (a node's task id) would end the header early and smuggle in headers or a body of its
// own. The server writes no answer with a header that fails (http_server.cc: it answers 500).
bool header_is_safe(std::string_view name, std::string_view value);

// The first header of `response` (Content-Type included) that is not safe to write, or nullopt.
std::optional<std::string> unsafe_header(const Response& response);

// Gives a Response to the client, once: later calls are ignored, so a long poll's "the task ended"
// and "the wait is over" may race. Callable from any thread. `after` runs a function on the
// server's loop once `delay` has passed; it also keeps the connection open that long (a Responder
// alone does not: a client gone meanwhile is simply not answered).
class Responder {
 public:
  using Send = std::function<void(Response)>;
  using After = std::function<void(std::chrono::milliseconds, std::function<void()>)>;

  Responder(Send send, After after) : state_(std::make_shared<State>(std::move(send), std::move(after))) {}

  void operator()(Response response) const {
    if (!state_->sent.exchange(true)) state_->send(std::move(response));
  }
  bool sent() const { return state_->sent.load(); }
  void after(std::chrono::milliseconds delay, std::function<void()> then) const { state_->after(delay, std::move(then)); }

 private:
  struct State {
    State(Send s, After a) : send(std::move(s)), after(std::move(a)) {}
    std::atomic<bool> sent{false};
    Send send;
    After after;
  };
  std::shared_ptr<State> state_;
};

// Percent-decodes `text` ("+" as a space when `plus_is_space`, as in a query); false on a bad escape.
bool percent_decode(std::string_view text, bool plus_is_space, std::string& out);

// Splits a request target into its decoded path and query parameters; false when it is not an
// origin-form target ("/..."), or an escape is bad.
bool split_target(std::string_view target, std::string& path, std::map<std::string, std::string>& params);

}  // namespace fossa::net
