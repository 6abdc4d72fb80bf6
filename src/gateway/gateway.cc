#include "gateway.h"

#include <iostream>

#include "ayeaye/json_input.h"
#include "basic_auth.h"
#include "discovery/ecs_discovery.h"
#include "scaling/ecs_worker_starter.h"
#include "gateway_pages.h"
#include "jobs/job_cancel.h"
#include "jobs/job_page.h"
#include "jobs/jobs_api.h"
#include "jobs/stalled_jobs.h"
#include "discovery/local_discovery.h"
#include "net/certificate_fingerprint.h"
#include "node_calls.h"
#include "net/http.h"
#include "net/http_server.h"
#include "net/router.h"
#include "process/signals.h"
#include "scaling/scaler_io.h"

namespace fossa::gateway {
namespace {

// Handlers wait on AWS and on nodes: they run on pools of their own, never on the I/O thread
// (which checks the login). Those that call nodes (Lane::kCallsOut) have their own, so that slow
// nodes hold no thread the others need.
constexpr int kHandlerThreads = 4;
constexpr int kNodeCallThreads = 8;

ayeaye::Json to_json(const ClusterTask& t) {
  ayeaye::Json json = {{"task_arn", t.task_arn}, {"task_id", t.task_id}, {"group", t.group},   {"status", t.status},
          {"started", t.started},   {"private_ipv4", t.private_ipv4}, {"node_address", t.node_address}};
  if (t.vcpu > 0) json["vcpu"] = t.vcpu;
  if (t.memory_gb > 0) json["memory_gb"] = t.memory_gb;
  if (!t.capacity_provider.empty()) json["capacity_provider"] = t.capacity_provider;
  return json;
}

// What workers cost: ECS tasks at their own size in the discovery's region; local nodes as if on
// Fargate, at the size, region and Spot share of the flags.
CostSettings cost_settings(const GatewayConfig& config, Discovery& discovery) {
  CostSettings costs;
  costs.local_size = {config.worker_vcpu, config.worker_memory_gb, false};
  if (auto* ecs = dynamic_cast<EcsDiscovery*>(&discovery)) {
    costs.region = ecs->region();
  } else {
    costs.region = config.price_region;
    costs.as_if_on_fargate = true;
    costs.spot_share = config.worker_spot_share;
  }
  return costs;
}

// Where the workers' lines are: --log-group in --region, or the ECS discovery's region.
LogsInsightsSettings logs_settings(const GatewayConfig& config, Discovery& discovery) {
  LogsInsightsSettings logs{config.region, config.log_group};
  if (auto* ecs = dynamic_cast<EcsDiscovery*>(&discovery); ecs != nullptr && logs.region.empty()) logs.region = ecs->region();
  return logs;
}

// The JSON API of clusters, tasks and nodes (the jobs API is jobs_api.h).
void install_api_routes(net::Router& server, Discovery& discovery, const NodeCalls& calls) {
  server.get("/api/clusters", [&discovery](const net::Request&, net::Response& res) {
    auto clusters = discovery.clusters();
    if (!clusters) return net::send_error(res, 502, clusters.error());
    ayeaye::Json list = ayeaye::Json::array();
    for (const auto& c : *clusters) list.push_back({{"arn", c.arn}, {"name", c.name}, {"status", c.status}, {"detail", c.detail}});
    net::send_json(res, 200, {{"clusters", list}});
  });
  server.get(R"(/api/clusters/(.+)/tasks)", [&discovery](const net::Request& req, net::Response& res) {
    auto tasks = discovery.tasks(req.matches[1]);
    if (!tasks) return net::send_error(res, 404, tasks.error());
    ayeaye::Json list = ayeaye::Json::array();
    for (const auto& t : *tasks) list.push_back(to_json(t));
    net::send_json(res, 200, {{"tasks", list}});
  });
  server.get(
      R"(/api/clusters/(.+)/nodes/([^/]+))",
      [&discovery, &calls](const net::Request& req, net::Response& res) {
        if (!task_at(discovery, req.matches[1], req.matches[2])) {
          return net::send_error(res, 404, std::string(req.matches[2]) + " is not a task of cluster " + std::string(req.matches[1]));
        }
        auto info = fetch_node_info(req.matches[2], calls);
        if (!info) return net::send_error(res, 502, info.error());
        net::send_json(res, 200, *info);
      },
      net::Lane::kCallsOut);
}

}  // namespace

ayeaye::Result<std::unique_ptr<Discovery>> make_discovery(const GatewayConfig& config) {
  using R = ayeaye::Result<std::unique_ptr<Discovery>>;
  if (config.discovery == "ecs") {
    auto ecs = EcsDiscovery::create(config.region, config.node_port, config.ecs_cluster);
    if (!ecs) return R::fail(ecs.error());
    return std::unique_ptr<Discovery>(std::move(ecs).value());
  }
  if (config.discovery != "local") return R::fail("--discovery " + config.discovery + ": expected ecs or local");
  if (!config.log_group.empty() && config.region.empty()) {
    return R::fail("--log-group " + config.log_group + " needs --region with local discovery (the log group's region)");
  }
  if (config.cluster_directory.empty() == config.node_urls.empty()) {
    return R::fail("local discovery needs --cluster-dir (a `fossa cluster up` run directory) or --node URLs, one of them");
  }
  for (const auto& url : config.node_urls) {
    if (node_address_of(url).empty()) return R::fail("--node " + url + ": expected http://<ipv4>:<port>");
  }
  return std::unique_ptr<Discovery>(new LocalDiscovery(config.cluster_directory, config.node_urls));
}

namespace {

net::HttpServerOptions http_options(const GatewayConfig& config) {
  net::HttpServerOptions options;
  options.io_threads = 1;
  options.handler_threads = kHandlerThreads;
  options.calls_out_threads = kNodeCallThreads;
  options.tls_cert = config.tls_cert;
  options.tls_key = config.tls_key;
  options.limits = config.http;
  return options;
}

// Every answer, refusals included: no framing, no sniffing, no referrer, nothing from elsewhere;
// and over HTTPS with a certificate browsers trust, HTTPS only from then on (HSTS). Not with one
// they do not (the gateway's own, made on its instance): a browser ignores HSTS over a connection
// whose certificate it had to be told to accept, and were it to keep it, a new certificate (a new
// instance) could no longer be accepted at all.
void add_security_headers(net::Router& router, bool hsts) {
  net::add_security_headers(router);
  if (hsts) router.add_header_to_all("Strict-Transport-Security", "max-age=31536000");
}

}  // namespace

int run_gateway(const GatewayConfig& config) {
  if (config.password.empty()) {
    std::cerr << "fossa-gateway: no password: set GATEWAY_HTTP_PASSWORD (every path asks for user '" << config.user
              << "' and that password)\n";
    return 2;
  }
  auto discovery = make_discovery(config);
  if (!discovery) {
    std::cerr << "fossa-gateway: " << discovery.error() << "\n";
    return 2;
  }
  if (config.tls_cert.empty() != config.tls_key.empty()) {
    std::cerr << "fossa-gateway: TLS needs both --tls-cert and --tls-key\n";
    return 2;
  }
  if (config.password.size() < kMinPasswordLength) {
    std::cerr << "fossa-gateway: GATEWAY_HTTP_PASSWORD is too short (" << config.password.size()
              << " characters): a public door needs at least " << kMinPasswordLength << "\n";
    return 2;
  }
  const bool tls = !config.tls_cert.empty();
  const bool hsts = tls && net::certificate_is_trusted(config.tls_cert);
  const sigset_t stop_signals = block_stop_signals();

  net::Router router;
  add_security_headers(router, hsts);
  BasicAuth auth(config.user, config.password);
  // On the request's head, on the I/O thread: a refused login reads no body and waits for no handler.
  router.set_before([&auth](const net::Request& req, net::Response& res) {
    switch (auth.check(req.remote_addr, req.get_header_value("Authorization"))) {
      case BasicAuth::Verdict::kAllowed:
        return false;
      case BasicAuth::Verdict::kThrottled:
        res.set_header("Retry-After", std::to_string(auth.retry_after(req.remote_addr)));
        net::send_error(res, 429, "too many failed logins from this address; try again later");
        return true;
      case BasicAuth::Verdict::kUnauthorized:
        break;
    }
    res.set_header("WWW-Authenticate", "Basic realm=\"fossa-gateway\", charset=\"UTF-8\"");
    net::send_error(res, 401, "this gateway asks for a user name and password");
    return true;
  });
  const NodeCalls calls{static_cast<long>(config.node_timeout_seconds * 1000), config.node_max_bytes, config.node_api_token};
  JobsOptions jobs_options{config.worker_group, calls};
  jobs_options.max_held_jobs = config.max_held_jobs;
  jobs_options.hold_deadline = config.hold_deadline;
  // Waking workers from zero (issue 16): with ECS discovery the worker service's starter
  // (ecs_worker_starter.h); local discovery has none, and a job with no node is refused.
  const auto starter = make_worker_starter(config, **discovery);
  jobs_options.starter = starter.get();
  auto store = open_job_store(config.state_dir);
  if (!store) {
    std::cerr << "fossa-gateway: " << store.error() << " (--state-dir)\n";
    return 2;
  }
  const RequestSeal seal(config.password, (*store)->salt());
  jobs_options.store = store->get();
  jobs_options.seal = &seal;
  jobs_options.follow = config.follow;
  jobs_options.retention = config.retention;
  jobs_options.log = [](const std::string& line) { std::cerr << ("fossa-gateway: jobs: " + line + "\n") << std::flush; };
  Jobs jobs(**discovery, jobs_options);
  jobs.install_routes(router);
  install_job_cancel(router, jobs);
  install_api_routes(router, **discovery, calls);
  const PagesContext pages{**discovery, config.worker_group, calls, cost_settings(config, **discovery),
                           logs_settings(config, **discovery)};
  install_job_pages(router, jobs, pages);
  install_pages(router, pages);
  router.set_not_found([](const net::Request& req, net::Response& res) { net::send_error(res, 404, "no such path: " + req.path); });

  net::raise_open_file_limit();
  net::HttpServer server(router, http_options(config));
  const auto listening = server.listen(config.bind, config.port);
  if (!listening) {
    std::cerr << "fossa-gateway: " << listening.error() << "\n";
    return listening.error().rfind("cannot use the certificate", 0) == 0 ? 2 : 1;
  }
  server.start();
  // The stalled jobs the loop publishes beside the backlog (the stack alarms on them).
  JobStore& job_store = **store;
  const auto count_stalled = [&job_store](const std::string& cluster) { return count_stalled_jobs(job_store, cluster); };
  const auto scaler = start_scaling(config, **discovery, count_stalled, [](const std::string& line) {
    std::cerr << ("fossa-gateway: scaling: " + line + "\n") << std::flush;
  });
  std::cerr << "fossa-gateway ready on " << (tls ? "https" : "http") << "://"
            << (config.bind == "0.0.0.0" ? "127.0.0.1" : config.bind) << ":" << listening.value()
            << "/ (user " << config.user
            << (tls ? ", " + net::describe_certificate(config.tls_cert) +
                          (hsts ? ", trusted here: HSTS sent" : ", not from an authority this machine trusts: no HSTS")
                    : "")
            << "; job records in " << (*store)->where() << ")" << std::endl;
  int signal = 0;
  sigwait(&stop_signals, &signal);
  server.stop();
  return 0;
}

}  // namespace fossa::gateway
