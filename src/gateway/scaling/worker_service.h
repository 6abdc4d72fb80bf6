// The stack's worker service on ECS (fossa-worker): what the gateway's scaling reads of it (its
// desired and running counts, its fossa:* tags) and the one thing it changes (the desired count).
// Requests are built and answers read by pure functions, unit-tested without ECS; EcsWorkerService
// sends them (DescribeServices, UpdateService). Thread-safe: the scaling loop and the HTTP
// handlers' worker starter share one.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "aws/json_api.h"
#include "ayeaye/error.h"
#include "ayeaye/json.h"

namespace fossa::gateway {

struct WorkerServiceState {
  int desired = 0;
  int running = 0;
  std::map<std::string, std::string> tags;
};

// DescribeServices of one service, with its tags.
ayeaye::Json describe_service_request(const std::string& cluster, const std::string& service);
// UpdateService of its desired count only (nothing else of the service changes).
ayeaye::Json set_desired_count_request(const std::string& cluster, const std::string& service, int desired);
// The service's state from a DescribeServices answer, or why not (a failure: MISSING, ...).
ayeaye::Result<WorkerServiceState> parse_worker_service(const ayeaye::Json& answer, const std::string& service);

// "service:fossa-worker" (a task's ECS group) -> "fossa-worker"; "" when it names no service.
std::string service_of_group(const std::string& group);

class WorkerService {
 public:
  virtual ~WorkerService() = default;
  virtual ayeaye::Result<WorkerServiceState> describe() = 0;
  // Nothing when ECS took it, else why not.
  virtual std::optional<std::string> set_desired(int desired) = 0;
  virtual const std::string& cluster() const = 0;
};

class EcsWorkerService : public WorkerService {
 public:
  EcsWorkerService(std::shared_ptr<const aws::AwsJsonApi> ecs, std::string cluster, std::string service)
      : ecs_(std::move(ecs)), cluster_(std::move(cluster)), service_(std::move(service)) {}

  ayeaye::Result<WorkerServiceState> describe() override;
  std::optional<std::string> set_desired(int desired) override;
  const std::string& cluster() const override { return cluster_; }

 private:
  std::shared_ptr<const aws::AwsJsonApi> ecs_;
  std::string cluster_;
  std::string service_;
};

}  // namespace fossa::gateway
