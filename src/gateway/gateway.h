// fossa-gateway: the one public door of a private cluster. Every path asks for basic auth; behind
// it, pages and a JSON API of the clusters a Discovery backend finds, their tasks, and each worker
// node's state fetched from the node itself — only ever from addresses that are tasks of the
// cluster named in the path.
//
//   pages                                   JSON
//   /                                       /api/clusters
//   /<cluster>/tasks                        /api/clusters/<cluster>/tasks
//   /<cluster>/node_info/<ipv4>[:port]      /api/clusters/<cluster>/nodes/<ipv4>[:port]
//   /<cluster>/jobs, /<cluster>/jobs/<id>   /api/clusters/<cluster>/jobs[/<id>] (jobs_api.h; POST too)
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "discovery/discovery.h"
#include "jobs/job_follow.h"
#include "jobs/job_store.h"
#include "net/http_limits.h"
#include "scaling/scaler_loop.h"

namespace fossa::gateway {

inline net::HttpLimits gateway_http_limits() {
  net::HttpLimits limits;
  limits.max_body_bytes = 1 << 20;  // a task, as a node takes it (the node's own default)
  limits.who = "the gateway";
  limits.body_limit_setting = "--max-body-bytes";
  return limits;
}

struct GatewayConfig {
  std::string bind = "0.0.0.0";
  int port = 80;
  std::string user = "fossa";
  std::string password;
  std::string discovery = "local";    // "local" or "ecs"
  std::string region;                 // ecs: empty = AWS_REGION, AWS_DEFAULT_REGION, instance metadata
  std::string cluster_directory;      // local: a `fossa cluster up` run directory
  std::vector<std::string> node_urls; // local: or these nodes
  int node_port = 2345;               // where a task's node answers, when discovery gives an IP only
  std::string ecs_cluster;  // ecs: only this cluster (name or ARN); empty: every cluster of the account
  std::string worker_group = "service:fossa-worker";  // tasks of this ECS group link to their node page
  // On AWS: the workers' CloudWatch Logs group, in --region (ecs: else discovery's); job pages
  // link to a Logs Insights query of it for their lines. Empty (a local cluster): no link.
  std::string log_group;
  std::string tls_cert;               // PEM files: with both, the gateway speaks HTTPS only
  std::string tls_key;

  // Calls to nodes: a whole answer within this deadline and size, else 502 naming which.
  double node_timeout_seconds = 5;
  std::size_t node_max_bytes = 4 << 20;
  std::string node_api_token;  // FOSSA_API_TOKEN: sent to the nodes as Authorization: Bearer

  // Scaling the worker service with the work (scaler_loop.h; deploy/aws/README.md).
  ScalingConfig scaling;

  // Jobs (jobs_api.h): held while no worker runs (with a WorkerStarter only), at most this many at
  // once and this long each.
  std::size_t max_held_jobs = 100;
  std::chrono::seconds hold_deadline{std::chrono::minutes(10)};

  // Job records (job_store.h): kept in state_dir (in memory when empty), for as long as retention
  // says; a job lost with its node runs again (job_follow.h: --lost-after, --job-attempts), and one
  // with no subtask ended for --stall-minutes is shown stalled.
  std::string state_dir;
  Retention retention;
  FollowRules follow;

  // The estimated cost on the pages (worker_cost.h): local nodes are priced as Fargate workers of
  // this size in this region, with this share on Fargate Spot; ECS tasks by their own size.
  std::string price_region = "us-east-1";
  double worker_vcpu = 0.25;
  double worker_memory_gb = 0.5;
  double worker_spot_share = 0;

  // What a client may send, and how many at once: a body of 1 MiB at most, a node's limit for a task.
  net::HttpLimits http = gateway_http_limits();
};

// The shortest password the gateway starts with.
inline constexpr std::size_t kMinPasswordLength = 12;

// Checks the configuration; the error says what is missing or wrong, and how to give it.
ayeaye::Result<std::unique_ptr<Discovery>> make_discovery(const GatewayConfig& config);

// Serves until SIGTERM or SIGINT. Returns the exit code.
int run_gateway(const GatewayConfig& config);

}  // namespace fossa::gateway
