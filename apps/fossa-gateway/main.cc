// fossa-gateway: the command line. Flags over GATEWAY_* environment variables over defaults; the
// gateway itself is src/gateway/.
#include <CLI/CLI.hpp>

#include <charconv>
#include <cstdlib>
#include <iostream>

#include "gateway.h"

namespace {

std::string env_or(const char* name, std::string fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

}  // namespace

int main(int argc, char** argv) {
  fossa::gateway::GatewayConfig config;
  const std::string port = env_or("GATEWAY_HTTP_PORT", "80");
  const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), config.port);
  if (error != std::errc() || end != port.data() + port.size() || config.port < 0 || config.port > 65535) {
    std::cerr << "fossa-gateway: GATEWAY_HTTP_PORT must be a port number (0-65535), got '" << port << "'\n";
    return 2;
  }
  config.user = env_or("GATEWAY_HTTP_USER", config.user);
  config.password = env_or("GATEWAY_HTTP_PASSWORD", "");
  config.node_api_token = env_or("FOSSA_API_TOKEN", "");

  CLI::App app{"fossa-gateway: the one public door of a Fossa cluster — basic auth, the cluster's nodes and their tasks, jobs submitted and followed with their estimated cost. "
               "The password comes from GATEWAY_HTTP_PASSWORD only (never a flag, which other users could see), at least 12 "
               "characters; the nodes' API token, if they ask for one, from FOSSA_API_TOKEN"};
  app.add_option("--port,-p", config.port, "HTTP port; 0 picks a free one [GATEWAY_HTTP_PORT]")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  app.add_option("--bind", config.bind, "Address to listen on")->capture_default_str();
  app.add_option("--user", config.user, "The user name to ask for [GATEWAY_HTTP_USER]")->capture_default_str();
  app.add_option("--discovery", config.discovery,
                 "Where the nodes are found: ecs (the AWS account's ECS clusters) or local")
      ->capture_default_str()
      ->check(CLI::IsMember({"ecs", "local"}));
  app.add_option("--region", config.region,
                 "ecs: the AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, instance metadata); also --log-group's");
  app.add_option("--log-group", config.log_group,
                 "The workers' CloudWatch Logs group (AWS; a stack's gateway gets its own): each job page links to a Logs "
                 "Insights query of it for the job's log lines. Without it (a local cluster), no such link");
  app.add_option("--ecs-cluster", config.ecs_cluster,
                 "ecs: show only this cluster (name or ARN), as a stack's gateway does; default: every cluster of the account");
  app.add_option("--cluster-dir", config.cluster_directory, "local: the run directory of `fossa cluster up`");
  app.add_option("--node", config.node_urls, "local: a node's URL, http://<ipv4>:<port> (repeatable)");
  app.add_option("--node-port", config.node_port, "Where a task's node answers when only its IP is known")
      ->capture_default_str()
      ->check(CLI::Range(1, 65535));
  app.add_option("--worker-group", config.worker_group, "Tasks of this ECS group are nodes: their IPs link to node pages")
      ->capture_default_str();
  app.add_option("--tls-cert", config.tls_cert, "PEM certificate (chain): serve HTTPS only, so the password is not sent in clear")
      ->check(CLI::ExistingFile);
  app.add_option("--tls-key", config.tls_key, "PEM private key of --tls-cert")->check(CLI::ExistingFile);
  int hold_minutes = static_cast<int>(config.hold_deadline.count() / 60);
  app.add_option("--max-held-jobs", config.max_held_jobs,
                 "Jobs held at once while workers start from zero (ECS); beyond, 503")
      ->capture_default_str()
      ->check(CLI::Range(1, 100'000));
  app.add_option("--hold-minutes", hold_minutes, "Minutes a held job waits for a worker; then it fails")
      ->capture_default_str()
      ->check(CLI::Range(1, 24 * 60));
  // The estimated cost on the job pages (docs/gateway.md, "Cost").
  app.add_option("--state-dir", config.state_dir,
                 "Directory of the job records (jobs.sqlite3): they outlive workers and restarts (default: in memory only)");
  double keep_days = config.retention.max_age_seconds / 86400;
  app.add_option("--keep-days", keep_days, "Days an ended job's record is kept")->capture_default_str()->check(CLI::Range(0.001, 36500.0));
  app.add_option("--keep-jobs", config.retention.max_jobs, "Job records kept at most; beyond, the oldest ended ones go")
      ->capture_default_str()
      ->check(CLI::Range(1, 100'000'000));
  app.add_option("--lost-after", config.follow.lost_after_seconds,
                 "Seconds a job's node may not answer before the job is lost with it and run again")
      ->capture_default_str()
      ->check(CLI::Range(1.0, 86400.0));
  app.add_option("--job-attempts", config.follow.max_attempts,
                 "Attempts a job gets in all when its node is lost (never for its model's own failure)")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  double stall_minutes = config.follow.stall_seconds / 60;
  app.add_option("--stall-minutes", stall_minutes, "Minutes a running job may go with no subtask ended before it shows stalled (and counts in the StalledJobs metric, with ECS scaling)")
      ->capture_default_str()
      ->check(CLI::Range(0.01, 100000.0));
  app.add_option("--price-region", config.price_region,
                 "local: price the nodes as Fargate workers in this region (ecs: the cluster's own region)")
      ->capture_default_str();
  app.add_option("--worker-vcpu", config.worker_vcpu, "local: the vCPUs of a worker, as if on Fargate")
      ->capture_default_str()
      ->check(CLI::Range(0.25, 16.0));
  app.add_option("--worker-memory-gb", config.worker_memory_gb, "local: a worker's memory in GB, as if on Fargate")
      ->capture_default_str()
      ->check(CLI::Range(0.5, 120.0));
  app.add_option("--worker-spot-share", config.worker_spot_share,
                 "local: the share of workers on Fargate Spot, 0 to 1 (ecs: each task's capacity provider)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  int scaling_interval_seconds = static_cast<int>(config.scaling.interval.count());
  app.add_option("--scale-workers", config.scaling.mode,
                 "ecs with --ecs-cluster: auto scales the worker service with the work once it carries the fossa:* "
                 "scaling tags (deploy/aws/cluster/scaling.tf); off never does")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "off"}));
  app.add_option("--scaling-interval", scaling_interval_seconds,
                 "Seconds between two readings of the queue and the workers (each publishes the metric)")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  int idle_seconds = 0;
  app.add_option("--idle-seconds", idle_seconds,
                 "Seconds with nothing waiting or running before the workers go back to min_workers, over the "
                 "service's fossa:idle-minutes tag (a trial or a test need not wait minutes)")
      ->check(CLI::Range(1, 7 * 24 * 3600));
  int request_timeout_seconds = 10;
  int idle_timeout_seconds = 5;
  // Calls to nodes, and what a client may send (docs/gateway.md lists them with their defaults).
  app.add_option("--node-timeout", config.node_timeout_seconds, "Seconds a node has to give its whole answer; beyond, 502")
      ->capture_default_str()
      ->check(CLI::Range(0.1, 300.0));
  app.add_option("--node-max-bytes", config.node_max_bytes, "Largest answer read from a node; beyond, 502")
      ->capture_default_str()
      ->check(CLI::Range(1024, 1 << 30));
  app.add_option("--max-body-bytes", config.http.max_body_bytes, "Largest request body accepted (else 413)")
      ->capture_default_str()
      ->check(CLI::Range(64, 1 << 30));
  app.add_option("--max-line-bytes", config.http.max_line_bytes, "Longest request line (else 414) and header line (else 431)")
      ->capture_default_str()
      ->check(CLI::Range(256, 1 << 20));
  app.add_option("--max-header-bytes", config.http.max_header_bytes, "Request line and headers together, at most (else 431)")
      ->capture_default_str()
      ->check(CLI::Range(1024, 1 << 24));
  app.add_option("--max-headers", config.http.max_header_count, "Header fields in a request, at most (else 431)")
      ->capture_default_str()
      ->check(CLI::Range(8, 10'000));
  app.add_option("--request-timeout", request_timeout_seconds,
                 "Seconds a client has to send a whole request, from its first byte; then the connection closes")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  app.add_option("--idle-timeout", idle_timeout_seconds, "Seconds a kept-alive connection may wait for its next request")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  app.add_option("--max-connections", config.http.max_connections, "Connections open at once; beyond, 503 and closed")
      ->capture_default_str()
      ->check(CLI::Range(16, 1'000'000));
  app.add_option("--max-connections-per-address", config.http.max_connections_per_address,
                 "Connections open at once from one IP address; beyond, likewise")
      ->capture_default_str()
      ->check(CLI::Range(1, 1'000'000));
  CLI11_PARSE(app, argc, argv);
  config.hold_deadline = std::chrono::minutes(hold_minutes);
  config.follow.replace_deadline_seconds = static_cast<double>(config.hold_deadline.count());
  config.retention.max_age_seconds = keep_days * 86400;
  config.follow.stall_seconds = stall_minutes * 60;
  config.scaling.interval = std::chrono::seconds(scaling_interval_seconds);
  if (idle_seconds > 0) config.scaling.idle_before_min = std::chrono::seconds(idle_seconds);
  config.http.request_timeout = std::chrono::seconds(request_timeout_seconds);
  config.http.idle_timeout = std::chrono::seconds(idle_timeout_seconds);
  return fossa::gateway::run_gateway(config);
}
