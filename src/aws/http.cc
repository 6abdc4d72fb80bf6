#include "aws/http.h"

#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>

namespace fossa::aws {
namespace {

struct Collected {
  std::string* body;
  std::size_t limit;
  bool* too_large;
};

// Stops the transfer (by taking fewer bytes than given) once the body would pass its limit.
size_t collect_body(char* data, size_t size, size_t count, void* out) {
  auto* collected = static_cast<Collected*>(out);
  if (collected->body->size() + size * count > collected->limit) {
    *collected->too_large = true;
    return 0;
  }
  collected->body->append(data, size * count);
  return size * count;
}

size_t collect(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

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

bool same_text_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::string HttpResult::header(std::string_view name) const {
  std::string_view rest = headers;
  while (!rest.empty()) {
    const auto end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || !same_text_ignoring_case(line.substr(0, colon), name)) continue;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == '\r' || value.back() == ' ')) value.remove_suffix(1);
    return std::string(value);
  }
  return "";
}

HttpResult http_request(const std::string& method, const std::string& url, const std::vector<std::string>& headers,
                        const std::string& body, long timeout_ms, const std::function<void(CURL*)>& extra,
                        std::size_t max_body_bytes) {
  HttpResult result;
  Collected collected{&result.body, max_body_bytes, &result.too_large};
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) {
    result.error = "cannot start libcurl";
    return result;
  }
  curl_slist* list = nullptr;
  for (const auto& header : headers) list = curl_slist_append(list, header.c_str());
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> owned(list, curl_slist_free_all);
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_CUSTOMREQUEST, method.c_str());
  if (method == "HEAD") {
    curl_easy_setopt(curl.get(), CURLOPT_NOBODY, 1L);
  } else if (method != "GET") {
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, collect_body);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &collected);
  curl_easy_setopt(curl.get(), CURLOPT_HEADERFUNCTION, collect);
  curl_easy_setopt(curl.get(), CURLOPT_HEADERDATA, &result.headers);
  if (extra) extra(curl.get());
  const CURLcode code = curl_easy_perform(curl.get());
  if (code != CURLE_OK) {
    result.error = curl_easy_strerror(code);
    result.timed_out = code == CURLE_OPERATION_TIMEDOUT;
    return result;
  }
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &result.status);
  return result;
}

HttpResult signed_request(const std::string& method, const std::string& url, const std::vector<std::string>& headers,
                          const std::string& body, const AwsCredentials& credentials, const std::string& region,
                          const std::string& service, long timeout_ms) {
  std::vector<std::string> all = headers;
  if (!credentials.token.empty()) all.push_back("X-Amz-Security-Token: " + credentials.token);
  if (service == "s3") all.push_back("x-amz-content-sha256: " + sha256_hex(body));
  const std::string sigv4 = "aws:amz:" + region + ":" + service;
  const std::string user_password = credentials.key_id + ":" + credentials.secret;
  return http_request(method, url, all, body, timeout_ms, [&](CURL* curl) {
    curl_easy_setopt(curl, CURLOPT_AWS_SIGV4, sigv4.c_str());
    curl_easy_setopt(curl, CURLOPT_USERPWD, user_password.c_str());
  });
}

}  // namespace fossa::aws
