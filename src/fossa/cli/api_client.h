// ApiClient: the HTTP of `fossa submit`, `fossa jobs` and `fossa cancel`, through Fossa's client
// (http_client/client.h) — to a node (with a bearer token when the node asks for one) or to
// fossa-gateway (basic auth; its certificate checked, or pinned by fingerprint:
// certificate_pin.h). Blocking, one request at a time, one owner thread. An answer says what
// happened in terms the exit codes need (exit_codes.h).
#pragma once

#include <optional>
#include <string>

#include "net/certificate_fingerprint.h"

namespace fossa::cli {

struct ApiAnswer {
  enum class Problem {
    kNone,         // an HTTP answer came: status and body
    kUnreachable,  // no connection, a timeout, a broken or oversized answer
    kCertificate,  // the server's certificate was refused (message says why, with fingerprints)
  };
  Problem problem = Problem::kNone;
  long status = 0;
  std::string body;
  std::string message;  // with a problem: what happened, for a person
};

struct ApiAuth {
  std::string bearer_token;  // a node's FOSSA_API_TOKEN
  std::string user;          // a gateway's basic auth (with password), when user is set
  std::string password;
};

class ApiClient {
 public:
  // `base_url`: scheme, host, port and any path prefix, without a trailing slash.
  ApiClient(std::string base_url, ApiAuth auth, std::optional<net::Sha256Digest> pin = std::nullopt);

  ApiAnswer get(const std::string& path, long timeout_ms) const;
  ApiAnswer post(const std::string& path, const std::string& json_body, long timeout_ms) const;
  ApiAnswer del(const std::string& path, long timeout_ms) const;
  const std::string& base_url() const { return base_url_; }

  // Largest answer read; a task document with its log tail is far smaller.
  static constexpr std::size_t kMaxAnswerBytes = 16 << 20;
  static constexpr long kConnectTimeoutMs = 5000;

 private:
  ApiAnswer request(const std::string& method, const std::string& path, const std::string& body, long timeout_ms) const;

  std::string base_url_;
  ApiAuth auth_;
  std::optional<net::Sha256Digest> pin_;
};

// "scheme://host[:port][/prefix]" checked (http or https, a host) and without trailing slashes;
// nullopt when it is not such a URL.
std::optional<std::string> normalize_base_url(const std::string& url);

}  // namespace fossa::cli
