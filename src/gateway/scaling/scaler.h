// The scaling loop's pure part: the settings the worker service's fossa:* tags give (Terraform's
// cluster/scaling.tf sets them), the loop's memory between minutes (how long nothing has waited
// or run; the last problem it logged) and which count, if any, the gateway sets. No I/O, no
// clock: times are given. The rule itself is decide_scaling (scaling.h); the loop that reads and
// acts is scaler_loop.h.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ayeaye/error.h"
#include "scaling/scaling.h"

namespace fossa::gateway {

// The worker service's tags the gateway reads (set by deploy/aws/cluster/scaling.tf).
inline constexpr const char* kTagMinWorkers = "fossa:min-workers";
inline constexpr const char* kTagMaxWorkers = "fossa:max-workers";
inline constexpr const char* kTagSlotsPerWorker = "fossa:slots-per-worker";
inline constexpr const char* kTagIdleMinutes = "fossa:idle-minutes";
inline constexpr const char* kTagMetricNamespace = "fossa:metric-namespace";
inline constexpr const char* kTagMetricName = "fossa:metric-name";
// One tag per dimension, fossa:metric-dimension:<Name> = <value>: ECS's tag values may not hold a
// comma (nor most other separators), so the dimensions cannot share one tag.
inline constexpr const char* kTagMetricDimensionPrefix = "fossa:metric-dimension:";
inline constexpr const char* kTagBrokerSecret = "fossa:broker-secret";  // the secret's ARN

using Tags = std::map<std::string, std::string>;

struct ScalerSettings {
  ScalingLimits limits;
  std::string metric_namespace;
  std::string metric_name;
  std::vector<std::pair<std::string, std::string>> metric_dimensions;
  std::string broker_secret;  // Secrets Manager secret whose JSON has the broker's amqp(s):// "url"
};

// Whether the service is set up for scaling at all (it carries fossa:metric-namespace).
bool has_scaling_tags(const Tags& tags);
// The settings, or what is wrong, naming the tag: a missing tag, a count that is not a whole number
// in range, limits that do not fit together. The limits' tags may be absent (ScalingLimits'
// defaults); the metric's and the broker's may not.
ayeaye::Result<ScalerSettings> scaler_settings_from_tags(const Tags& tags);

// The workers the starter asks for: at least one, and at least min_workers (absent or unreadable
// fossa:min-workers: 0).
int workers_to_wake(const Tags& tags);

// What the loop reads each minute besides the service's counts.
struct WorkReading {
  std::int64_t waiting = 0;  // ready in fossa_task_queue
  std::int64_t busy = 0;     // slots in use on the running worker nodes
};

// The count the gateway sets now, or nothing: only when the decision says the gateway sets it, and
// only towards it — raised when work waits (never lowering what Application Auto Scaling asked
// for meanwhile), lowered after idle — and not when the service already asks for that.
std::optional<int> count_to_set(const WorkSnapshot& work, const ScalingDecision& decision, int service_desired);

// The loop's memory from one minute to the next. One owner thread.
class ScalerState {
 public:
  using Clock = std::chrono::steady_clock;

  // What decide_scaling sees at `now`: idle_for counts from the first reading with nothing
  // waiting or running (0 while there is work), and starts again when the service's desired count
  // has risen since the last reading: someone asked for workers (the jobs API's starter for a job
  // it holds, which is in no queue yet), and they must not be stopped before the job reaches them.
  WorkSnapshot observe(const WorkReading& reading, int running_workers, int service_desired, Clock::time_point now);
  // Nothing could be read: the work is unknown, so the idle time starts again (a worker may have
  // been busy meanwhile; stopping it is what the idle time guards against).
  void forget_idle() { idle_since_.reset(); }

  // The line to log for this minute's problem ("" when none), or nothing when it is the one
  // already logged: a broker down for an hour is one line, and its return another.
  std::optional<std::string> problem_to_log(const std::string& problem);

 private:
  std::optional<Clock::time_point> idle_since_;
  std::optional<int> last_desired_;
  std::string last_problem_;
};

}  // namespace fossa::gateway
