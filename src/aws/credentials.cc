#include "aws/credentials.h"

#include <chrono>
#include <cstdlib>
#include <ctime>

#include <nlohmann/json.hpp>

#include "fossa/base/json_input.h"
#include "http_client/client.h"

namespace fossa::aws {
namespace {

constexpr std::chrono::milliseconds kMetadataTimeout{1000};  // metadata endpoints answer at once or not at all
constexpr std::size_t kMetadataMaxBytes = 64 << 10;          // a role's credentials are a few hundred bytes

// One request to a metadata endpoint (ECS container credentials, EC2 instance metadata).
http_client::Response ask_metadata(const std::string& method, const std::string& url, http_client::Headers headers) {
  http_client::Request request;
  request.method = method;
  request.url = url;
  request.headers = std::move(headers);
  request.timeout = kMetadataTimeout;
  request.max_answer_bytes = kMetadataMaxBytes;
  return http_client::send(request);
}

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

// An endpoint's credentials without a readable Expiration are used once and fetched again.
std::chrono::system_clock::time_point expiration_of(const nlohmann::json& credentials) {
  const auto expiration = credentials.value("Expiration", nlohmann::json());
  const auto parsed = expiration.is_string() ? parse_aws_time(expiration.get<std::string>()) : std::nullopt;
  return parsed.value_or(std::chrono::system_clock::now());
}

}  // namespace

AwsEnvironment AwsEnvironment::from_process() {
  AwsEnvironment e;
  e.access_key_id = env("AWS_ACCESS_KEY_ID");
  e.secret_access_key = env("AWS_SECRET_ACCESS_KEY");
  e.session_token = env("AWS_SESSION_TOKEN");
  e.container_credentials_url = !env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI").empty()
                                    ? "http://169.254.170.2" + env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
                                    : env("AWS_CONTAINER_CREDENTIALS_FULL_URI");
  e.container_authorization = env("AWS_CONTAINER_AUTHORIZATION_TOKEN");
  if (!env("AWS_EC2_METADATA_SERVICE_ENDPOINT").empty()) e.metadata_endpoint = env("AWS_EC2_METADATA_SERVICE_ENDPOINT");
  while (!e.metadata_endpoint.empty() && e.metadata_endpoint.back() == '/') e.metadata_endpoint.pop_back();
  e.metadata_disabled = env("AWS_EC2_METADATA_DISABLED") == "true";
  e.region = !env("AWS_REGION").empty() ? env("AWS_REGION") : env("AWS_DEFAULT_REGION");
  return e;
}

std::optional<std::chrono::system_clock::time_point> parse_aws_time(const std::string& text) {
  std::tm utc{};
  const char* end = ::strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &utc);
  if (end == nullptr) return std::nullopt;
  if (*end == '.') {  // fractional seconds, which some endpoints give
    ++end;
    while (*end >= '0' && *end <= '9') ++end;
  }
  if (std::string(end) != "Z") return std::nullopt;
  return std::chrono::system_clock::from_time_t(::timegm(&utc));
}

Result<AwsCredentials> AwsCredentialProvider::get() {
  using R = Result<AwsCredentials>;
  std::lock_guard lock(mutex_);
  const auto now = Clock::now();
  if (cached_ && (!cached_->expiration || now < *cached_->expiration - kRefreshAhead)) return cached_->credentials;
  auto fresh = fetch();
  if (!fresh) {
    // Not yet expired, only due for renewal: the old ones still sign.
    if (cached_ && cached_->expiration && now < *cached_->expiration) return cached_->credentials;
    return R::fail(fresh.error());
  }
  cached_ = *fresh;
  return fresh->credentials;
}

Result<AwsCredentialProvider::Expiring> AwsCredentialProvider::fetch() {
  using R = Result<Expiring>;
  const AwsEnvironment& e = environment_;
  if (!e.access_key_id.empty() && !e.secret_access_key.empty()) {
    return Expiring{{e.access_key_id, e.secret_access_key, e.session_token}, std::nullopt};
  }
  if (!e.container_credentials_url.empty()) {
    http_client::Headers headers;
    if (!e.container_authorization.empty()) headers.emplace_back("Authorization", e.container_authorization);
    const auto answer = ask_metadata("GET", e.container_credentials_url, std::move(headers));
    if (answer.status != 200) {
      return R::fail("the ECS container credentials endpoint " + e.container_credentials_url + " did not answer: " +
                     (answer.error.empty() ? "HTTP " + std::to_string(answer.status) : answer.error));
    }
    const auto json = fossa::parse_json_or_null(answer.body);
    if (!json.is_object() || !json.contains("AccessKeyId") || !json.contains("SecretAccessKey")) {
      return R::fail("the ECS container credentials endpoint gave no credentials");
    }
    return Expiring{{json.value("AccessKeyId", ""), json.value("SecretAccessKey", ""), json.value("Token", "")},
                    expiration_of(json)};
  }
  return from_instance_metadata();
}

std::string AwsCredentialProvider::metadata_token() {
  if (environment_.metadata_disabled) return "";
  const auto token = ask_metadata("PUT", environment_.metadata_endpoint + "/latest/api/token",
                                  {{"X-aws-ec2-metadata-token-ttl-seconds", "300"}});
  return token.status == 200 ? token.body : "";
}

Result<AwsCredentialProvider::Expiring> AwsCredentialProvider::from_instance_metadata() {
  using R = Result<Expiring>;
  const std::string token = metadata_token();
  if (token.empty()) {
    return R::fail("no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run on ECS or EC2 with a role");
  }
  const std::string base = environment_.metadata_endpoint + "/latest/meta-data/iam/security-credentials/";
  const http_client::Headers headers = {{"X-aws-ec2-metadata-token", token}};
  const auto roles = ask_metadata("GET", base, headers);
  if (roles.status != 200 || roles.body.empty()) return R::fail("this EC2 instance has no IAM role");
  const std::string role = roles.body.substr(0, roles.body.find('\n'));
  const auto answer = ask_metadata("GET", base + role, headers);
  const auto json = fossa::parse_json_or_null(answer.body);
  if (answer.status != 200 || !json.is_object() || !json.contains("AccessKeyId") || !json.contains("SecretAccessKey")) {
    return R::fail("instance metadata gave no credentials for the role " + role);
  }
  return Expiring{{json.value("AccessKeyId", ""), json.value("SecretAccessKey", ""), json.value("Token", "")},
                  expiration_of(json)};
}

std::string AwsCredentialProvider::region() {
  if (!environment_.region.empty()) return environment_.region;
  const std::string token = metadata_token();
  if (token.empty()) return "";
  const auto region = ask_metadata("GET", environment_.metadata_endpoint + "/latest/meta-data/placement/region",
                                   {{"X-aws-ec2-metadata-token", token}});
  return region.status == 200 ? region.body : "";
}

}  // namespace fossa::aws
