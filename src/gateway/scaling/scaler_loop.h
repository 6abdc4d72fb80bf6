// The gateway's scaling loop: once a minute it reads the worker service (counts and fossa:* tags),
// the depth of fossa_task_queue and the nodes' slots in use, asks decide_scaling (scaling.h),
// publishes backlog_per_worker and the cluster's stalled jobs (StalledJobs, which the stack alarms
// on) to CloudWatch and, when the decision says the gateway sets the count
// (from zero, or back to min_workers after idle), sets the service's desired count. What it reads
// and does goes through the small interfaces below, so a tick is unit-tested with fakes and a
// given time; the AWS and AMQP ones are scaler_io.h.
//
// It never stops the gateway: a failure (broker unreachable, an AWS error, bad tags) is logged once
// per change of problem, and the next minute tries again. Its thread is its own; tick() runs there
// only (or on a test's thread when no thread was started).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "scaling/scaler.h"
#include "scaling/worker_service.h"

namespace fossa::gateway {

// The settings of fossa-gateway that turn it on and pace it.
struct ScalingConfig {
  // "auto": with ECS discovery and --ecs-cluster, scale that cluster's worker service once it
  // carries the fossa:* scaling tags; "off": never.
  std::string mode = "auto";
  std::chrono::seconds interval{60};
  // How long nothing waits or runs before the count goes back to min_workers, over the service's
  // fossa:idle-minutes tag: a trial, or a test, need not wait minutes (--idle-seconds).
  std::optional<std::chrono::seconds> idle_before_min;
};

// What is waiting and running, besides the service's counts.
class WorkReader {
 public:
  virtual ~WorkReader() = default;
  virtual ayeaye::Result<WorkReading> read(const ScalerSettings& settings) = 0;
};

class MetricPublisher {
 public:
  virtual ~MetricPublisher() = default;
  // One value of `metric_name` in the settings' namespace, with their dimensions. Nothing when
  // published, else why not.
  virtual std::optional<std::string> publish(const ScalerSettings& settings, const std::string& metric_name,
                                             double value) = 0;
};

// The metric of the jobs of the cluster that run with no subtask ended for the stall limit
// (JobRecord::stalled), published beside the backlog every minute, 0 included: the stack's alarm
// (deploy/aws/cluster/alarms.tf) needs a value each period to tell "none" from "no data".
inline constexpr const char* kStalledJobsMetric = "StalledJobs";

// How many jobs of `cluster` are stalled now, or why that could not be read (the job records).
using CountStalledJobs = std::function<ayeaye::Result<std::int64_t>(const std::string& cluster)>;

class ScalingLoop {
 public:
  using Clock = ScalerState::Clock;
  using Log = std::function<void(const std::string& line)>;

  ScalingLoop(WorkerService& service, WorkReader& reader, MetricPublisher& publisher, CountStalledJobs count_stalled,
              Log log, std::optional<std::chrono::seconds> idle_before_min = std::nullopt)
      : service_(service),
        reader_(reader),
        publisher_(publisher),
        count_stalled_(std::move(count_stalled)),
        log_(std::move(log)),
        idle_before_min_(idle_before_min) {}
  ~ScalingLoop() { stop(); }
  ScalingLoop(const ScalingLoop&) = delete;
  ScalingLoop& operator=(const ScalingLoop&) = delete;

  // One minute's work, at `now`.
  void tick(Clock::time_point now);

  // Ticks now and then every `interval` on a thread of its own, until stop() (which waits for a
  // tick under way: at most its calls' timeouts).
  void start(std::chrono::seconds interval);
  void stop();

 private:
  // Everything of one tick but the problem it ends with ("" when none).
  std::string work(Clock::time_point now);
  // Publishes the count of stalled jobs; the problem ("" when none).
  std::string publish_stalled_jobs(const ScalerSettings& settings);

  WorkerService& service_;
  WorkReader& reader_;
  MetricPublisher& publisher_;
  CountStalledJobs count_stalled_;
  Log log_;
  const std::optional<std::chrono::seconds> idle_before_min_;
  ScalerState state_;
  std::string last_published_;  // the last "published" line, so an unchanged minute logs nothing
  std::string last_stalled_published_;  // the same for the stalled jobs

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace fossa::gateway
