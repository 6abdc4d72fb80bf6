#include "scaling/scaler.h"

#include <algorithm>
#include <charconv>

namespace fossa::gateway {
namespace {

constexpr int kMostWorkers = 1000;           // ECS's services run at most 5000 tasks; Fossa's stacks far fewer
constexpr int kMostSlots = 1024;             // a node's --max-concurrent-tasks
constexpr int kMostIdleMinutes = 7 * 24 * 60;
constexpr std::size_t kMostDimensions = 30;  // CloudWatch's limit
constexpr std::size_t kLongestName = 255;    // CloudWatch's namespace, metric and dimension names

// The tag's whole number in [low, high]; `fallback` when the tag is absent.
ayeaye::Result<int> count_tag(const Tags& tags, const char* key, int fallback, int low, int high) {
  const auto found = tags.find(key);
  if (found == tags.end()) return fallback;
  const std::string& text = found->second;
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < low || value > high) {
    return ayeaye::Result<int>::fail(std::string("the worker service's tag ") + key + " must be a whole number from " +
                                     std::to_string(low) + " to " + std::to_string(high) + ", got '" + text + "'");
  }
  return value;
}

ayeaye::Result<std::string> text_tag(const Tags& tags, const char* key) {
  const auto found = tags.find(key);
  if (found == tags.end() || found->second.empty()) {
    return ayeaye::Result<std::string>::fail(std::string("the worker service has no tag ") + key);
  }
  if (found->second.size() > kLongestName) {
    return ayeaye::Result<std::string>::fail(std::string("the worker service's tag ") + key + " is longer than " +
                                             std::to_string(kLongestName) + " characters");
  }
  return found->second;
}

// The metric's dimensions, from the fossa:metric-dimension:<Name> tags (in the order of their names,
// which is the tags' order).
ayeaye::Result<std::vector<std::pair<std::string, std::string>>> dimension_tags(const Tags& tags) {
  using R = ayeaye::Result<std::vector<std::pair<std::string, std::string>>>;
  const std::string prefix = kTagMetricDimensionPrefix;
  std::vector<std::pair<std::string, std::string>> dimensions;
  for (auto tag = tags.lower_bound(prefix); tag != tags.end() && tag->first.starts_with(prefix); ++tag) {
    const std::string name = tag->first.substr(prefix.size());
    if (name.empty()) return R::fail("the worker service's tag " + tag->first + " names no dimension");
    if (tag->second.empty()) return R::fail("the worker service's tag " + tag->first + " holds no value");
    if (name.size() > kLongestName || tag->second.size() > kLongestName) {
      return R::fail("the worker service's tag " + tag->first + ": a dimension's name and value are at most " +
                     std::to_string(kLongestName) + " characters here");
    }
    dimensions.emplace_back(name, tag->second);
  }
  if (dimensions.size() > kMostDimensions) {
    return R::fail("the worker service has more than " + std::to_string(kMostDimensions) + " " + prefix +
                   "<name> tags (CloudWatch's limit of dimensions)");
  }
  return dimensions;
}

}  // namespace

bool has_scaling_tags(const Tags& tags) { return tags.count(kTagMetricNamespace) != 0; }

ayeaye::Result<ScalerSettings> scaler_settings_from_tags(const Tags& tags) {
  using R = ayeaye::Result<ScalerSettings>;
  ScalerSettings settings;
  const ScalingLimits defaults;
  const auto min = count_tag(tags, kTagMinWorkers, defaults.min_workers, 0, kMostWorkers);
  const auto max = count_tag(tags, kTagMaxWorkers, defaults.max_workers, 1, kMostWorkers);
  const auto slots = count_tag(tags, kTagSlotsPerWorker, defaults.slots_per_worker, 1, kMostSlots);
  const auto idle = count_tag(tags, kTagIdleMinutes, static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(
                                                                           defaults.idle_before_min).count()),
                              0, kMostIdleMinutes);
  for (const auto* count : {&min, &max, &slots, &idle}) {
    if (!*count) return R::fail(count->error());
  }
  auto limits = checked_scaling_limits({*min, *max, *slots, std::chrono::minutes(*idle)});
  if (!limits) return R::fail("the worker service's tags: " + limits.error());
  settings.limits = *limits;
  auto name_space = text_tag(tags, kTagMetricNamespace);
  auto name = text_tag(tags, kTagMetricName);
  auto secret = text_tag(tags, kTagBrokerSecret);
  for (const auto* text : {&name_space, &name, &secret}) {
    if (!*text) return R::fail(text->error());
  }
  auto dimensions = dimension_tags(tags);
  if (!dimensions) return R::fail(dimensions.error());
  settings.metric_namespace = *name_space;
  settings.metric_name = *name;
  settings.broker_secret = *secret;
  settings.metric_dimensions = *dimensions;
  return settings;
}

int workers_to_wake(const Tags& tags) {
  const auto min = count_tag(tags, kTagMinWorkers, 0, 0, kMostWorkers);
  return std::max(1, min ? *min : 0);
}

std::optional<int> count_to_set(const WorkSnapshot& work, const ScalingDecision& decision, int service_desired) {
  if (!decision.gateway_sets_count) return std::nullopt;
  const bool work_waits = work.waiting > 0 || work.busy > 0;
  if (work_waits ? decision.desired_workers <= service_desired : decision.desired_workers >= service_desired) {
    return std::nullopt;
  }
  return decision.desired_workers;
}

WorkSnapshot ScalerState::observe(const WorkReading& reading, int running_workers, int service_desired,
                                  Clock::time_point now) {
  WorkSnapshot snapshot{reading.waiting, reading.busy, running_workers, std::chrono::seconds(0)};
  const bool workers_asked_for = last_desired_ && service_desired > *last_desired_;
  last_desired_ = service_desired;
  if (reading.waiting > 0 || reading.busy > 0) {
    idle_since_.reset();
  } else {
    if (!idle_since_ || workers_asked_for) idle_since_ = now;
    snapshot.idle_for = std::chrono::duration_cast<std::chrono::seconds>(now - *idle_since_);
  }
  return snapshot;
}

std::optional<std::string> ScalerState::problem_to_log(const std::string& problem) {
  if (problem == last_problem_) return std::nullopt;
  last_problem_ = problem;
  return problem;
}

}  // namespace fossa::gateway
