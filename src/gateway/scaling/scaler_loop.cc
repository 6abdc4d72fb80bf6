#include "scaling/scaler_loop.h"

#include <cstdio>
#include <exception>

namespace fossa::gateway {
namespace {

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", value);
  return text;
}

// `problem`, and `more` after it, "; "-separated.
std::string joined(std::string problem, const std::string& more) {
  if (more.empty()) return problem;
  return problem.empty() ? more : problem + "; " + more;
}

}  // namespace

std::string ScalingLoop::publish_stalled_jobs(const ScalerSettings& settings) {
  auto stalled = count_stalled_(service_.cluster());
  if (!stalled) return "cannot count the stalled jobs: " + stalled.error();
  if (auto failed = publisher_.publish(settings, kStalledJobsMetric, static_cast<double>(*stalled))) return *failed;
  const std::string published = std::string("published ") + kStalledJobsMetric + " " + std::to_string(*stalled) + " to " +
                                settings.metric_namespace;
  if (published != last_stalled_published_) log_(published);
  last_stalled_published_ = published;
  return "";
}

std::string ScalingLoop::work(Clock::time_point now) {
  auto service = service_.describe();
  if (!service) {
    state_.forget_idle();
    return "cannot read the worker service: " + service.error();
  }
  if (!has_scaling_tags(service->tags)) {
    state_.forget_idle();
    return std::string("not scaling: the worker service of ") + service_.cluster() + " carries no " + kTagMetricNamespace +
           " tag (deploy/aws/cluster/scaling.tf sets the fossa:* tags)";
  }
  auto settings = scaler_settings_from_tags(service->tags);
  if (!settings) {
    state_.forget_idle();
    return "not scaling: " + settings.error();
  }
  if (idle_before_min_) settings->limits.idle_before_min = *idle_before_min_;
  // Before the work is read: an unreachable broker is when jobs stall, and the alarm still hears.
  std::string problem = publish_stalled_jobs(*settings);
  auto reading = reader_.read(*settings);
  if (!reading) {
    state_.forget_idle();
    return joined(problem, reading.error());
  }
  const WorkSnapshot snapshot = state_.observe(*reading, service->running, service->desired, now);
  const ScalingDecision decision = decide_scaling(snapshot, settings->limits);

  if (auto failed = publisher_.publish(*settings, settings->metric_name, decision.backlog_per_worker)) {
    problem = joined(problem, *failed);
  } else {
    const std::string published = "published " + settings->metric_name + " " + number(decision.backlog_per_worker) +
                                  " to " + settings->metric_namespace + " (" + std::to_string(snapshot.waiting) +
                                  " waiting, " + std::to_string(snapshot.busy) + " running on " +
                                  std::to_string(snapshot.running_workers) + " worker(s))";
    if (published != last_published_) log_(published);
    last_published_ = published;
  }
  if (const auto count = count_to_set(snapshot, decision, service->desired)) {
    if (auto failed = service_.set_desired(*count)) {
      problem = joined(problem, "cannot set the desired count of workers: " + *failed);
    } else {
      log_("set the desired count of workers from " + std::to_string(service->desired) + " to " + std::to_string(*count) +
           ": " + decision.reason);
    }
  }
  return problem;
}

void ScalingLoop::tick(Clock::time_point now) {
  std::string problem;
  try {
    problem = work(now);
  } catch (const std::exception& e) {  // an answer shaped unlike any AWS gives: logged, never fatal
    state_.forget_idle();
    problem = std::string("unexpected: ") + e.what();
  }
  if (const auto line = state_.problem_to_log(problem)) log_(line->empty() ? "working again" : *line);
}

void ScalingLoop::start(std::chrono::seconds interval) {
  thread_ = std::thread([this, interval] {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      tick(Clock::now());
      lock.lock();
      wake_.wait_for(lock, interval, [this] { return stopping_; });
    }
  });
}

void ScalingLoop::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace fossa::gateway
