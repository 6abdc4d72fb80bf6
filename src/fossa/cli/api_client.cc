#include "cli/api_client.h"

#include "aws/http.h"
#include "cli/certificate_pin.h"

namespace fossa::cli {

ApiClient::ApiClient(std::string base_url, ApiAuth auth, std::optional<net::Sha256Digest> pin)
    : base_url_(std::move(base_url)), auth_(std::move(auth)), pin_(pin) {}

ApiAnswer ApiClient::get(const std::string& path, long timeout_ms) const { return request("GET", path, "", timeout_ms); }

ApiAnswer ApiClient::post(const std::string& path, const std::string& json_body, long timeout_ms) const {
  return request("POST", path, json_body, timeout_ms);
}

ApiAnswer ApiClient::request(const std::string& method, const std::string& path, const std::string& body,
                             long timeout_ms) const {
  std::vector<std::string> headers = {"Accept: application/json"};
  if (method == "POST") headers.emplace_back("Content-Type: application/json");
  if (!auth_.bearer_token.empty()) headers.push_back("Authorization: Bearer " + auth_.bearer_token);
  CertificateCheck check;
  check.pin = pin_;
  bool pinning_works = true;
  const std::string url = base_url_ + path;
  const auto http = aws::http_request(
      method, url, headers, body, timeout_ms,
      [&](CURL* curl) {
        curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, kConnectTimeoutMs);
        if (!auth_.user.empty()) {
          curl_easy_setopt(curl, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
          curl_easy_setopt(curl, CURLOPT_USERNAME, auth_.user.c_str());
          curl_easy_setopt(curl, CURLOPT_PASSWORD, auth_.password.c_str());
        }
        if (base_url_.rfind("https://", 0) == 0) pinning_works = apply_certificate_check(curl, check);
      },
      kMaxAnswerBytes);
  ApiAnswer answer;
  if (!pinning_works && pin_) {
    answer.problem = ApiAnswer::Problem::kCertificate;
    answer.message = "this libcurl cannot check certificates by fingerprint (it is not built with OpenSSL)";
  } else if (check.verdict && *check.verdict != CertificateVerdict::kAccepted) {
    answer.problem = ApiAnswer::Problem::kCertificate;
    answer.message = certificate_refusal(check, base_url_);
  } else if (http.error == curl_easy_strerror(CURLE_PEER_FAILED_VERIFICATION)) {
    // Past our check (a trusted chain) but not libcurl's own: the certificate names another host.
    answer.problem = ApiAnswer::Problem::kCertificate;
    answer.message = "the certificate of " + base_url_ + " was refused: " + http.error +
                     " (is it made for another host name?)";
  } else if (http.too_large) {
    answer.problem = ApiAnswer::Problem::kUnreachable;
    answer.message = "its answer to " + method + " " + path + " is larger than " +
                     std::to_string(kMaxAnswerBytes >> 20) + " MiB";
  } else if (!http.error.empty()) {
    answer.problem = ApiAnswer::Problem::kUnreachable;
    answer.message = http.timed_out ? "no whole answer within " + std::to_string(timeout_ms / 1000) + " s" : http.error;
  } else {
    answer.status = http.status;
    answer.body = http.body;
  }
  return answer;
}

std::optional<std::string> normalize_base_url(const std::string& url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return std::nullopt;
  const std::string scheme = url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") return std::nullopt;
  const auto host_end = url.find_first_of("/?#", scheme_end + 3);
  if (host_end == scheme_end + 3 || url.size() == scheme_end + 3) return std::nullopt;
  if (host_end != std::string::npos && url[host_end] != '/') return std::nullopt;
  std::string out = url;
  while (out.size() > scheme_end + 3 && out.back() == '/') out.pop_back();
  return out;
}

}  // namespace fossa::cli
