// Jobs held while a cluster has no worker node: the gateway has asked its WorkerStarter for
// workers (ECS: the worker service's desired count), keeps the job and forwards it once a node
// with a free slot answers. A job waits at most `deadline`; then it shows failed ("no worker
// started within 10 min"). A waiting job may be cancelled: it is never placed. Its gateway-made id
// answers before and after forwarding.
//
// Pure bookkeeping around ClusterNodes and WorkerStarter (fakes in tests) and a clock passed in:
// the gateway's loop (jobs_api.cc) calls forward_waiting() every few seconds while a job waits.
// Thread-safe: requests hold and find from the server's threads while the loop forwards; no lock
// is held during a call to a node or the starter.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "jobs/job_placement.h"
#include "jobs/worker_starter.h"

namespace fossa::gateway {

struct HeldJob {
  using Clock = std::chrono::system_clock;
  enum class State { kWaiting, kForwarded, kFailed, kCancelled };

  std::string id;  // the gateway's: "held-<n>-<random>"
  std::string cluster;
  std::string body;
  std::string model_class;
  Clock::time_point held_at;
  State state = State::kWaiting;
  std::string node;     // forwarded: where to, and the node's id for it
  std::string task_id;
  std::string problem;  // failed: why; waiting: the starter's last refusal, if any
  Clock::time_point last_asked;  // when the starter was last asked for workers
  bool placing = false;         // waiting, and being posted to a node by forward_waiting now
  bool cancel_asked = false;    // cancelled while being posted: see cancel()
};

const char* to_string(HeldJob::State state);

class HeldJobs {
 public:
  using Clock = HeldJob::Clock;
  // At most `max_waiting` jobs wait at once (beyond, hold() refuses); ended ones (forwarded or
  // failed) are remembered, the newest `max_ended`, so their ids keep answering.
  HeldJobs(std::size_t max_waiting, std::chrono::seconds deadline, std::size_t max_ended = 1000);

  // Keeps the job: its id, or nothing when max_waiting jobs already wait.
  std::optional<std::string> hold(const std::string& cluster, std::string body, std::string model_class,
                                  Clock::time_point now);
  std::optional<HeldJob> find(const std::string& id) const;
  // The cluster's held jobs, newest first.
  std::vector<HeldJob> of_cluster(const std::string& cluster) const;
  bool any_waiting() const;

  // Cancels a waiting job: it is never placed, and shows cancelled. False (nothing changed) for a
  // job that is not waiting (forwarded, failed, cancelled) or unknown. A job whose post to a node
  // is on its way as the cancel comes is cancelled too: should the node take it, forward_waiting
  // hands it back, to be cancelled on that node at once.
  bool cancel(const std::string& id);

  // One round: each waiting job, oldest first, fails past its deadline, else is placed; a refused
  // one fails with the node's message; a cluster still without a free node is tried no further
  // this round, and its starter asked again every ask_again. Returns the jobs a node took while
  // they were being cancelled (node and task_id set): the caller cancels each on its node.
  std::vector<HeldJob> forward_waiting(ClusterNodes& nodes, WorkerStarter* starter, Clock::time_point now);

  std::size_t max_waiting() const { return max_waiting_; }
  std::chrono::seconds deadline() const { return deadline_; }
  static constexpr std::chrono::seconds kAskAgain{60};

 private:
  // Ends the job as `state`, unless a cancel came while it was being placed: then it ends
  // cancelled, and the result says so (true).
  bool end(const std::string& id, HeldJob::State state, const std::string& node, const std::string& task_id,
           const std::string& problem);
  // Marks a waiting job as being placed; false when it is no longer waiting (cancelled meanwhile).
  bool start_placing(const std::string& id);
  // Its post answered without a node taking it: waiting again, or cancelled if that was asked.
  void stop_placing(const std::string& id);
  // An ended job leaves the waiting line and joins the ended ones, the oldest beyond max_ended_
  // forgotten. Under mutex_.
  void retire(const std::string& id);

  const std::size_t max_waiting_;
  const std::chrono::seconds deadline_;
  const std::size_t max_ended_;
  mutable std::mutex mutex_;
  std::map<std::string, HeldJob> jobs_;
  std::deque<std::string> waiting_;  // oldest first
  std::deque<std::string> ended_;    // oldest first
  std::uint64_t sequence_ = 0;
  std::string id_salt_;  // so ids differ across restarts of the gateway
};

// "10 min", "90 s": the deadline as the failure message and the docs say it.
std::string deadline_words(std::chrono::seconds deadline);

}  // namespace fossa::gateway
