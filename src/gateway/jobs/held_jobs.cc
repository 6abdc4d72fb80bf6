#include "jobs/held_jobs.h"

#include <algorithm>
#include <random>
#include <set>

namespace fossa::gateway {

const char* to_string(HeldJob::State state) {
  switch (state) {
    case HeldJob::State::kWaiting:
      return "waiting for workers";
    case HeldJob::State::kForwarded:
      return "forwarded";
    case HeldJob::State::kFailed:
      return "failed";
    case HeldJob::State::kCancelled:
      return "cancelled";
  }
  return "unknown";
}

std::string deadline_words(std::chrono::seconds deadline) {
  const auto s = deadline.count();
  if (s % 60 == 0) return std::to_string(s / 60) + " min";
  return std::to_string(s) + " s";
}

HeldJobs::HeldJobs(std::size_t max_waiting, std::chrono::seconds deadline, std::size_t max_ended)
    : max_waiting_(max_waiting), deadline_(deadline), max_ended_(max_ended) {
  std::random_device random;
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = 0; i < 6; ++i) id_salt_ += kHex[random() % 16];
}

std::optional<std::string> HeldJobs::hold(const std::string& cluster, std::string body, std::string model_class,
                                          Clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (waiting_.size() >= max_waiting_) return std::nullopt;
  HeldJob job;
  job.id = "held-" + id_salt_ + "-" + std::to_string(++sequence_);
  job.cluster = cluster;
  job.body = std::move(body);
  job.model_class = std::move(model_class);
  job.held_at = now;
  job.last_asked = now;  // the caller has just asked the starter
  waiting_.push_back(job.id);
  const std::string id = job.id;
  jobs_.emplace(id, std::move(job));
  return id;
}

std::optional<HeldJob> HeldJobs::find(const std::string& id) const {
  std::lock_guard lock(mutex_);
  const auto found = jobs_.find(id);
  if (found == jobs_.end()) return std::nullopt;
  return found->second;
}

std::vector<HeldJob> HeldJobs::of_cluster(const std::string& cluster) const {
  std::lock_guard lock(mutex_);
  std::vector<HeldJob> out;
  for (const auto& [id, job] : jobs_) {
    if (job.cluster == cluster) out.push_back(job);
  }
  std::sort(out.begin(), out.end(), [](const HeldJob& a, const HeldJob& b) { return a.held_at > b.held_at; });
  return out;
}

bool HeldJobs::any_waiting() const {
  std::lock_guard lock(mutex_);
  return !waiting_.empty();
}

bool HeldJobs::cancel(const std::string& id) {
  std::lock_guard lock(mutex_);
  auto found = jobs_.find(id);
  if (found == jobs_.end() || found->second.state != HeldJob::State::kWaiting || found->second.cancel_asked) return false;
  if (found->second.placing) {
    found->second.cancel_asked = true;  // forward_waiting ends it, cancelled, once its post has been answered
    return true;
  }
  found->second.state = HeldJob::State::kCancelled;
  found->second.body.clear();
  retire(id);
  return true;
}

void HeldJobs::retire(const std::string& id) {
  waiting_.erase(std::remove(waiting_.begin(), waiting_.end(), id), waiting_.end());
  ended_.push_back(id);
  while (ended_.size() > max_ended_) {
    jobs_.erase(ended_.front());
    ended_.pop_front();
  }
}

bool HeldJobs::start_placing(const std::string& id) {
  std::lock_guard lock(mutex_);
  auto found = jobs_.find(id);
  if (found == jobs_.end() || found->second.state != HeldJob::State::kWaiting || found->second.cancel_asked) return false;
  found->second.placing = true;
  return true;
}

void HeldJobs::stop_placing(const std::string& id) {
  {
    std::lock_guard lock(mutex_);
    auto found = jobs_.find(id);
    if (found == jobs_.end()) return;
    found->second.placing = false;
    if (!found->second.cancel_asked) return;
  }
  end(id, HeldJob::State::kCancelled, "", "", "");
}

bool HeldJobs::end(const std::string& id, HeldJob::State state, const std::string& node, const std::string& task_id,
                   const std::string& problem) {
  std::lock_guard lock(mutex_);
  auto found = jobs_.find(id);
  // A stale copy's verdict (forward_waiting's) does not overwrite a cancel.
  if (found == jobs_.end() || found->second.state != HeldJob::State::kWaiting) return false;
  const bool cancelled = found->second.cancel_asked;
  found->second.placing = false;
  found->second.state = cancelled ? HeldJob::State::kCancelled : state;
  found->second.node = node;
  found->second.task_id = task_id;
  found->second.problem = problem;
  found->second.body.clear();  // the node has it now, or nobody needs it
  retire(id);
  return cancelled;
}

std::vector<HeldJob> HeldJobs::forward_waiting(ClusterNodes& nodes, WorkerStarter* starter, Clock::time_point now) {
  std::vector<HeldJob> placed_while_cancelled;
  std::vector<HeldJob> waiting;
  {
    std::lock_guard lock(mutex_);
    for (const auto& id : waiting_) waiting.push_back(jobs_.at(id));
  }
  std::set<std::string> still_without_node;
  for (const auto& job : waiting) {
    if (now >= job.held_at + deadline_) {
      end(job.id, HeldJob::State::kFailed, "", "", "no worker started within " + deadline_words(deadline_));
      continue;
    }
    if (still_without_node.count(job.cluster) != 0) continue;
    if (!start_placing(job.id)) continue;  // cancelled since this round began
    const auto placement = place_job(nodes, job.cluster, job.body);
    switch (placement.outcome) {
      case Placement::Outcome::kAccepted:
        if (end(job.id, HeldJob::State::kForwarded, placement.node, placement.task_id, "")) {
          HeldJob late = job;
          late.state = HeldJob::State::kCancelled;
          late.node = placement.node;
          late.task_id = placement.task_id;
          placed_while_cancelled.push_back(std::move(late));
        }
        continue;
      case Placement::Outcome::kRefused:
        end(job.id, HeldJob::State::kFailed, "", "", placement.message);
        continue;
      case Placement::Outcome::kNoCluster:
      case Placement::Outcome::kNoFreeSlot:
      case Placement::Outcome::kNoNode:
        break;
    }
    stop_placing(job.id);
    still_without_node.insert(job.cluster);
    if (starter == nullptr || now < job.last_asked + kAskAgain) continue;
    const auto refused = starter->start_workers(job.cluster);
    std::lock_guard lock(mutex_);
    for (auto& [id, held] : jobs_) {
      if (held.cluster != job.cluster || held.state != HeldJob::State::kWaiting) continue;
      held.last_asked = now;
      held.problem = refused ? "asking for workers failed: " + *refused : "";
    }
  }
  return placed_while_cancelled;
}

}  // namespace fossa::gateway
