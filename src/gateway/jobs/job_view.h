// A job as its page shows it, made from the node's task document and its subtasks' documents:
// state, progress and ETA, one lane per node with each subtask's start, end, status and attempts,
// failures with their trace, node-seconds and the estimated cost. Pure (the clock is passed in), so
// the page's arithmetic is tested without a cluster; job_page.cc renders it and serves it as JSON.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "ayeaye/json.h"
#include "cost/worker_cost.h"

namespace fossa::gateway {

struct SubtaskBar {
  std::string id;
  std::string status;    // running, complete, failed, cancelled (stopped when its parent ended or gave up)
  double from = 0;       // seconds after the job started: when it was sent
  double to = 0;         // its answer, or now while it runs
  // Once answered, when the node that ran it said when (ours do; a Python node does not): from
  // `from` to `to` is its queue wait, then its run. Drawn so: the wait first (it also holds the
  // answer's way back, milliseconds). Not known: nothing, and the bar is drawn whole.
  std::optional<double> queue_wait;
  std::optional<double> run;
  double run_from() const { return from + queue_wait.value_or(0); }
  int attempts = 1;
  std::vector<std::string> trace;  // a failure's trace, last line the error
};

struct Lane {
  std::string node;  // the node's ident as the subtask's document names it; "" not known yet
  std::vector<SubtaskBar> subtasks;
};

// One run of the job on a node, as its record keeps it (job_record.h).
struct AttemptRow {
  std::string node;
  std::string started;  // ISO times, as the record gives them
  std::string ended;
  std::string outcome;  // running, complete, failed, cancelled, "lost: <why>"
};

struct JobView {
  std::string id;
  std::string cluster;
  std::string node;  // where the job's document lives
  std::string model_class;
  std::string status;  // running, stalled (running, with no subtask ended for a while), complete, failed, waiting for workers
  std::string started;
  std::string problem;  // a held job's: why it waits or failed
  std::string cancelled;  // "by fossa from 10.0.0.5 at 2026-…Z": who asked the gateway to cancel it, when
  double elapsed = 0;   // seconds from start to end, or to now while it runs
  bool live = false;    // the page keeps refreshing while true
  // Subtasks; done counts every ended one (complete, failed after its retries, or cancelled), as
  // the node's ledger does, so failed and cancelled are parts of it.
  int total = 0, done = 0, failed = 0, cancelled_subtasks = 0, running = 0, retried = 0;
  std::optional<double> eta;  // seconds, while running with some subtasks done
  std::vector<Lane> lanes;    // in order of the nodes' names
  int subtasks_shown = 0;
  // Node time: the job's own run, its subtasks' runs, and the whole span of those whose node did
  // not say when it ran them (as before issue 26: queue wait could not be told apart there). From
  // the job's document's totals (every answered attempt) when the node gives them, else from the
  // subtask documents read.
  double node_seconds = 0;
  double subtask_run_seconds = 0;
  double queue_wait_seconds = 0;  // not node time: the subtasks waited, no slot was theirs
  int untimed_attempts = 0;       // answered without times
  double untimed_seconds = 0;     // their spans, counted whole in node time
  std::vector<std::string> trace;  // the job's own failure
  std::vector<AttemptRow> attempts;  // from the gateway's record: more than one when a node was lost
  std::optional<double> cost;      // dollars, estimated
  std::string cost_basis;          // how; or why there is no estimate
  std::string logs_url;            // its log lines in CloudWatch Logs (logs_insights_link.h): on AWS only
};

struct JobCosting {
  std::optional<WorkerPrice> worker;  // the price of the job's node's worker task
  std::string no_price;               // why there is none
  int slots_per_node = 1;             // the node's max_concurrent_tasks: a slot is a share of a worker
};

// "2026-11-30T11:45:26.193Z" as seconds since the epoch; nothing when not that shape.
std::optional<double> parse_iso_seconds(const std::string& text);

JobView make_job_view(const ayeaye::Json& job, const std::vector<ayeaye::Json>& subtasks, const JobCosting& costing,
                      std::chrono::system_clock::time_point now);

// The page's data (every duration and amount also in words: *_text).
ayeaye::Json to_json(const JobView& view);

}  // namespace fossa::gateway
