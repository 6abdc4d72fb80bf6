// ECS discovery: the clusters of an AWS account and region with their status, and their tasks,
// from the ECS API (ListClusters, DescribeClusters, ListTasks, DescribeTasks; JSON protocol; every
// page of a list, and the Describe calls 100 at a time, ECS's limit), each request signed with
// SigV4 (aws/json_api.h). Credentials and region: aws/credentials.h, the SDKs' order; a given region
// comes first. Endpoint: AWS_ENDPOINT_URL_ECS, AWS_ENDPOINT_URL, else ecs.<region>.amazonaws.com.
// Thread-safe: the HTTP server's threads share one.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "aws/credentials.h"
#include "aws/json_api.h"
#include "ayeaye/json.h"
#include "discovery/discovery.h"

namespace fossa::gateway {

class EcsDiscovery : public Discovery {
 public:
  // `region` may be empty (then found as above); `node_port` is where a task's node answers. With
  // `only_cluster` (a name or an ARN), that cluster is the only one shown or asked about: a
  // stack's gateway shows its own cluster, not every cluster of the account.
  static ayeaye::Result<std::unique_ptr<EcsDiscovery>> create(const std::string& region, int node_port,
                                                              const std::string& only_cluster = "");

  ayeaye::Result<std::vector<Cluster>> clusters() override;
  ayeaye::Result<std::vector<ClusterTask>> tasks(const std::string& cluster_arn) override;

  const std::string& region() const { return ecs_->region(); }
  const std::string& endpoint() const { return ecs_->endpoint(); }
  // The cluster given to create(), or "" (every cluster of the account).
  const std::string& only_cluster() const { return only_cluster_; }
  // Its ECS client and credentials, for the gateway's other AWS calls (scaling, starting workers).
  std::shared_ptr<const aws::AwsJsonApi> ecs() const { return ecs_; }
  std::shared_ptr<aws::AwsCredentialProvider> credentials() const { return credentials_; }

 private:
  EcsDiscovery() = default;
  // One ECS API call: `operation` (ListClusters, ...) with a JSON body; the JSON answer or why not.
  ayeaye::Result<ayeaye::Json> call(const std::string& operation, const ayeaye::Json& body) { return ecs_->call(operation, body); }

  std::shared_ptr<aws::AwsCredentialProvider> credentials_;
  std::shared_ptr<const aws::AwsJsonApi> ecs_;
  int node_port_ = 2345;
  std::string only_cluster_;
};

// The private IPv4 of a DescribeTasks task: its ENI attachment's privateIPv4Address, else the
// first container network interface's privateIpv4Address; "" when neither.
std::string task_private_ipv4(const ayeaye::Json& task);

}  // namespace fossa::gateway
