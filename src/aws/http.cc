#include "aws/http.h"

#include <memory>

namespace fossa::aws {
namespace {

size_t collect(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

}  // namespace

HttpResult http_request(const std::string& method, const std::string& url, const std::vector<std::string>& headers,
                        const std::string& body, long timeout_ms, const std::function<void(CURL*)>& extra) {
  HttpResult result;
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
  if (method != "GET") curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &result.body);
  if (extra) extra(curl.get());
  const CURLcode code = curl_easy_perform(curl.get());
  if (code != CURLE_OK) {
    result.error = curl_easy_strerror(code);
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
  const std::string sigv4 = "aws:amz:" + region + ":" + service;
  const std::string user_password = credentials.key_id + ":" + credentials.secret;
  return http_request(method, url, all, body, timeout_ms, [&](CURL* curl) {
    curl_easy_setopt(curl, CURLOPT_AWS_SIGV4, sigv4.c_str());
    curl_easy_setopt(curl, CURLOPT_USERPWD, user_password.c_str());
  });
}

}  // namespace fossa::aws
