// Scale-in protection on ECS: a node that is running anything asks its ECS agent to protect its
// task from scale-in (PUT $ECS_AGENT_URI/task-protection/v1/state), renews that while it stays busy,
// and lets go once idle — so the service's autoscaler, scaling in, only ever stops idle workers.
// (A node stopped anyway, by a deployment say, drains on SIGTERM as before: docs/node.md.)
//
// ProtectionPlan is the decision, pure: from busy/idle changes, the time and the agent's answers,
// what to ask the agent next and when. ScaleInProtection is the thread that asks.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace fossa::node {

class ProtectionPlan {
 public:
  using Clock = std::chrono::steady_clock;
  struct Request {
    bool protect = false;
    std::chrono::minutes expires{0};  // with protect: the agent drops it after this, if not renewed
  };

  // Protection asked for lasts `expires` and is renewed halfway; a failed request is tried again
  // after 1 s, doubling to at most a minute.
  explicit ProtectionPlan(std::chrono::minutes expires) : expires_(expires) {}

  void set_busy(bool busy) { busy_ = busy; }
  // The request to make at `now`, if any.
  std::optional<Request> due(Clock::time_point now) const;
  // The agent's answer to `request`, made at `now`.
  void answered(const Request& request, bool ok, Clock::time_point now);
  // When due() may next have a request without a set_busy() (a renewal, a retry); none if not.
  std::optional<Clock::time_point> next(Clock::time_point now) const;
  bool protected_now() const { return protected_; }

 private:
  const std::chrono::minutes expires_;
  bool busy_ = false;
  bool protected_ = false;  // as the agent last confirmed (a new task is not protected)
  Clock::time_point protected_at_{};
  int failures_ = 0;
  std::optional<Clock::time_point> retry_at_;
};

class ScaleInProtection {
 public:
  // Makes one request of the agent; false (with why) when it was not confirmed.
  using Send = std::function<bool(const ProtectionPlan::Request&, std::string& why)>;
  // `log` hears of failures and recoveries (not of every request).
  ScaleInProtection(Send send, std::chrono::minutes expires, std::function<void(const std::string&)> log);
  // Stops the thread; a protected task asks (once) to be let go.
  ~ScaleInProtection();
  ScaleInProtection(const ScaleInProtection&) = delete;
  ScaleInProtection& operator=(const ScaleInProtection&) = delete;

  // Thread-safe, returns at once.
  void set_busy(bool busy);

 private:
  void loop();

  Send send_;
  std::function<void(const std::string&)> log_;
  std::mutex mutex_;
  std::condition_variable changed_;
  ProtectionPlan plan_;
  bool stop_ = false;
  bool failing_ = false;
  std::thread thread_;
};

// Asks the ECS agent at `agent_uri` ($ECS_AGENT_URI): PUT <agent_uri>/task-protection/v1/state
// with {"ProtectionEnabled": ..., "ExpiresInMinutes": ...}; confirmed by a 200 whose body has
// "protection". Each request gives up after 5 s.
ScaleInProtection::Send ecs_agent_sender(std::string agent_uri);

}  // namespace fossa::node
