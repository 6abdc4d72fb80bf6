#include "basic_auth.h"

#include <arpa/inet.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cctype>
#include <cstring>
#include <vector>

namespace fossa::gateway {

std::string decode_basic_credentials(const std::string& authorization) {
  // The scheme's name is case-insensitive (RFC 9110 §11.1): "basic" and "BASIC" are Basic too.
  static constexpr std::string_view kScheme = "basic ";
  if (authorization.size() <= kScheme.size()) return "";
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != kScheme[i]) return "";
  }
  const std::string encoded = authorization.substr(kScheme.size());
  if (encoded.size() % 4 != 0 || encoded.size() > 4096) return "";
  std::vector<unsigned char> decoded(encoded.size() / 4 * 3 + 1);
  const int length = EVP_DecodeBlock(decoded.data(), reinterpret_cast<const unsigned char*>(encoded.data()),
                                     static_cast<int>(encoded.size()));
  if (length < 0) return "";
  // EVP_DecodeBlock counts the padding as zero bytes: drop one per '='.
  std::size_t size = static_cast<std::size_t>(length);
  for (auto it = encoded.rbegin(); it != encoded.rend() && *it == '=' && size > 0; ++it) --size;
  return {reinterpret_cast<const char*>(decoded.data()), size};
}

std::string BasicAuth::client_of(const std::string& address) {
  in6_addr v6{};
  if (::inet_pton(AF_INET6, address.c_str(), &v6) != 1) return address;  // IPv4, or not an address
  if (IN6_IS_ADDR_V4MAPPED(&v6)) return address.substr(address.rfind(':') + 1);
  std::memset(v6.s6_addr + 8, 0, 8);
  char text[INET6_ADDRSTRLEN] = {};
  ::inet_ntop(AF_INET6, &v6, text, sizeof text);
  return std::string(text) + "/64";
}

BasicAuth::BasicAuth(std::string user, std::string password, std::size_t max_tracked)
    : expected_(user + ":" + password), max_tracked_(max_tracked) {}

bool BasicAuth::locked_out(const Failures& f, std::chrono::steady_clock::time_point now) {
  return f.count >= kMaxFailures && now - f.first < kWindow;
}

bool BasicAuth::overflow_spent(std::chrono::steady_clock::time_point now) const {
  return overflow_.count >= kOverflowFailures && now - overflow_.first < kWindow;
}

bool BasicAuth::make_room(std::chrono::steady_clock::time_point now) {
  // Entries whose window has passed go first; then the oldest that is not a lockout.
  for (auto it = failures_.begin(); it != failures_.end();) {
    it = now - it->second.first >= kWindow ? failures_.erase(it) : std::next(it);
  }
  if (failures_.size() < max_tracked_) return true;
  auto oldest = failures_.end();
  for (auto it = failures_.begin(); it != failures_.end(); ++it) {
    if (locked_out(it->second, now)) continue;
    if (oldest == failures_.end() || it->second.first < oldest->second.first) oldest = it;
  }
  if (oldest == failures_.end()) return false;
  failures_.erase(oldest);
  return true;
}

std::size_t BasicAuth::tracked() {
  std::lock_guard lock(mutex_);
  return failures_.size();
}

BasicAuth::Verdict BasicAuth::check(const std::string& address, const std::string& authorization) {
  const auto now = std::chrono::steady_clock::now();
  const std::string client = client_of(address);
  std::lock_guard lock(mutex_);
  auto found = failures_.find(client);
  if (found != failures_.end() && now - found->second.first >= kWindow) {
    failures_.erase(found);
    found = failures_.end();
  }
  if (found != failures_.end() && found->second.count >= kMaxFailures) return Verdict::kThrottled;
  if (found == failures_.end() && overflow_spent(now)) return Verdict::kThrottled;

  const std::string given = decode_basic_credentials(authorization);
  // Constant time over the expected length: the comparison takes as long for a near miss as for
  // nonsense, and a length mismatch is folded into the result rather than returned early.
  std::string padded = given;
  padded.resize(expected_.size(), '\0');
  const bool equal = CRYPTO_memcmp(padded.data(), expected_.data(), expected_.size()) == 0 && given.size() == expected_.size();
  if (equal) return Verdict::kAllowed;
  if (authorization.empty()) return Verdict::kUnauthorized;  // a browser's first request is not a failure
  if (found == failures_.end() && failures_.size() >= max_tracked_ && !make_room(now)) {
    // Every entry an active lockout: this failure counts against the budget of those left out.
    if (now - overflow_.first >= kWindow) overflow_ = {0, now};
    ++overflow_.count;
    return Verdict::kUnauthorized;
  }
  Failures& f = failures_[client];
  if (f.count == 0) f.first = now;
  ++f.count;
  return Verdict::kUnauthorized;
}

long BasicAuth::retry_after(const std::string& address) {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  const auto found = failures_.find(client_of(address));
  const Failures* counted = found != failures_.end() ? &found->second : overflow_spent(now) ? &overflow_ : nullptr;
  if (counted == nullptr) return 0;
  const auto left = kWindow - (now - counted->first);
  return std::max<long>(1, std::chrono::ceil<std::chrono::seconds>(left).count());
}

}  // namespace fossa::gateway
