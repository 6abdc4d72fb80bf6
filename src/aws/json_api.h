// One client per AWS service that speaks the JSON protocol (ECS, Secrets Manager): POST / with
// `X-Amz-Target: <prefix>.<Operation>` and a JSON body, signed with SigV4 (aws/signed_request.h). And the
// endpoint rule every client here follows, as the AWS SDKs do: AWS_ENDPOINT_URL_<SERVICE>, else
// AWS_ENDPOINT_URL, else https://<host prefix>.<region>.<the region's partition's DNS suffix>
// (amazonaws.com, amazonaws.com.cn in China: aws/partition.h). Thread-safe (the
// credential provider is).
#pragma once

#include <memory>
#include <string>

#include "aws/credentials.h"
#include "fossa/base/result.h"
#include "fossa/base/json.h"

namespace fossa::aws {

// What tells one service's endpoint and signature apart.
struct AwsService {
  std::string signing_name;       // "ecs", "secretsmanager", "monitoring"
  std::string host_prefix;        // the <prefix> of <prefix>.<region>.amazonaws.com (aws/partition.h)
  std::string endpoint_variable;  // "AWS_ENDPOINT_URL_ECS", ...
};

inline const AwsService kEcs{"ecs", "ecs", "AWS_ENDPOINT_URL_ECS"};
inline const AwsService kSecretsManager{"secretsmanager", "secretsmanager", "AWS_ENDPOINT_URL_SECRETS_MANAGER"};
inline const AwsService kCloudWatch{"monitoring", "monitoring", "AWS_ENDPOINT_URL_CLOUDWATCH"};

// The endpoint of `service` in `region`, by the rule above (read from the process environment).
std::string service_endpoint(const AwsService& service, const std::string& region);

class AwsJsonApi {
 public:
  static constexpr long kDefaultTimeoutMs = 10000;

  // `target_prefix`: "AmazonEC2ContainerServiceV20141113" (ECS), "secretsmanager".
  AwsJsonApi(std::shared_ptr<AwsCredentialProvider> credentials, const AwsService& service, std::string region,
             std::string target_prefix, long timeout_ms = kDefaultTimeoutMs);

  // One call: the JSON answer, or why not ("ECS UpdateService answered HTTP 400:
  // AccessDeniedException: ...").
  Result<Json> call(const std::string& operation, const Json& body) const;

  const std::string& endpoint() const { return endpoint_; }
  const std::string& region() const { return region_; }

 private:
  std::shared_ptr<AwsCredentialProvider> credentials_;
  AwsService service_;
  std::string region_;
  std::string endpoint_;
  std::string target_prefix_;
  long timeout_ms_;
};

// The error an AWS JSON or query API gave: "<type>: <message>" from its JSON body (__type or
// code, message or Message), else the body itself, cut to a line's length.
std::string aws_error_text(const std::string& body);

}  // namespace fossa::aws
