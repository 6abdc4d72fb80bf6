// HTTP basic auth for every path of the gateway: one user and password, compared in constant
// time; a client (by address) that fails kMaxFailures times within kWindow is refused with 429
// until the window has passed, whatever it sends. The failures are remembered for at most
// `max_tracked` addresses: beyond, the oldest that is not locked out is forgotten — an active
// lockout never is (when all are, a further failure goes uncounted rather than grow the table).
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

  static constexpr std::size_t kMaxTracked = 10'000;

  BasicAuth(std::string user, std::string password, std::size_t max_tracked = kMaxTracked);

  // `authorization` is the request's Authorization header ("" when absent).
  Verdict check(const std::string& client, const std::string& authorization);
  // Seconds until a throttled client may try again.
  long retry_after(const std::string& client);
  // Addresses with failures remembered now.
  std::size_t tracked();

 private:
  struct Failures {
    int count = 0;
    std::chrono::steady_clock::time_point first;
  };
  static bool locked_out(const Failures& f, std::chrono::steady_clock::time_point now);
  // Under the lock: frees an entry; false when every one is an active lockout.
  bool make_room(std::chrono::steady_clock::time_point now);

  const std::string expected_;  // "user:password"
  const std::size_t max_tracked_;
  std::mutex mutex_;
  std::map<std::string, Failures> failures_;
};

// "Basic dXNlcjpwdw==" -> "user:pw"; "" when it is not a basic credential.
std::string decode_basic_credentials(const std::string& authorization);

}  // namespace fossa::gateway
