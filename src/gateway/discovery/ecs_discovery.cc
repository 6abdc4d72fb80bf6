#include "discovery/ecs_discovery.h"

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <memory>

#include "ayeaye/json_input.h"

namespace fossa::gateway {
namespace {

constexpr long kApiTimeoutMs = 10000;
constexpr std::size_t kDescribeLimit = 100;  // DescribeClusters and DescribeTasks take at most 100

// `items` in runs of at most kDescribeLimit.
std::vector<std::vector<std::string>> batches(const std::vector<std::string>& items) {
  std::vector<std::vector<std::string>> out;
  for (std::size_t from = 0; from < items.size(); from += kDescribeLimit) {
    out.emplace_back(items.begin() + static_cast<long>(from),
                     items.begin() + static_cast<long>(std::min(items.size(), from + kDescribeLimit)));
  }
  return out;
}

// ECS gives a task's cpu (units, 1024 a vCPU) and memory (MiB) as strings: "256", "512".
double per_1024(const ayeaye::Json& task, const char* key) {
  const auto value = task.find(key);
  if (value == task.end() || !value->is_string()) return 0;
  char* end = nullptr;
  const std::string text = *value;
  const double number = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size() && number > 0 ? number / 1024 : 0;
}

std::string iso_from_epoch(const ayeaye::Json& value) {
  if (!value.is_number()) return value.is_string() ? value.get<std::string>() : "";
  const std::time_t t = static_cast<std::time_t>(value.get<double>());
  std::tm utc{};
  ::gmtime_r(&t, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

}  // namespace

std::string task_private_ipv4(const ayeaye::Json& task) {
  for (const auto& attachment : task.value("attachments", ayeaye::Json::array())) {
    if (!attachment.is_object()) continue;
    for (const auto& detail : attachment.value("details", ayeaye::Json::array())) {
      if (detail.is_object() && detail.value("name", "") == "privateIPv4Address" && detail.contains("value") &&
          detail["value"].is_string()) {
        return detail["value"].get<std::string>();
      }
    }
  }
  for (const auto& container : task.value("containers", ayeaye::Json::array())) {
    if (!container.is_object()) continue;
    for (const auto& eni : container.value("networkInterfaces", ayeaye::Json::array())) {
      if (eni.is_object() && eni.contains("privateIpv4Address") && eni["privateIpv4Address"].is_string()) {
        return eni["privateIpv4Address"].get<std::string>();
      }
    }
  }
  return "";
}

ayeaye::Result<std::unique_ptr<EcsDiscovery>> EcsDiscovery::create(const std::string& region, int node_port,
                                                                   const std::string& only_cluster) {
  using R = ayeaye::Result<std::unique_ptr<EcsDiscovery>>;
  std::unique_ptr<EcsDiscovery> discovery(new EcsDiscovery());
  discovery->credentials_ = std::make_shared<aws::AwsCredentialProvider>(aws::AwsEnvironment::from_process());
  const std::string found_region = !region.empty() ? region : discovery->credentials_->region();
  if (found_region.empty()) return R::fail("no AWS region: give --region or set AWS_REGION");
  discovery->ecs_ = std::make_shared<aws::AwsJsonApi>(discovery->credentials_, aws::kEcs, found_region,
                                                      "AmazonEC2ContainerServiceV20141113", kApiTimeoutMs);
  discovery->node_port_ = node_port;
  discovery->only_cluster_ = only_cluster;
  return discovery;
}

ayeaye::Result<std::vector<Cluster>> EcsDiscovery::clusters() {
  using R = ayeaye::Result<std::vector<Cluster>>;
  std::vector<std::string> arns;
  ayeaye::Json body = ayeaye::Json::object();
  // One cluster: described by the name or ARN given (an unknown one comes back as a failure).
  if (!only_cluster_.empty()) {
    auto described = call("DescribeClusters", {{"clusters", {only_cluster_}}});
    if (!described) return R::fail(described.error());
    for (const auto& c : described->value("clusters", ayeaye::Json::array())) {
      if (c.is_object() && c.value("clusterArn", "") != "") arns.push_back(c.value("clusterArn", ""));
    }
  }
  while (only_cluster_.empty()) {
    auto page = call("ListClusters", body);
    if (!page) return R::fail(page.error());
    for (const auto& arn : page->value("clusterArns", ayeaye::Json::array())) {
      if (arn.is_string()) arns.push_back(arn.get<std::string>());
    }
    if (!page->contains("nextToken") || !(*page)["nextToken"].is_string()) break;
    body["nextToken"] = (*page)["nextToken"];
  }
  std::vector<Cluster> clusters;
  for (const auto& arn : arns) {
    const auto slash = arn.rfind('/');
    clusters.push_back({arn, slash == std::string::npos ? arn : arn.substr(slash + 1), "", ""});
  }
  // Their status (ACTIVE, PROVISIONING, DEPROVISIONING, FAILED, INACTIVE) is DescribeClusters'.
  for (const auto& batch : batches(arns)) {
    auto described = call("DescribeClusters", {{"clusters", batch}});
    if (!described) return R::fail(described.error());
    for (const auto& c : described->value("clusters", ayeaye::Json::array())) {
      if (!c.is_object()) continue;
      for (auto& cluster : clusters) {
        if (cluster.arn != c.value("clusterArn", "")) continue;
        cluster.status = c.value("status", "");
        cluster.detail = std::to_string(c.value("runningTasksCount", 0)) + " tasks running, " +
                         std::to_string(c.value("pendingTasksCount", 0)) + " pending";
      }
    }
    for (const auto& failure : described->value("failures", ayeaye::Json::array())) {
      if (!failure.is_object()) continue;
      for (auto& cluster : clusters) {
        if (cluster.arn == failure.value("arn", "") && cluster.status.empty()) {
          cluster.status = "UNKNOWN";
          cluster.detail = "DescribeClusters: " + failure.value("reason", "no reason given");
        }
      }
    }
  }
  for (auto& cluster : clusters) {
    if (cluster.status.empty()) cluster.status = "UNKNOWN";
  }
  return clusters;
}

ayeaye::Result<std::vector<ClusterTask>> EcsDiscovery::tasks(const std::string& cluster_arn) {
  using R = ayeaye::Result<std::vector<ClusterTask>>;
  const bool ours = only_cluster_.empty() || cluster_arn == only_cluster_ ||
                    (cluster_arn.size() > only_cluster_.size() &&
                     cluster_arn.compare(cluster_arn.size() - only_cluster_.size() - 1, std::string::npos, "/" + only_cluster_) == 0);
  if (!ours) return R::fail("this gateway shows only the cluster " + only_cluster_);
  std::vector<std::string> arns;
  ayeaye::Json body = {{"cluster", cluster_arn}};
  while (true) {
    auto page = call("ListTasks", body);
    if (!page) return R::fail(page.error());
    for (const auto& arn : page->value("taskArns", ayeaye::Json::array())) {
      if (arn.is_string()) arns.push_back(arn.get<std::string>());
    }
    if (!page->contains("nextToken") || !(*page)["nextToken"].is_string()) break;
    body["nextToken"] = (*page)["nextToken"];
  }
  std::vector<ClusterTask> tasks;
  for (const auto& batch : batches(arns)) {
    auto described = call("DescribeTasks", {{"cluster", cluster_arn}, {"tasks", batch}});
    if (!described) return R::fail(described.error());
    for (const auto& t : described->value("tasks", ayeaye::Json::array())) {
      if (!t.is_object()) continue;
      ClusterTask task;
      task.task_arn = t.value("taskArn", "");
      task.task_id = task.task_arn.substr(task.task_arn.rfind('/') + 1);
      task.group = t.value("group", "");
      task.status = t.value("lastStatus", "");
      task.started = iso_from_epoch(t.value("startedAt", t.value("createdAt", ayeaye::Json())));
      task.private_ipv4 = task_private_ipv4(t);
      task.vcpu = per_1024(t, "cpu");
      task.memory_gb = per_1024(t, "memory");
      task.capacity_provider = t.value("capacityProviderName", "");
      if (!task.private_ipv4.empty()) task.node_address = task.private_ipv4 + ":" + std::to_string(node_port_);
      tasks.push_back(std::move(task));
    }
  }
  return tasks;
}

}  // namespace fossa::gateway
