// HTTP basic auth for every path of the gateway: one user and password, compared in constant
// time; a client that fails kMaxFailures times within kWindow is refused with 429 until the
// window has passed, whatever it sends. A client is its IPv4 address, or its IPv6 address's /64
// (one machine commonly holds a whole /64: counting its addresses apart would give it 2^64 tries).
// The failures are remembered for at most `max_tracked` clients: beyond, the oldest that is not
// locked out is forgotten — an active lockout never is. When every one is, the table grows no
// more, and failures of clients it has no room for count against one budget shared by all of them,
// kOverflowFailures a window: once that is spent, every client not in the table is refused with
// 429 too until the window has passed. So many addresses buy no more than that many tries more.
// Thread-safe.
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
  static constexpr int kOverflowFailures = 50;

  BasicAuth(std::string user, std::string password, std::size_t max_tracked = kMaxTracked);

  // `address` is the client's IP address; `authorization` the request's Authorization header
  // ("" when absent).
  Verdict check(const std::string& address, const std::string& authorization);
  // Seconds until a throttled client may try again.
  long retry_after(const std::string& address);
  // Clients with failures remembered now.
  std::size_t tracked();

  // Whom the failures of `address` count against: an IPv4 address itself (an IPv4-mapped IPv6
  // one as IPv4), an IPv6 address's /64 ("2001:db8:1:2::/64"); anything else as it is.
  static std::string client_of(const std::string& address);

 private:
  struct Failures {
    int count = 0;
    std::chrono::steady_clock::time_point first;
  };
  static bool locked_out(const Failures& f, std::chrono::steady_clock::time_point now);
  // Under the lock: whether the shared budget of clients the table has no room for is spent.
  bool overflow_spent(std::chrono::steady_clock::time_point now) const;
  // Under the lock: frees an entry; false when every one is an active lockout.
  bool make_room(std::chrono::steady_clock::time_point now);

  const std::string expected_;  // "user:password"
  const std::size_t max_tracked_;
  std::mutex mutex_;
  std::map<std::string, Failures> failures_;
  Failures overflow_;  // failures of clients the table had no room for
};

// "Basic dXNlcjpwdw==" -> "user:pw"; "" when it is not a basic credential.
std::string decode_basic_credentials(const std::string& authorization);

}  // namespace fossa::gateway
