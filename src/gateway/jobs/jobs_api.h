// The jobs API (docs/gateway.md, "Jobs"): POST a task to a cluster through the gateway, list the
// cluster's jobs, read one (with the node's long poll), and — when no worker node runs and the
// gateway has a WorkerStarter — hold the job until one does (held_jobs.h), on a loop of its own.
//
//   POST /api/clusters/<c>/jobs            place the task on a node with a free slot (job_placement.h)
//   GET  /api/clusters/<c>/jobs            recent and running jobs across the cluster's nodes
//   GET  /api/clusters/<c>/jobs/<id>       the node's task document, ?wait=S passed on
//
// A job is looked up only where it can be: on the node the gateway placed it on, else on the one
// node whose node_info lists it. A node answering for ids it was never given claims nothing.
//
// Thread-safety: one Jobs serves the server's handler threads; its loop thread forwards held jobs.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "discovery/discovery.h"
#include "jobs/held_jobs.h"
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
  std::chrono::seconds forward_every{2};  // how often the loop tries to place held jobs
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
  int status = 200;
  ayeaye::Json document;
  std::string message;
  std::string node;  // the address it lives on ("" for a held job still waiting)
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

 private:
  // Where a job is: the node the gateway placed it on (`placed`), else the node whose node_info
  // lists it; `disputed` when two nodes list it and the gateway placed it on neither.
  struct Whereabouts {
    std::string node;
    bool placed = false;
    bool disputed = false;
  };

  void submit(const std::string& cluster, const net::Request& req, net::Response& res);
  void remember_placed(const std::string& id, const std::string& node);
  // From node_info: never over a placement, and a second node listing the same id disputes it.
  void remember_listed(const std::string& id, const std::string& node);
  void remember_order(const std::string& id);  // with mutex_ held: the newest kRememberedJobs are kept
  std::optional<Whereabouts> whereabouts(const std::string& id) const;
  // The summaries of the jobs the nodes list (each id checked, remembered where it is), and the
  // nodes that gave no node_info, as {"node", "error"}.
  std::vector<ayeaye::Json> read_listings(const std::vector<std::string>& addresses, ayeaye::Json& unreachable);
  void loop();

  Discovery& discovery_;
  JobsOptions options_;
  DiscoveredNodes nodes_;
  HeldJobs held_;
  std::atomic<int> long_polls_{0};

  mutable std::mutex mutex_;  // guards known_, order_, stopping_
  std::map<std::string, Whereabouts> known_;  // by job id
  std::deque<std::string> order_;
  bool stopping_ = false;
  std::condition_variable wake_;
  std::thread loop_;
};

}  // namespace fossa::gateway
