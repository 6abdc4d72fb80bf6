#include "jobs/job_follow.h"

#include <cmath>

#include "jobs/node_fields.h"

namespace fossa::gateway {
namespace {

constexpr const char* kShutdownFailure = "fossa::NodeShutdown";

std::string seconds_words(double seconds) { return std::to_string(static_cast<long long>(std::llround(seconds))) + " s"; }

int subtasks_ended(const ayeaye::Json& document) {
  if (!document.is_object()) return 0;
  const auto counts = document.find("subtasks");
  if (counts == document.end() || !counts->is_object()) return 0;
  return int_at(*counts, "done") + int_at(*counts, "failed");
}

void end_attempt(JobRecord& record, const std::string& outcome, double now) {
  JobAttempt& attempt = record.attempts.back();
  attempt.ended = now;
  attempt.outcome = outcome;
}

FollowStep lost(JobRecord& record, const std::string& why, double now, const FollowRules& rules) {
  end_attempt(record, "lost: " + why, now);
  const int attempts = static_cast<int>(record.attempts.size());
  record.stalled = false;
  if (attempts < rules.max_attempts) {
    record.status = "running";
    record.problem = "attempt " + std::to_string(attempts) + " was lost (" + why + "): running it again";
    return FollowStep::kRunAgain;
  }
  fail_record(record,
              "lost with its node on " + std::string(attempts == 1 ? "its only attempt" : "each of its " + std::to_string(attempts) + " attempts") +
                  " (--job-attempts " + std::to_string(rules.max_attempts) + "); the last: " + why,
              now);
  return FollowStep::kGiveUp;
}

}  // namespace

bool ended_by_node_shutdown(const ayeaye::Json& document) {
  if (!document.is_object() || string_at(document, "status") != "failed") return false;
  const auto results = document.find("results");
  if (results == document.end() || !results->is_object()) return false;
  const auto payload = results->find("payload");
  return payload != results->end() && string_at(*payload, "exception_class_name") == kShutdownFailure;
}

void fail_record(JobRecord& record, const std::string& why, double now) {
  record.status = "failed";
  record.problem = why;
  record.ended = now;
  record.updated = now;
  record.stalled = false;
}

void cancel_record(JobRecord& record, const std::string& who, const std::string& why, double now) {
  if (JobAttempt* attempt = record.attempts.empty() ? nullptr : &record.attempts.back(); attempt != nullptr && !attempt->ended) {
    end_attempt(record, "cancelled", now);
  }
  record.status = "cancelled";
  record.problem = why;
  record.ended = now;
  record.updated = now;
  record.stalled = false;
  record.cancelled_by = who;
  record.cancelled_at = now;
}

void begin_attempt(JobRecord& record, const std::string& node, const std::string& task_id, double now) {
  record.attempts.push_back(JobAttempt{node, task_id, now, std::nullopt, ""});
  record.status = "running";
  record.document = nullptr;
  record.progress_at = now;
  record.progress_count = 0;
  record.stalled = false;
  record.updated = now;
  if (record.attempts.size() > 1) record.problem = "running again: attempt " + std::to_string(record.attempts.size());
}

bool needs_placement(const JobRecord& record) {
  if (record.finished()) return false;
  const JobAttempt* attempt = record.current();
  return attempt == nullptr || attempt->ended.has_value();
}

FollowStep follow(JobRecord& record, const Sighting& seen, double now, double last_answer, const FollowRules& rules) {
  record.updated = now;
  const JobAttempt* attempt = record.current();
  const std::string node = attempt != nullptr ? attempt->node : std::string();
  switch (seen.kind) {
    case Sighting::Kind::kNodeGone:
      return lost(record, "its node at " + node + " left the cluster", now, rules);
    case Sighting::Kind::kUnknownToNode:
      return lost(record, "its node at " + node + " no longer knows it (the node restarted)", now, rules);
    case Sighting::Kind::kNoAnswer:
      if (now - last_answer >= rules.lost_after_seconds) {
        return lost(record,
                    "its node at " + node + " did not answer for " + seconds_words(now - last_answer) + " (--lost-after " +
                        seconds_words(rules.lost_after_seconds) + ")" + (seen.detail.empty() ? "" : ": " + seen.detail),
                    now, rules);
      }
      break;
    case Sighting::Kind::kDocument: {
      if (ended_by_node_shutdown(seen.document)) {
        record.document = seen.document;
        return lost(record, "its node at " + node + " shut down while it ran (a drain, Spot or scale-in)", now, rules);
      }
      record.document = seen.document;
      const std::string status = string_at(seen.document, "status");
      if (status == "complete" || status == "failed" || status == "cancelled") {
        record.status = status;
        record.ended = now;
        record.stalled = false;
        record.problem.clear();  // the attempts say what came before
        end_attempt(record, status, now);
        return FollowStep::kEnded;
      }
      record.status = "running";
      if (record.attempts.size() > 1) record.problem = "running again: attempt " + std::to_string(record.attempts.size());
      const int ended = subtasks_ended(seen.document);
      if (ended > record.progress_count) {
        record.progress_count = ended;
        record.progress_at = now;
      }
      break;
    }
  }
  record.stalled = now - record.progress_at >= rules.stall_seconds;
  return FollowStep::kGoOn;
}

}  // namespace fossa::gateway
