// The limits an HTTP server puts on what a client sends and how long it takes, and on how many
// connections it keeps. Each has a flag in the program that serves (docs/node.md for `fossa node`,
// `fossa-gateway --help`); a request beyond one is refused with a 4xx and the connection closed,
// without reading on.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace fossa::net {

struct HttpLimits {
  std::size_t max_line_bytes = 8 * 1024;     // the request line, and each header line → 414 / 431
  std::size_t max_header_bytes = 64 * 1024;  // request line and headers together → 431
  std::size_t max_header_count = 100;        // → 431
  std::size_t max_body_bytes = 1 << 20;      // with Content-Length or chunked → 413 as soon as exceeded
  std::chrono::milliseconds request_timeout{10'000};  // from a request's first byte to its last
  std::chrono::milliseconds idle_timeout{5'000};      // a kept-alive connection waiting for its next request
  std::size_t max_connections = 4096;                 // open at once, in all; beyond: 503 and closed
  std::size_t max_connections_per_address = 256;      // open at once from one IP address; beyond: likewise
  // For the refusals' messages: "the request body is larger than <who> accepts (N bytes, <setting>)".
  std::string who = "this server";
  std::string body_limit_setting;
};

}  // namespace fossa::net
