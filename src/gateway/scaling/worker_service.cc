#include "scaling/worker_service.h"

namespace fossa::gateway {
namespace {

std::string string_at(const ayeaye::Json& object, const char* key) {
  const auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : "";
}

}  // namespace

ayeaye::Json describe_service_request(const std::string& cluster, const std::string& service) {
  return {{"cluster", cluster}, {"services", {service}}, {"include", {"TAGS"}}};
}

ayeaye::Json set_desired_count_request(const std::string& cluster, const std::string& service, int desired) {
  return {{"cluster", cluster}, {"service", service}, {"desiredCount", desired}};
}

ayeaye::Result<WorkerServiceState> parse_worker_service(const ayeaye::Json& answer, const std::string& service) {
  using R = ayeaye::Result<WorkerServiceState>;
  for (const auto& s : answer.value("services", ayeaye::Json::array())) {
    if (!s.is_object()) continue;
    if (const auto status = string_at(s, "status"); !status.empty() && status != "ACTIVE") {
      return R::fail("the service " + service + " is " + status);
    }
    WorkerServiceState state;
    const auto count = [&s](const char* key) {
      const auto found = s.find(key);
      return found != s.end() && found->is_number_integer() ? found->get<int>() : 0;
    };
    state.desired = count("desiredCount");
    state.running = count("runningCount");
    for (const auto& tag : s.value("tags", ayeaye::Json::array())) {
      if (tag.is_object() && tag.contains("key") && tag["key"].is_string() && tag.contains("value") && tag["value"].is_string()) {
        state.tags[tag["key"].get<std::string>()] = tag["value"].get<std::string>();
      }
    }
    return state;
  }
  for (const auto& failure : answer.value("failures", ayeaye::Json::array())) {
    if (failure.is_object()) return R::fail("no service " + service + " in the cluster: " + string_at(failure, "reason"));
  }
  return R::fail("ECS described no service " + service);
}

std::string service_of_group(const std::string& group) {
  const std::string prefix = "service:";
  return group.rfind(prefix, 0) == 0 ? group.substr(prefix.size()) : "";
}

ayeaye::Result<WorkerServiceState> EcsWorkerService::describe() {
  auto answer = ecs_->call("DescribeServices", describe_service_request(cluster_, service_));
  if (!answer) return ayeaye::Result<WorkerServiceState>::fail(answer.error());
  return parse_worker_service(*answer, service_);
}

std::optional<std::string> EcsWorkerService::set_desired(int desired) {
  auto answer = ecs_->call("UpdateService", set_desired_count_request(cluster_, service_, desired));
  if (!answer) return answer.error();
  return std::nullopt;
}

}  // namespace fossa::gateway
