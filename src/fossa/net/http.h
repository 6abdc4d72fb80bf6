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

// The look shared by the node's and the gateway's pages (served by each, no CDN): page frame,
// headings, tables, muted text. Each adds its own rules after it.
inline constexpr const char* kBaseStyle = R"css(
body { font: 15px/1.45 system-ui, sans-serif; margin: 0; color: #1d232a; background: #f6f7f9; }
header { background: #20303f; color: #fff; padding: .8rem 1.5rem; display: flex; gap: 1.5rem; align-items: baseline; }
header a { color: #fff; text-decoration: none; font-weight: 600; }
main { padding: 1rem 1.5rem; max-width: 78rem; }
h1 { font-size: 1.3rem; } h2 { font-size: 1.1rem; margin-top: 1.6rem; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid #e3e6ea; vertical-align: top; }
th { font-weight: 600; background: #eef1f4; }
.muted { color: #5b6570; }
)css";

// HTML-escapes text for element content and attribute values (the node's and the gateway's pages).
std::string escape_html(std::string_view text);

// Percent-encodes a path segment: everything but A-Z a-z 0-9 - . _ ~ (an ARN's ':' and '/' too).
std::string encode_path_segment(std::string_view text);

// The protocol's error body: {"error": {"message": "..."}}.
inline void send_error(httplib::Response& res, int status, const std::string& message) {
  send_json(res, status, {{"error", {{"message", message}}}});
}

}  // namespace fossa::net
