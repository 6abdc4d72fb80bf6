#include "basic_auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <vector>

namespace fossa::gateway {

std::string decode_basic_credentials(const std::string& authorization) {
  static constexpr std::string_view kScheme = "Basic ";
  if (authorization.size() <= kScheme.size() || authorization.compare(0, kScheme.size(), kScheme) != 0) return "";
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

BasicAuth::BasicAuth(std::string user, std::string password) : expected_(user + ":" + password) {}

BasicAuth::Verdict BasicAuth::check(const std::string& client, const std::string& authorization) {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  auto found = failures_.find(client);
  if (found != failures_.end() && now - found->second.first >= kWindow) {
    failures_.erase(found);
    found = failures_.end();
  }
  if (found != failures_.end() && found->second.count >= kMaxFailures) return Verdict::kThrottled;

  const std::string given = decode_basic_credentials(authorization);
  // Constant time over the expected length: the comparison takes as long for a near miss as for
  // nonsense, and a length mismatch is folded into the result rather than returned early.
  std::string padded = given;
  padded.resize(expected_.size(), '\0');
  const bool equal = CRYPTO_memcmp(padded.data(), expected_.data(), expected_.size()) == 0 && given.size() == expected_.size();
  if (equal) return Verdict::kAllowed;
  if (authorization.empty()) return Verdict::kUnauthorized;  // a browser's first request is not a failure
  if (failures_.size() > 10000) failures_.clear();          // bounded memory under a spray of addresses
  Failures& f = failures_[client];
  if (f.count == 0) f.first = now;
  ++f.count;
  return Verdict::kUnauthorized;
}

long BasicAuth::retry_after(const std::string& client) {
  std::lock_guard lock(mutex_);
  const auto found = failures_.find(client);
  if (found == failures_.end()) return 0;
  const auto left = kWindow - (std::chrono::steady_clock::now() - found->second.first);
  return std::max<long>(1, std::chrono::ceil<std::chrono::seconds>(left).count());
}

}  // namespace fossa::gateway
