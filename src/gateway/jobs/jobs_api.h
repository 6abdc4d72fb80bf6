// The jobs API (docs/gateway.md, "Jobs"): POST a task to a cluster through the gateway, list the
// cluster's jobs, read one (with the node's long poll), and — when no worker node runs and the
// gateway has a WorkerStarter — hold the job until one does (held_jobs.h).
//
//   POST /api/clusters/<c>/jobs            place the task on a node with a free slot (job_placement.h)
//   GET  /api/clusters/<c>/jobs            the jobs the gateway recorded, and those the nodes list
//   GET  /api/clusters/<c>/jobs/<id>       the node's task document, ?wait=S passed on; the record's
//                                          when its node is gone
//
// Every job placed through the gateway is recorded (job_store.h) from the moment it is taken, and
// followed by the gateway's loop every few seconds (job_follow.h): its document kept as it runs,
// its subtasks' documents when it ends, run again on another node when its node is lost, shown
// stalled when no subtask ends for a while. A job submitted straight to a node is found through
// that node's list while the node lives. A node answering for ids it was never given claims nothing.
//
// Thread-safety: one Jobs serves the server's handler threads; its loop thread follows jobs and
// forwards held ones.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "discovery/discovery.h"
#include "jobs/held_jobs.h"
#include "jobs/job_follow.h"
#include "jobs/job_store.h"
#include "jobs/request_seal.h"
#include "net/task_id.h"
#include "jobs/job_placement.h"
#include "net/router.h"
#include "node_calls.h"
#include "jobs/worker_starter.h"

namespace fossa::gateway {

struct JobsOptions {
  std::string worker_group = "service:fossa-worker";  // tasks of this group (with an address) are worker nodes
  NodeCalls calls;
  WorkerStarter* starter = nullptr;  // nullptr: a job with no worker node is refused (local discovery)
  std::size_t max_held_jobs = 100;   // --max-held-jobs
  std::chrono::seconds hold_deadline{std::chrono::minutes(10)};  // --hold-minutes
  std::chrono::seconds forward_every{2};  // how often the loop follows jobs and tries to place held ones
  JobStore* store = nullptr;              // required: where jobs are recorded
  const RequestSeal* seal = nullptr;      // required: seals requests that hold secrets
  FollowRules follow{};                   // --lost-after, --job-attempts, --stall-minutes
  Retention retention{};                  // --keep-days, --keep-jobs
  std::function<void(const std::string&)> log{};  // a line for the gateway's log: re-runs, the store's errors
};

// ClusterNodes over Discovery and real node calls: a cluster's worker tasks, their node_info
// fetched in parallel.
class DiscoveredNodes : public ClusterNodes {
 public:
  DiscoveredNodes(Discovery& discovery, std::string worker_group, NodeCalls calls)
      : discovery_(discovery), worker_group_(std::move(worker_group)), calls_(std::move(calls)) {}
  ayeaye::Result<std::vector<NodeCapacity>> capacities(const std::string& cluster) override;
  NodeAnswer post_task(const std::string& address, const std::string& body) override;
  // The cluster's worker node addresses (an error for an unknown cluster).
  ayeaye::Result<std::vector<std::string>> worker_addresses(const std::string& cluster);
  // node_info of each address, in parallel; an error where a node gave none.
  std::vector<ayeaye::Result<ayeaye::Json>> node_infos(const std::vector<std::string>& addresses);

 private:
  std::vector<NodeAnswer> node_info_answers(const std::vector<std::string>& addresses);

  Discovery& discovery_;
  std::string worker_group_;
  NodeCalls calls_;
};

// A job found for GET: the node's document with job_id and node added, or the status and message
// of why not.
struct FoundJob {
  FoundJob(int status_, ayeaye::Json document_, std::string message_, std::string node_,
           std::optional<std::vector<ayeaye::Json>> recorded = std::nullopt)
      : status(status_), document(std::move(document_)), message(std::move(message_)), node(std::move(node_)),
        recorded_subtasks(std::move(recorded)) {}

  int status = 200;
  ayeaye::Json document;
  std::string message;
  std::string node;  // the address it lives on ("" for a held job still waiting); recorded: its last node's
  std::optional<std::vector<ayeaye::Json>> recorded_subtasks;  // set when the node is not to be asked
};

// The outcome of a cancel (job_cancel.h): 202 with the answer's document, or an error status and
// its message.
struct CancelOutcome {
  int status = 202;
  ayeaye::Json document;
  std::string message;
};

class Jobs {
 public:
  Jobs(Discovery& discovery, JobsOptions options);
  ~Jobs();  // stops the loop
  Jobs(const Jobs&) = delete;
  Jobs& operator=(const Jobs&) = delete;

  void install_routes(net::Router& router);

  // For the pages (job_page.cc) as for the API.
  FoundJob find(const std::string& cluster, const std::string& id, double wait_seconds);
  // {"jobs": [...], "unreachable": [...]}, or the discovery error for an unknown cluster.
  ayeaye::Result<ayeaye::Json> list(const std::string& cluster);
  DiscoveredNodes& nodes() { return nodes_; }
  Discovery& discovery() { return discovery_; }
  JobStore& store() { return *options_.store; }

  // Cancels the job (job_cancel.cc, docs/gateway.md "Cancel"), on `who`'s word ("fossa from
  // 10.0.0.5"): a held job is never placed; a job on a node that answers is cancelled there; one
  // whose node is silent or gone, or that waits to run again, ends "cancelled" here.
  CancelOutcome cancel(const std::string& cluster, const std::string& id, const std::string& who);

  // One round of the loop (also for tests): held jobs forwarded, every unfinished record followed.
  void follow_round();

  // Subtask documents kept in a job's record once it ended: as many as its page shows.
  static constexpr int kRecordedSubtasks = 300;

 private:
  // Where a job is: the node the gateway placed it on (`placed`), else the node whose node_info
  // lists it; `disputed` when two nodes list it and the gateway placed it on neither.
  struct Whereabouts {
    std::string node;
    bool placed = false;
    bool disputed = false;
  };

  void submit(const std::string& cluster, const net::Request& req, net::Response& res);
  // A new record of a job taken at `now`: its request redacted and, with secrets, sealed.
  JobRecord new_record(const std::string& id, const std::string& cluster, const std::string& model_class,
                       const std::string& body, double now) const;
  void save(const JobRecord& record);
  void say(const std::string& line) const;
  // Up to `wait_seconds` for the next record saved (a long poll of a job no node can be asked about).
  void wait_for_a_save(double wait_seconds);
  // A recorded job, as GET shows it: asked of its node while one runs it, else from the record.
  FoundJob find_recorded(const JobRecord& record, const std::string& suffix, double wait_seconds,
                         const std::vector<std::string>& addresses);
  // GET of `node_id` on `address`, with the long poll when one of kMaxLongPolls is free.
  NodeAnswer ask(const std::string& address, const std::string& node_id, double wait_seconds);
  // The loop's work for one unfinished record.
  void follow_one(JobRecord& record, const std::vector<std::string>& addresses, double now);
  void place_again(JobRecord& record, double now);
  void finish(JobRecord& record, const std::string& node, const std::string& task_id);
  void remember_placed(const std::string& id, const std::string& node);
  // From node_info: never over a placement, and a second node listing the same id disputes it.
  void remember_listed(const std::string& id, const std::string& node);
  void remember_order(const std::string& id);  // with mutex_ held: the newest kRememberedJobs are kept
  std::optional<Whereabouts> whereabouts(const std::string& id) const;
  // The summaries of the jobs the nodes list (each id checked, remembered where it is), and the
  // nodes that gave no node_info, as {"node", "error"}.
  std::vector<ayeaye::Json> read_listings(const std::vector<std::string>& addresses, ayeaye::Json& unreachable);
  void loop();
  // Cancel (job_cancel.cc): a recorded job, with following_ held; a job the gateway has no record
  // of, on the node that lists it.
  CancelOutcome cancel_recorded(const std::string& cluster, const std::string& top, const std::string& suffix,
                                const std::string& who);
  CancelOutcome cancel_listed(const std::string& cluster, const std::string& id);
  // Its subtasks stopped on every node through a live node of the cluster other than `silent`:
  // that node's address, or "" when none took the word.
  std::string cancel_subtasks_elsewhere(const std::vector<std::string>& addresses, const std::string& silent,
                                        const std::string& task_id, const std::string& pool_id);
  // Cancels owed to silent nodes, asked again each round until the node answers or leaves.
  void settle_owed_cancels();

  Discovery& discovery_;
  JobsOptions options_;
  DiscoveredNodes nodes_;
  HeldJobs held_;
  std::atomic<int> long_polls_{0};

  // Held while the loop follows one record, and while a cancel changes one: the two never write a
  // record from stale copies, so a job cancelled is never placed again. Taken before mutex_.
  std::mutex following_;
  mutable std::mutex mutex_;  // guards known_, order_, last_answer_, saves_, owed_cancels_, stopping_
  std::map<std::string, Whereabouts> known_;  // by job id
  std::deque<std::string> order_;
  std::map<std::string, double> last_answer_;  // by recorded job id: when its node last answered
  std::uint64_t saves_ = 0;                    // records saved so far: what a long poll waits on
  struct OwedCancel {
    std::string cluster, node, task_id;
  };
  std::vector<OwedCancel> owed_cancels_;  // a cancelled job's attempt on a node that did not answer
  std::condition_variable saved_;
  double next_prune_ = 0;
  bool stopping_ = false;
  std::condition_variable wake_;
  std::thread loop_;
};

}  // namespace fossa::gateway
