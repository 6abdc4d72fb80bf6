// Where AWS credentials and region come from, in the SDKs' order:
//
//   1. AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (/ AWS_SESSION_TOKEN);
//   2. the ECS container credentials endpoint (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or _FULL_URI,
//      with AWS_CONTAINER_AUTHORIZATION_TOKEN);
//   3. EC2 instance metadata, IMDSv2 only: a session token from PUT /latest/api/token, sent with
//      every GET; the role's credentials from /latest/meta-data/iam/security-credentials/<role>,
//      the region from /latest/meta-data/placement/region. AWS_EC2_METADATA_SERVICE_ENDPOINT
//      moves it (default http://169.254.169.254; tests point it at a fake), and
//      AWS_EC2_METADATA_DISABLED=true turns it off.
//
// Credentials from an endpoint expire: they are kept until 5 minutes before their Expiration (the
// instance offers new ones at least that early) and fetched again after. Thread-safe.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>

#include "fossa/base/result.h"

namespace fossa::aws {

struct AwsCredentials {
  std::string key_id;
  std::string secret;
  std::string token;  // a session token, or ""
};

// The environment variables above, read once.
struct AwsEnvironment {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;
  std::string container_credentials_url;  // the full URL, or ""
  std::string container_authorization;
  std::string metadata_endpoint = "http://169.254.169.254";
  bool metadata_disabled = false;
  std::string region;  // AWS_REGION, else AWS_DEFAULT_REGION

  static AwsEnvironment from_process();
};

class AwsCredentialProvider {
 public:
  using Clock = std::chrono::system_clock;
  static constexpr std::chrono::minutes kRefreshAhead{5};

  explicit AwsCredentialProvider(AwsEnvironment environment) : environment_(std::move(environment)) {}

  // The credentials to sign with now, or why there are none.
  Result<AwsCredentials> get();
  // The environment's region, else instance metadata's; "" when neither has one.
  std::string region();

 private:
  struct Expiring {
    AwsCredentials credentials;
    std::optional<Clock::time_point> expiration;  // none: never fetched again
  };
  Result<Expiring> fetch();
  Result<Expiring> from_instance_metadata();
  std::string metadata_token();

  const AwsEnvironment environment_;
  std::mutex mutex_;  // guards cached_; held across a fetch, so concurrent requests fetch once
  std::optional<Expiring> cached_;
};

// "2024-05-01T12:00:00Z" (the endpoints' Expiration) as a time; nothing when it is not that form.
std::optional<std::chrono::system_clock::time_point> parse_aws_time(const std::string& text);

}  // namespace fossa::aws
