// The scaling loop's real parts (scaler_loop.h): the depth of fossa_task_queue by a passive
// declare over AMQP, with the broker's URL from its Secrets Manager secret; the worker nodes'
// slots in use from their node_info; CloudWatch for the metric. And start_scaling, which puts
// them together for run_gateway.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "aws/cloudwatch.h"
#include "aws/json_api.h"
#include "discovery/discovery.h"
#include "gateway.h"
#include "node_calls.h"
#include "scaling/scaler_loop.h"

namespace fossa::gateway {

// The broker's amqp(s):// URL from a GetSecretValue answer (its SecretString, a JSON object with
// "url"), or why not — never with the secret in the message.
ayeaye::Result<std::string> broker_url_from_secret(const ayeaye::Json& answer);

// A node_info document's slots in use (max_concurrent_tasks - available_processing_capacity), or
// nothing when it has no such numbers.
std::optional<std::int64_t> slots_in_use(const ayeaye::Json& node_info);

// Reads the queue's depth and the nodes' slots in use. One caller at a time (the loop's thread).
class BrokerAndNodesReader : public WorkReader {
 public:
  BrokerAndNodesReader(std::shared_ptr<const aws::AwsJsonApi> secrets, Discovery& discovery, std::string cluster,
                       std::string worker_group, NodeCalls calls)
      : secrets_(std::move(secrets)),
        discovery_(discovery),
        cluster_(std::move(cluster)),
        worker_group_(std::move(worker_group)),
        calls_(std::move(calls)) {}

  ayeaye::Result<WorkReading> read(const ScalerSettings& settings) override;

 private:
  ayeaye::Result<std::int64_t> waiting(const ScalerSettings& settings);
  ayeaye::Result<std::int64_t> busy(const ScalerSettings& settings);

  std::shared_ptr<const aws::AwsJsonApi> secrets_;
  Discovery& discovery_;
  std::string cluster_;
  std::string worker_group_;
  NodeCalls calls_;
  // The broker's URL, read once per secret; read again after the broker refused or was not there
  // (a new password, a moved broker).
  std::string secret_read_;
  std::string broker_url_;
};

class CloudWatchPublisher : public MetricPublisher {
 public:
  explicit CloudWatchPublisher(std::shared_ptr<aws::AwsCredentialProvider> credentials, const std::string& region)
      : cloudwatch_(std::move(credentials), region) {}
  std::optional<std::string> publish(const ScalerSettings& settings, const std::string& metric_name,
                                     double value) override;

 private:
  aws::CloudWatch cloudwatch_;
};

// The loop and what it owns, running; stops when destroyed.
class RunningScaler {
 public:
  RunningScaler(std::unique_ptr<WorkerService> service, std::unique_ptr<WorkReader> reader,
                std::unique_ptr<MetricPublisher> publisher, CountStalledJobs count_stalled, ScalingLoop::Log log,
                const ScalingConfig& config)
      : service_(std::move(service)),
        reader_(std::move(reader)),
        publisher_(std::move(publisher)),
        loop_(*service_, *reader_, *publisher_, std::move(count_stalled), std::move(log), config.idle_before_min) {
    loop_.start(config.interval);
  }

 private:
  std::unique_ptr<WorkerService> service_;
  std::unique_ptr<WorkReader> reader_;
  std::unique_ptr<MetricPublisher> publisher_;
  ScalingLoop loop_;  // last: stopped before what it uses goes
};

// The running loop when the configuration asks for it (scaling "auto" with ECS discovery and one
// cluster), else nullptr; `count_stalled` reads the job records; lines go to `log`.
std::unique_ptr<RunningScaler> start_scaling(const GatewayConfig& config, Discovery& discovery,
                                             CountStalledJobs count_stalled, ScalingLoop::Log log);

}  // namespace fossa::gateway
