#include "scaling/scaler_io.h"

#include "amqp/connection.h"
#include "amqp/subtask_codec.h"
#include "ayeaye/json_input.h"
#include "discovery/ecs_discovery.h"

namespace fossa::gateway {

ayeaye::Result<std::string> broker_url_from_secret(const ayeaye::Json& answer) {
  using R = ayeaye::Result<std::string>;
  const auto text = answer.find("SecretString");
  if (text == answer.end() || !text->is_string()) return R::fail("the broker's secret has no SecretString");
  const auto secret = ayeaye::parse_json_or_null(text->get<std::string>());
  const auto url = secret.is_object() ? secret.find("url") : secret.end();
  if (!secret.is_object() || url == secret.end() || !url->is_string()) {
    return R::fail("the broker's secret is not a JSON object with a \"url\"");
  }
  const std::string value = url->get<std::string>();
  if (value.rfind("amqp://", 0) != 0 && value.rfind("amqps://", 0) != 0) {
    return R::fail("the broker's secret's url is not amqp:// or amqps://");
  }
  return value;
}

std::optional<std::int64_t> slots_in_use(const ayeaye::Json& node_info) {
  const auto info = node_info.find("node_info");
  if (info == node_info.end() || !info->is_object()) return std::nullopt;
  const auto capacity = info->find("max_concurrent_tasks");
  const auto available = info->find("available_processing_capacity");
  if (capacity == info->end() || available == info->end() || !capacity->is_number_integer() ||
      !available->is_number_integer()) {
    return std::nullopt;
  }
  return std::max<std::int64_t>(0, capacity->get<std::int64_t>() - available->get<std::int64_t>());
}

ayeaye::Result<std::int64_t> BrokerAndNodesReader::waiting(const ScalerSettings& settings) {
  using R = ayeaye::Result<std::int64_t>;
  if (secret_read_ != settings.broker_secret || broker_url_.empty()) {
    auto answer = secrets_->call("GetSecretValue", {{"SecretId", settings.broker_secret}});
    if (!answer) return R::fail("cannot read the broker's secret: " + answer.error());
    auto url = broker_url_from_secret(*answer);
    if (!url) return R::fail(url.error() + " (" + settings.broker_secret + ")");
    broker_url_ = *url;
    secret_read_ = settings.broker_secret;
  }
  const std::string queue(amqp::kTaskQueue);
  auto connection = amqp::Connection::open({broker_url_, std::chrono::seconds(0), "fossa-gateway scaling"});
  auto count = connection ? (*connection)->count_queue(queue) : ayeaye::Result<amqp::Connection::QueueCount>::fail(connection.error());
  if (!count) {
    const std::string where = amqp::redact_url(broker_url_);
    broker_url_.clear();
    return R::fail("cannot count " + queue + " at " + where + ": " + count.error());
  }
  // No queue yet: no worker has declared it, so nothing waits in it.
  return static_cast<std::int64_t>(count->ready);
}

ayeaye::Result<std::int64_t> BrokerAndNodesReader::busy(const ScalerSettings& settings) {
  using R = ayeaye::Result<std::int64_t>;
  auto tasks = discovery_.tasks(cluster_);
  if (!tasks) return R::fail("cannot list the workers: " + tasks.error());
  std::int64_t busy = 0;
  for (const auto& task : *tasks) {
    if (task.group != worker_group_ || task.status != "RUNNING" || task.node_address.empty()) continue;
    const auto info = fetch_node_info(task.node_address, calls_);
    const auto used = info ? slots_in_use(*info) : std::nullopt;
    // A node that does not answer (starting, stuck) counts as full: never taken for idle.
    busy += used ? *used : settings.limits.slots_per_worker;
  }
  return busy;
}

ayeaye::Result<WorkReading> BrokerAndNodesReader::read(const ScalerSettings& settings) {
  using R = ayeaye::Result<WorkReading>;
  auto queued = waiting(settings);
  if (!queued) return R::fail(queued.error());
  auto running = busy(settings);
  if (!running) return R::fail(running.error());
  return WorkReading{*queued, *running};
}

std::optional<std::string> CloudWatchPublisher::publish(const ScalerSettings& settings, const std::string& metric_name,
                                                        double value) {
  return cloudwatch_.put_metric_data({settings.metric_namespace, metric_name, settings.metric_dimensions, value, "None"});
}

std::unique_ptr<RunningScaler> start_scaling(const GatewayConfig& config, Discovery& discovery,
                                             CountStalledJobs count_stalled, ScalingLoop::Log log) {
  auto* ecs = dynamic_cast<EcsDiscovery*>(&discovery);
  if (config.scaling.mode != "auto" || ecs == nullptr) return nullptr;
  const std::string service = service_of_group(config.worker_group);
  if (ecs->only_cluster().empty() || service.empty()) {
    log("off: it needs --ecs-cluster (one cluster) and a --worker-group of a service (service:<name>)");
    return nullptr;
  }
  auto secrets = std::make_shared<aws::AwsJsonApi>(ecs->credentials(), aws::kSecretsManager, ecs->region(), "secretsmanager");
  NodeCalls calls{static_cast<long>(config.node_timeout_seconds * 1000), config.node_max_bytes,
                                        config.node_api_token};
  log("every " + std::to_string(config.scaling.interval.count()) + " s, the service " + service + " of " +
      ecs->only_cluster() +
      (config.scaling.idle_before_min
           ? "; back to min_workers after " + std::to_string(config.scaling.idle_before_min->count()) +
                 " s idle (--idle-seconds, over the fossa:idle-minutes tag)"
           : ""));
  return std::make_unique<RunningScaler>(
      std::make_unique<EcsWorkerService>(ecs->ecs(), ecs->only_cluster(), service),
      std::make_unique<BrokerAndNodesReader>(secrets, discovery, ecs->only_cluster(), config.worker_group, calls),
      std::make_unique<CloudWatchPublisher>(ecs->credentials(), ecs->region()), std::move(count_stalled), std::move(log),
      config.scaling);
}

}  // namespace fossa::gateway
