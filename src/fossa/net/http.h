// What the engine's HTTP code shares on top of cpp-httplib (Debian's build, a shared library):
// binding a server fit for bursts of clients, and JSON responses.
#pragma once

#include <httplib.h>

#include <string>
#include <string_view>

#include "ayeaye/json.h"

namespace fossa::net {

// Binds `server` to host:port (0: any free port) and returns the port, or -1. The library listens
// with a backlog of 5, so a burst of concurrent clients would wait out SYN retries; the socket is
// listened on again with `backlog`, which Linux allows on a listening socket.
int bind_server(httplib::Server& server, const std::string& host, int port, int backlog = 1024);

// JSON text for a response: invalid UTF-8 from a model's output is replaced, never an exception.
inline std::string dump_json(const ayeaye::Json& json, int indent = -1) {
  return json.dump(indent, ' ', false, ayeaye::Json::error_handler_t::replace);
}

inline void send_json(httplib::Response& res, int status, const ayeaye::Json& body) {
  res.status = status;
  res.set_content(dump_json(body), "application/json");
}

// The path prefix a proxy (fossa-gateway) serves this server under, from X-Forwarded-Prefix:
// "" without one, or when it is not a plain path ("/a/b", no trailing slash, no odd characters),
// since it ends up in links and pages.
std::string forwarded_prefix(const httplib::Request& req);

// HTML-escapes text for element content and attribute values (the node's and the gateway's pages).
std::string escape_html(std::string_view text);

// Percent-encodes a path segment: everything but A-Z a-z 0-9 - . _ ~ (an ARN's ':' and '/' too).
std::string encode_path_segment(std::string_view text);

// The protocol's error body: {"error": {"message": "..."}}.
inline void send_error(httplib::Response& res, int status, const std::string& message) {
  send_json(res, status, {{"error", {{"message", message}}}});
}

}  // namespace fossa::net
