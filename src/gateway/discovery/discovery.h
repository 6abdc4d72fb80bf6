// Discovery: where the gateway learns what clusters exist and which tasks (nodes) they run. One
// interface, two backends: AWS ECS (the Fargate deployment; ecs_discovery.h) and local (a cluster
// that `fossa cluster up` started, or a fixed list of node URLs).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ayeaye/error.h"

namespace fossa::gateway {

struct Cluster {
  std::string arn;   // the cluster's id in paths and the API (an ECS ARN, or "local")
  std::string name;
  // ECS's: ACTIVE, PROVISIONING, DEPROVISIONING, FAILED, INACTIVE; a local cluster's: ACTIVE,
  // DEGRADED (some of its processes or nodes are gone) or DOWN.
  std::string status;
  std::string detail;  // what lies behind the status, in words ("2 tasks running, 0 pending")
};

struct ClusterTask {
  std::string task_arn;
  std::string task_id;      // the last part of the ARN
  std::string group;        // e.g. "service:fossa-worker"
  std::string status;       // "RUNNING", ...
  std::string started;      // ISO time, when known
  std::string private_ipv4;
  // Where the task's node answers: "<ipv4>:<port>". This key (and nothing else) is what the
  // gateway accepts in a node path, so it contacts only tasks of the cluster.
  std::string node_address;
  // Its size and capacity provider (ECS DescribeTasks: cpu/1024, memory/1024, capacityProviderName
  // such as FARGATE or FARGATE_SPOT); 0 and "" when discovery does not know (local).
  double vcpu = 0;
  double memory_gb = 0;
  std::string capacity_provider;
};

class Discovery {
 public:
  virtual ~Discovery() = default;
  virtual ayeaye::Result<std::vector<Cluster>> clusters() = 0;
  virtual ayeaye::Result<std::vector<ClusterTask>> tasks(const std::string& cluster_arn) = 0;
};

}  // namespace fossa::gateway
