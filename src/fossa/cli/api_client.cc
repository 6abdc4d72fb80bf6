#include "cli/api_client.h"

#include "cli/certificate_pin.h"
#include "http_client/client.h"

namespace fossa::cli {

ApiClient::ApiClient(std::string base_url, ApiAuth auth, std::optional<net::Sha256Digest> pin)
    : base_url_(std::move(base_url)), auth_(std::move(auth)), pin_(pin) {}

ApiAnswer ApiClient::get(const std::string& path, long timeout_ms) const { return request("GET", path, "", timeout_ms); }

ApiAnswer ApiClient::del(const std::string& path, long timeout_ms) const { return request("DELETE", path, "", timeout_ms); }

ApiAnswer ApiClient::post(const std::string& path, const std::string& json_body, long timeout_ms) const {
  return request("POST", path, json_body, timeout_ms);
}

ApiAnswer ApiClient::request(const std::string& method, const std::string& path, const std::string& body,
                             long timeout_ms) const {
  ApiAnswer answer;
  http_client::Request request;
  request.method = method;
  request.url = base_url_ + path;
  request.headers = {{"Accept", "application/json"}};
  if (method == "POST") request.headers.emplace_back("Content-Type", "application/json");
  request.timeout = std::chrono::milliseconds(timeout_ms);
  request.connect_timeout = std::chrono::milliseconds(kConnectTimeoutMs);
  request.max_answer_bytes = kMaxAnswerBytes;
  if (!auth_.user.empty()) {
    request.auth = http_client::BasicAuth{auth_.user, auth_.password};
  } else if (!auth_.bearer_token.empty()) {
    request.auth = http_client::BearerToken{auth_.bearer_token};
  }
  CertificateCheck check;
  check.pin = pin_;
  if (base_url_.rfind("https://", 0) == 0) {
    if (http_client::tls_context_hook_available()) {
      apply_certificate_check(request.tls, check);
    } else if (pin_) {
      answer.problem = ApiAnswer::Problem::kCertificate;
      answer.message = "this libcurl cannot check certificates by fingerprint (it is not built with OpenSSL)";
      return answer;
    }
  }
  http_client::Response http = http_client::send(request, body);
  if (check.verdict && *check.verdict != CertificateVerdict::kAccepted) {
    answer.problem = ApiAnswer::Problem::kCertificate;
    answer.message = certificate_refusal(check, base_url_);
  } else if (http.failure == http_client::Failure::kCertificate) {
    // Past our check (a trusted chain) but not libcurl's own: the certificate names another host.
    answer.problem = ApiAnswer::Problem::kCertificate;
    answer.message = "the certificate of " + base_url_ + " was refused: " + http.error +
                     " (is it made for another host name?)";
  } else if (http.too_large()) {
    answer.problem = ApiAnswer::Problem::kUnreachable;
    answer.message = "its answer to " + method + " " + path + " is larger than " +
                     std::to_string(kMaxAnswerBytes >> 20) + " MiB";
  } else if (!http.answered()) {
    answer.problem = ApiAnswer::Problem::kUnreachable;
    answer.message = http.timed_out() ? "no whole answer within " + std::to_string(timeout_ms / 1000) + " s" : http.error;
  } else {
    answer.status = http.status;
    answer.body = std::move(http.body);
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
