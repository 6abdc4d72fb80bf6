// Following a job the gateway placed, one sighting at a time: the rule that tells a job still
// running, ended, stalled, or lost with its node — and whether a lost job runs again. Pure (the
// record, what was seen of its node and the time in; the record's new state and the next step
// out), so every case is a unit test with no node and no clock; jobs_api.cc makes the sightings
// every few seconds and acts on the verdicts.
//
// A job runs again only when its infrastructure lost it — its node left the cluster, stopped
// answering for longer than the limit, no longer knows it (it restarted), or ended it by its own
// shutdown (drain over, Spot, scale-in: the node fails it as fossa::NodeShutdown) — never for a
// failure of the model, and at most `max_attempts` times in all.
#pragma once

#include <string>

#include "ayeaye/json.h"
#include "jobs/job_record.h"

namespace fossa::gateway {

struct FollowRules {
  double lost_after_seconds = 60;     // --lost-after: a node silent this long has lost the job
  int max_attempts = 3;               // --job-attempts: attempts in all, the first included
  double stall_seconds = 30 * 60.0;   // --stall-minutes: no subtask ended for this long is "stalled"
  double replace_deadline_seconds = 600;  // a lost job waits this long for a node to run it again
};

// What the gateway saw of the job's current attempt this round.
struct Sighting {
  enum class Kind {
    kDocument,      // the node answered with the job's document
    kUnknownToNode, // the node answered that it has no such task
    kNoAnswer,      // the node did not answer (detail: why)
    kNodeGone,      // the node is no longer a worker node of the cluster
  };
  Kind kind = Kind::kNoAnswer;
  ayeaye::Json document;
  std::string detail;
};

enum class FollowStep {
  kGoOn,      // still running (or not yet lost): look again next round
  kEnded,     // ended on its node: complete, failed by its model, or cancelled
  kRunAgain,  // lost with its node, with attempts left: place it again
  kGiveUp,    // lost with its node on its last attempt: failed
};

// Applies `seen` to `record` (its document, status, progress, stalled, the attempt's outcome; the
// problem in words) at `now`; `last_answer` is when the node last answered for this attempt.
FollowStep follow(JobRecord& record, const Sighting& seen, double now, double last_answer, const FollowRules& rules);

// Records a new attempt on `node` as `task_id`, at `now`: running again from no progress.
void begin_attempt(JobRecord& record, const std::string& node, const std::string& task_id, double now);

// True when the record waits for a node: submitted or lost, not ended, with no attempt running.
bool needs_placement(const JobRecord& record);

// The record failed for good at `now`, with `why` as its problem.
void fail_record(JobRecord& record, const std::string& why, double now);

// The record cancelled here by the gateway at `now`, on `who`'s word: it ends "cancelled" and is
// never placed again; its running attempt, if any, ends "cancelled"; `why` is its problem (what
// the gateway could and could not stop).
void cancel_record(JobRecord& record, const std::string& who, const std::string& why, double now);

// Whether a node's document says the job was ended by the node's own shutdown.
bool ended_by_node_shutdown(const ayeaye::Json& document);

}  // namespace fossa::gateway
