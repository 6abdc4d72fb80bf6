// HTTP basic auth for every path of the gateway: one user and password, compared in constant
// time; a client (by address) that fails kMaxFailures times within kWindow is refused with 429
// until the window has passed, whatever it sends.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>

namespace fossa::gateway {

class BasicAuth {
 public:
  static constexpr int kMaxFailures = 5;
  static constexpr std::chrono::seconds kWindow{60};
  enum class Verdict { kAllowed, kUnauthorized, kThrottled };

  BasicAuth(std::string user, std::string password);

  // `authorization` is the request's Authorization header ("" when absent).
  Verdict check(const std::string& client, const std::string& authorization);
  // Seconds until a throttled client may try again.
  long retry_after(const std::string& client);

 private:
  struct Failures {
    int count = 0;
    std::chrono::steady_clock::time_point first;
  };
  const std::string expected_;  // "user:password"
  std::mutex mutex_;
  std::map<std::string, Failures> failures_;
};

// "Basic dXNlcjpwdw==" -> "user:pw"; "" when it is not a basic credential.
std::string decode_basic_credentials(const std::string& authorization);

}  // namespace fossa::gateway
