// libFuzzer target: any bytes as an HTTP request, read as the node's and the gateway's servers
// read one (net/http_parsing.h), with small limits so the limit paths are reached often. A crash,
// a hang or a leak is a finding; so is a request accepted beyond a limit.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "net/http_parsing.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fossa::net::HttpLimits limits;
  limits.max_line_bytes = 512;
  limits.max_header_bytes = 2048;
  limits.max_header_count = 16;
  limits.max_body_bytes = 1024;
  const auto parsed = fossa::net::parse_request({reinterpret_cast<const char*>(data), size}, limits);
  if (parsed.request) {
    const auto& request = *parsed.request;
    if (request.body.size() > limits.max_body_bytes || request.headers.size() > limits.max_header_count ||
        request.target.size() > limits.max_line_bytes || request.path.empty() || request.path.front() != '/') {
      std::abort();
    }
  } else if (!parsed.refusal || parsed.refusal->status < 400 || parsed.refusal->status > 505) {
    std::abort();
  }
  return 0;
}
