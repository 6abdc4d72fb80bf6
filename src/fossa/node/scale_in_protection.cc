#include "node/scale_in_protection.h"

#include <algorithm>

#include "ayeaye/json_input.h"
#include "http_client/client.h"

namespace fossa::node {
namespace {

constexpr auto kFirstRetry = std::chrono::seconds(1);
constexpr auto kLongestRetry = std::chrono::seconds(60);
constexpr long kAgentTimeoutMs = 5000;
constexpr std::size_t kAgentMaxAnswerBytes = 64 << 10;  // the agent's answer is a few hundred bytes

}  // namespace

std::optional<ProtectionPlan::Request> ProtectionPlan::due(Clock::time_point now) const {
  if (retry_at_ && now < *retry_at_) return std::nullopt;
  if (busy_ && (!protected_ || now >= protected_at_ + expires_ / 2)) return Request{true, expires_};
  if (!busy_ && protected_) return Request{false, std::chrono::minutes(0)};
  return std::nullopt;
}

void ProtectionPlan::answered(const Request& request, bool ok, Clock::time_point now) {
  if (ok) {
    protected_ = request.protect;
    protected_at_ = now;
    failures_ = 0;
    retry_at_.reset();
    return;
  }
  ++failures_;
  const auto wait = std::min<Clock::duration>(kFirstRetry * (1LL << std::min(failures_ - 1, 10)), kLongestRetry);
  retry_at_ = now + wait;
}

std::optional<ProtectionPlan::Clock::time_point> ProtectionPlan::next(Clock::time_point now) const {
  if (retry_at_ && (busy_ || protected_)) return std::max(*retry_at_, now);
  if (busy_ && protected_) return protected_at_ + expires_ / 2;
  return std::nullopt;
}

ScaleInProtection::ScaleInProtection(Send send, std::chrono::minutes expires, std::function<void(const std::string&)> log)
    : send_(std::move(send)), log_(std::move(log)), plan_(expires), thread_([this] { loop(); }) {}

ScaleInProtection::~ScaleInProtection() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void ScaleInProtection::set_busy(bool busy) {
  {
    std::lock_guard lock(mutex_);
    plan_.set_busy(busy);
  }
  changed_.notify_all();
}

void ScaleInProtection::loop() {
  std::unique_lock lock(mutex_);
  while (true) {
    const auto now = ProtectionPlan::Clock::now();
    if (stop_) {
      // Let go on the way out: a stopping node has nothing left to protect.
      if (plan_.protected_now()) {
        std::string why;
        lock.unlock();
        if (!send_({false, std::chrono::minutes(0)}, why)) log_("could not clear the task's scale-in protection: " + why);
      }
      return;
    }
    if (const auto request = plan_.due(now)) {
      lock.unlock();
      std::string why;
      const bool ok = send_(*request, why);
      lock.lock();
      plan_.answered(*request, ok, ProtectionPlan::Clock::now());
      if (!ok && !failing_) log_("the ECS agent did not " + std::string(request->protect ? "protect" : "unprotect") +
                                 " this task from scale-in (trying again): " + why);
      if (ok && failing_) log_("the ECS agent answers again: scale-in protection " +
                               std::string(request->protect ? "on" : "off"));
      failing_ = !ok;
      continue;
    }
    if (const auto at = plan_.next(now)) {
      changed_.wait_until(lock, *at);
    } else {
      changed_.wait(lock);
    }
  }
}

ScaleInProtection::Send ecs_agent_sender(std::string agent_uri) {
  return [uri = std::move(agent_uri)](const ProtectionPlan::Request& request, std::string& why) {
    ayeaye::Json body = {{"ProtectionEnabled", request.protect}};
    if (request.protect) body["ExpiresInMinutes"] = request.expires.count();
    http_client::Request put;
    put.method = "PUT";
    put.url = uri + "/task-protection/v1/state";
    put.headers = {{"Content-Type", "application/json"}};
    put.timeout = std::chrono::milliseconds(kAgentTimeoutMs);
    put.max_answer_bytes = kAgentMaxAnswerBytes;
    const auto answer = http_client::send(put, body.dump());
    if (!answer.error.empty()) {
      why = answer.error;
      return false;
    }
    // The agent answers {"protection": {...}}, or {"failure": {"Reason": ...}} / {"error": {...}}.
    const ayeaye::Json reply = ayeaye::parse_json_or_null(answer.body);
    if (answer.status == 200 && reply.is_object() && reply.contains("protection")) return true;
    why = "HTTP " + std::to_string(answer.status) + ": " + answer.body.substr(0, 300);
    return false;
  };
}

}  // namespace fossa::node
