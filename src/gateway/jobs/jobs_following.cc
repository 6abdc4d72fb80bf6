// Jobs' own loop (jobs_api.h): every few seconds it forwards held jobs and follows each unfinished
// job record on its node (job_follow.h decides), keeping the record, running a lost job again,
// and dropping records past the retention. Also how a record is made and saved.
#include <algorithm>

#include "jobs/jobs_api.h"
#include "jobs/node_fields.h"
#include "text/duration.h"

namespace fossa::gateway {
namespace {

// How often ended records past the retention are dropped.
constexpr double kPruneEverySeconds = 60;

}  // namespace

void Jobs::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    // A timer, not a synchronisation: held jobs are tried again every few seconds.
    wake_.wait_for(lock, options_.forward_every, [this] { return stopping_; });
    if (stopping_) break;
    lock.unlock();
    follow_round();
    lock.lock();
  }
}

JobRecord Jobs::new_record(const std::string& id, const std::string& cluster, const std::string& model_class,
                           const std::string& body, double now) const {
  JobRecord record;
  record.id = id;
  record.cluster = cluster;
  record.model_class = model_class;
  record.status = "running";
  record.submitted = now;
  record.updated = now;
  record.progress_at = now;
  bool secrets = false;
  record.request = redact_request(body, &secrets);
  if (secrets) record.sealed_request = options_.seal->seal(body);
  return record;
}

void Jobs::say(const std::string& line) const {
  if (options_.log) options_.log(line);
}

void Jobs::save(const JobRecord& record) {
  if (auto saved = options_.store->put(record); !saved) return say(saved.error());
  {
    std::lock_guard lock(mutex_);
    ++saves_;
  }
  saved_.notify_all();
}

void Jobs::follow_round() {
  const double now = now_seconds();
  if (held_.any_waiting()) {
    // A node took these as they were cancelled: cancelled there at once, their records already say so.
    for (const auto& late : held_.forward_waiting(nodes_, options_.starter, HeldJob::Clock::now())) {
      const auto answer = cancel_task(late.node, late.task_id, options_.calls);
      say("job " + late.id + " reached the node at " + late.node + " as it was cancelled: asked to cancel it there (" +
          (answer.answered() ? "HTTP " + std::to_string(answer.status) : answer.error) + ")");
      if (!answer.answered()) {
        std::lock_guard lock(mutex_);
        owed_cancels_.push_back({late.cluster, late.node, late.task_id});
      }
    }
  }
  settle_owed_cancels();
  auto records = options_.store->unfinished();
  if (!records) return say(records.error());
  std::map<std::string, std::vector<std::string>> addresses;  // by cluster, asked once a round
  for (auto& listed : *records) {
    if (!addresses.count(listed.cluster)) {
      auto found = nodes_.worker_addresses(listed.cluster);
      addresses[listed.cluster] = found ? *found : std::vector<std::string>{};
    }
    // Read again under following_: a cancel since the list was read has ended it.
    std::lock_guard following(following_);
    auto record = options_.store->get(listed.id);
    if (!record || !*record || (*record)->finished()) continue;
    follow_one(**record, addresses[listed.cluster], now);
  }
  if (now >= next_prune_) {
    next_prune_ = now + kPruneEverySeconds;
    if (auto pruned = options_.store->prune(options_.retention, now); !pruned) say(pruned.error());
  }
}

void Jobs::follow_one(JobRecord& record, const std::vector<std::string>& addresses, double now) {
  if (record.current() == nullptr) {
    if (const auto held = held_.find(record.id)) {
      if (held->state == HeldJob::State::kForwarded) {
        begin_attempt(record, held->node, held->task_id, now);
        save(record);
      } else if (held->state == HeldJob::State::kFailed) {
        fail_record(record, held->problem, now);
        save(record);
      }
      return;  // still held: held_ places it
    }
  }
  if (needs_placement(record)) return place_again(record, now);
  const JobAttempt attempt = *record.current();
  Sighting seen;
  if (std::find(addresses.begin(), addresses.end(), attempt.node) == addresses.end()) {
    seen.kind = Sighting::Kind::kNodeGone;
  } else {
    auto answer = get_task(attempt.node, attempt.task_id, 0, options_.calls);
    if (!answer.answered()) {
      seen.detail = answer.error;
    } else if (answer.status == 404) {
      seen.kind = Sighting::Kind::kUnknownToNode;
    } else if (answer.status == 200 && answer.body.is_object()) {
      seen.kind = Sighting::Kind::kDocument;
      seen.document = std::move(answer.body);
    } else {
      seen.detail = "HTTP " + std::to_string(answer.status);
    }
  }
  double last_answer = now;
  {
    std::lock_guard lock(mutex_);
    auto [found, added] = last_answer_.try_emplace(record.id, now);
    if (seen.kind == Sighting::Kind::kDocument) found->second = now;
    last_answer = found->second;
  }
  const bool was_stalled = record.stalled;
  const auto step = follow(record, seen, now, last_answer, options_.follow);
  // Each line is said once the record holds what it says.
  switch (step) {
    case FollowStep::kEnded:
      finish(record, attempt.node, attempt.task_id);
      say("job " + record.id + " ended " + record.status + " on " + attempt.node + " (attempt " + std::to_string(record.attempts.size()) + ")");
      break;
    case FollowStep::kRunAgain:
      save(record);
      say("job " + record.id + ": " + record.problem);
      // A silent node may still be running it: asked to cancel it, so that two attempts do not both write.
      if (seen.kind == Sighting::Kind::kNoAnswer) cancel_task(attempt.node, attempt.task_id, options_.calls);
      place_again(record, now);
      break;
    case FollowStep::kGiveUp:
      finish(record, "", "");
      say("job " + record.id + " failed: " + record.problem);
      break;
    case FollowStep::kGoOn:
      save(record);
      if (record.stalled && !was_stalled) {
        say("job " + record.id + " is stalled: no subtask has ended for " + text::human_duration(now - record.progress_at) +
            " (--stall-minutes)");
      } else if (was_stalled && !record.stalled) {
        say("job " + record.id + " is moving again");
      }
      break;
  }
}

void Jobs::finish(JobRecord& record, const std::string& node, const std::string& task_id) {
  const auto counts = record.document.is_object() ? record.document.find("subtasks") : record.document.end();
  if (!node.empty() && record.document.is_object() && counts != record.document.end() && counts->is_object()) {
    record.subtasks = get_subtask_documents(node, task_id, std::min(kRecordedSubtasks, int_at(*counts, "total")), options_.calls);
  }
  save(record);
  std::lock_guard lock(mutex_);
  last_answer_.erase(record.id);
}

void Jobs::place_again(JobRecord& record, double now) {
  const JobAttempt* lost = record.current();
  const double waiting_since = lost != nullptr && lost->ended ? *lost->ended : record.submitted;
  if (now - waiting_since > options_.follow.replace_deadline_seconds) {
    fail_record(record, "no worker node took it again within " +
                            deadline_words(std::chrono::seconds(static_cast<long long>(options_.follow.replace_deadline_seconds))) +
                            (record.problem.empty() ? "" : ": " + record.problem),
                now);
    return finish(record, "", "");
  }
  std::string body = record.request;
  if (!record.sealed_request.empty()) {
    auto opened = options_.seal->open(record.sealed_request);
    if (!opened) {
      fail_record(record, "it cannot run again: " + opened.error(), now);
      return finish(record, "", "");
    }
    body = std::move(*opened);
  }
  const auto placement = place_job(nodes_, record.cluster, body);
  switch (placement.outcome) {
    case Placement::Outcome::kAccepted:
      begin_attempt(record, placement.node, placement.task_id, now);
      {
        std::lock_guard lock(mutex_);
        last_answer_[record.id] = now;
      }
      save(record);
      say("job " + record.id + ": attempt " + std::to_string(record.attempts.size()) + " placed on " + placement.node + " as " +
          placement.task_id);
      return;
    case Placement::Outcome::kRefused:
      fail_record(record, "a node refused to run it again (HTTP " + std::to_string(placement.status) + "): " + placement.message, now);
      return finish(record, "", "");
    default:
      record.problem = "waiting for a worker node to run it again: " + placement.message;
      record.updated = now;
      save(record);
      return;
  }
}

}  // namespace fossa::gateway
