// TestClient: how the tests ask a server of ours (or a stand-in) over HTTP, through Fossa's own
// client (http_client/client.h): a base URL — a port of 127.0.0.1, or a URL — with basic auth or a
// bearer token if set, and a deadline far beyond any answer a passing test waits for (the longest
// long poll is 20 s), so only a regression reaches it. Each request goes on a connection of its
// own. An answer that did not come has status 0 and says why in `error`, so a check fails instead
// of crashing. Cheap to copy; one thread at a time per copy.
#pragma once

#include <chrono>
#include <string>
#include <utility>

#include "http_client/client.h"

namespace fossa::testing {

class TestClient {
 public:
  explicit TestClient(int port) : TestClient("http://127.0.0.1:" + std::to_string(port)) {}
  explicit TestClient(std::string base_url) : base_url_(std::move(base_url)) { defaults_.timeout = std::chrono::seconds(60); }

  TestClient& basic_auth(std::string user, std::string password) {
    defaults_.auth = http_client::BasicAuth{std::move(user), std::move(password)};
    return *this;
  }
  TestClient& bearer_token(std::string token) {
    defaults_.auth = http_client::BearerToken{std::move(token)};
    return *this;
  }
  TestClient& timeout(std::chrono::milliseconds whole, std::chrono::milliseconds connect = {}) {
    defaults_.timeout = whole;
    defaults_.connect_timeout = connect;
    return *this;
  }
  // Send each path exactly as given, "/../" and "/./" too (as a hostile client would).
  TestClient& path_as_is() {
    defaults_.path_as_is = true;
    return *this;
  }
  // For HTTPS: trust exactly the certificates of this PEM file.
  TestClient& trust(std::string ca_file) {
    defaults_.tls.ca_file = std::move(ca_file);
    return *this;
  }

  http_client::Response get(const std::string& path, const http_client::Headers& headers = {}) const {
    return send("GET", path, "", headers);
  }
  http_client::Response post(const std::string& path, const std::string& body,
                             const std::string& content_type = "application/json",
                             const http_client::Headers& headers = {}) const {
    http_client::Headers all = headers;
    all.emplace_back("Content-Type", content_type);
    return send("POST", path, body, all);
  }
  http_client::Response send(const std::string& method, const std::string& path, const std::string& body,
                             const http_client::Headers& headers) const {
    http_client::Request request = defaults_;
    request.method = method;
    request.url = base_url_ + path;
    request.headers = headers;
    return http_client::send(request, body);
  }

  const std::string& base_url() const { return base_url_; }

 private:
  std::string base_url_;
  http_client::Request defaults_;
};

}  // namespace fossa::testing
