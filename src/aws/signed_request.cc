#include "aws/signed_request.h"

#include <openssl/sha.h>

#include <array>
#include <chrono>

namespace fossa::aws {
namespace {

std::string sha256_hex(const std::string& data) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest.data());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char byte : digest) {
    hex += kHex[byte >> 4];
    hex += kHex[byte & 15];
  }
  return hex;
}

}  // namespace

http_client::Response signed_request(const std::string& method, const std::string& url, http_client::Headers headers,
                                     const std::string& body, const AwsCredentials& credentials,
                                     const std::string& region, const std::string& service, long timeout_ms) {
  if (!credentials.token.empty()) headers.emplace_back("X-Amz-Security-Token", credentials.token);
  if (service == "s3") headers.emplace_back("x-amz-content-sha256", sha256_hex(body));
  http_client::Request request;
  request.method = method;
  request.url = url;
  request.headers = std::move(headers);
  request.timeout = std::chrono::milliseconds(timeout_ms);
  request.auth = http_client::SigV4{region, service, credentials.key_id, credentials.secret};
  return http_client::send(request, body);
}

}  // namespace fossa::aws
