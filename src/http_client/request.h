// Request: one HTTP request as Fossa's client sends it — method, URL, headers — and what bounds and
// guards it: a deadline for the whole exchange and one for the connection, a cap on the answer's
// body, one kind of authentication, and the TLS checks. A plain value, built by the caller and
// handed to a Client (client.h) with the body beside it; nothing here touches the network.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

struct ssl_ctx_st;  // OpenSSL's SSL_CTX; only a caller's TLS hook looks inside it

namespace fossa::http_client {

// Header fields in order, as (name, value); names compare without case.
using Headers = std::vector<std::pair<std::string, std::string>>;

struct BasicAuth {
  std::string user;
  std::string password;
};

struct BearerToken {
  std::string token;
};

// AWS Signature Version 4, computed by libcurl (CURLOPT_AWS_SIGV4) over the method, the URL, the
// headers given and the body. An X-Amz-Date header, when given, is the signing time.
struct SigV4 {
  std::string region;
  std::string service;
  std::string key_id;
  std::string secret;
};

using Auth = std::variant<std::monostate, BasicAuth, BearerToken, SigV4>;

struct Tls {
  std::string ca_file;          // a PEM file: trust its certificates instead of the system's
  bool verify_host = true;      // the certificate must name the URL's host
  bool resume_sessions = true;  // false: every new connection shows its certificate again
  // Runs on each new connection's TLS context before the handshake, on the sending thread: where
  // a caller installs a certificate check of its own (cli/certificate_pin.h). See
  // tls_context_hook_available() (client.h).
  std::function<void(ssl_ctx_st*)> on_context;
};

struct Request {
  std::string method = "GET";
  std::string url;  // http:// or https://
  Headers headers;
  std::chrono::milliseconds timeout{30'000};         // the whole exchange, connecting included
  std::chrono::milliseconds connect_timeout{0};      // 0: only the whole exchange's deadline
  std::size_t max_answer_bytes = std::size_t{64} << 20;  // beyond: Failure::kTooLarge, reading stops there
  Auth auth;
  Tls tls;
  bool path_as_is = false;  // send the URL's path exactly, without squashing "/../" and "/./"
};

// What makes `request` unsendable, for a person ("header 'X' holds a line break"), or nullopt: the
// URL's scheme, a method and header names that are HTTP tokens, values without line breaks (which
// would smuggle headers in), positive deadlines.
std::optional<std::string> request_problem(const Request& request);

}  // namespace fossa::http_client
