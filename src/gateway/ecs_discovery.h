// ECS discovery: the clusters of an AWS account and region, and their tasks, from the ECS API
// (ListClusters, ListTasks, DescribeTasks; JSON protocol), each request signed with SigV4 by
// libcurl (CURLOPT_AWS_SIGV4), not by hand.
//
// Credentials, in the SDKs' order: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (/ AWS_SESSION_TOKEN),
// then the ECS container credentials endpoint (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or _FULL_URI),
// then EC2 instance metadata (IMDSv2). Region: the given one, AWS_REGION, AWS_DEFAULT_REGION, then
// instance metadata. Endpoint: AWS_ENDPOINT_URL_ECS, AWS_ENDPOINT_URL, else ecs.<region>.amazonaws.com.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "ayeaye/json.h"
#include "discovery.h"

namespace fossa::gateway {

struct AwsCredentials {
  std::string key_id;
  std::string secret;
  std::string token;  // a session token, or ""
};

struct HttpResult {
  long status = 0;
  std::string body;
  std::string error;  // libcurl's, when the request did not happen
};

// One request signed with SigV4 by libcurl for `region` and `service`. An `X-Amz-Date` header,
// when given, is the signing time (libcurl's rule; it lets the test vectors be checked).
HttpResult signed_request(const std::string& method, const std::string& url, const std::vector<std::string>& headers,
                          const std::string& body, const AwsCredentials& credentials, const std::string& region,
                          const std::string& service, long timeout_ms);

class EcsDiscovery : public Discovery {
 public:
  // `region` may be empty (then found as above); `node_port` is where a task's node answers.
  static ayeaye::Result<std::unique_ptr<EcsDiscovery>> create(const std::string& region, int node_port);

  ayeaye::Result<std::vector<Cluster>> clusters() override;
  ayeaye::Result<std::vector<ClusterTask>> tasks(const std::string& cluster_arn) override;

  const std::string& region() const { return region_; }
  const std::string& endpoint() const { return endpoint_; }

 private:
  EcsDiscovery() = default;
  // One ECS API call: `operation` (ListClusters, ...) with a JSON body; the JSON answer or why not.
  ayeaye::Result<ayeaye::Json> call(const std::string& operation, const ayeaye::Json& body);

  std::string region_;
  std::string endpoint_;
  int node_port_ = 2345;
};

// The private IPv4 of a DescribeTasks task: its ENI attachment's privateIPv4Address, else the
// first container network interface's privateIpv4Address; "" when neither.
std::string task_private_ipv4(const ayeaye::Json& task);

}  // namespace fossa::gateway
