#include "gateway.h"

#include <iostream>
#include <sstream>

#include "ayeaye/json_input.h"
#include "aws/http.h"
#include "basic_auth.h"
#include "ecs_discovery.h"
#include "jobs_api.h"
#include "local_discovery.h"
#include "node_calls.h"
#include "net/http.h"
#include "net/http_server.h"
#include "net/router.h"
#include "process/signals.h"

namespace fossa::gateway {
namespace {

using net::escape_html;

// Handlers wait on nodes and on AWS: they run on a pool of their own, never on the I/O thread.
constexpr int kHandlerThreads = 8;

// After net::kBaseStyle.
constexpr const char* kStyle = ".problem { background: #fde2e1; padding: .6rem; }\n";

std::string page(const std::string& title, const std::string& body) {
  return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape_html(title) +
         "</title><link rel=\"stylesheet\" href=\"/static/gateway.css\"></head><body><header><a href=\"/\">Fossa gateway</a></header><main>" +
         body + "</main></body></html>";
}

void send_page(net::Response& res, int status, const std::string& title, const std::string& body) {
  res.status = status;
  res.set_content(page(title, body), "text/html; charset=utf-8");
}

// A task of `cluster` whose node answers at `address`, or nothing: the only addresses the gateway
// will contact.
std::optional<ClusterTask> task_at(Discovery& discovery, const std::string& cluster, const std::string& address) {
  auto tasks = discovery.tasks(cluster);
  if (!tasks) return std::nullopt;
  for (auto& task : *tasks) {
    if (task.node_address == address) return task;
  }
  return std::nullopt;
}

ayeaye::Json to_json(const ClusterTask& t) {
  return {{"task_arn", t.task_arn}, {"task_id", t.task_id}, {"group", t.group},   {"status", t.status},
          {"started", t.started},   {"private_ipv4", t.private_ipv4}, {"node_address", t.node_address}};
}

std::string text(const ayeaye::Json& json, const char* key) {
  const auto found = json.find(key);
  if (found == json.end()) return "";
  return found->is_string() ? found->get<std::string>() : net::dump_json(*found);
}

// A failure as the node's own page shows it: the trace's last line, "<type>: <message>".
std::string failure_text(const ayeaye::Json& payload) {
  const auto trace = payload.find("traceback");
  if (trace != payload.end() && trace->is_array() && !trace->empty() && trace->back().is_string()) {
    return trace->back().get<std::string>();
  }
  return text(payload, "exception_class_name");
}

// One row per task document of a node: id, model, status, progress or outcome.
std::string task_rows(const ayeaye::Json& tasks) {
  if (!tasks.is_array() || tasks.empty()) return "<p class=\"muted\">None.</p>";
  std::ostringstream out;
  out << "<table><tr><th>task</th><th>model</th><th>status</th><th>started</th><th>subtasks</th><th>outcome</th></tr>";
  for (const auto& t : tasks) {
    if (!t.is_object()) continue;
    std::string subtasks;
    if (const auto s = t.find("subtasks"); s != t.end() && s->is_object()) {
      subtasks = text(*s, "done") + "/" + text(*s, "total") + " done, " + text(*s, "failed") + " failed";
    }
    std::string outcome;
    if (const auto r = t.find("results"); r != t.end() && r->is_object()) {
      const auto payload = r->value("payload", ayeaye::Json::object());
      outcome = text(*r, "type") == "TaskFailed" ? failure_text(payload) : text(payload, "return_value");
    }
    out << "<tr><td>" << escape_html(text(t, "task_id")) << "</td><td>" << escape_html(text(t, "model_class"))
        << "</td><td>" << escape_html(text(t, "status")) << "</td><td>" << escape_html(text(t, "started")) << "</td><td>"
        << escape_html(subtasks) << "</td><td>" << escape_html(outcome) << "</td></tr>";
  }
  out << "</table>";
  return out.str();
}

void install_routes(net::Router& server, Discovery& discovery, const std::string& worker_group, const NodeCalls& calls) {
  // A file rather than an inline <style>: the Content-Security-Policy allows nothing inline.
  server.get("/static/gateway.css", [](const net::Request&, net::Response& res) {
    res.set_header("Cache-Control", "max-age=3600");
    res.set_content(std::string(net::kBaseStyle) + kStyle, "text/css; charset=utf-8");
  });
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
  server.get(R"(/api/clusters/(.+)/nodes/([^/]+))", [&discovery, &calls](const net::Request& req, net::Response& res) {
    if (!task_at(discovery, req.matches[1], req.matches[2])) {
      return net::send_error(res, 404, std::string(req.matches[2]) + " is not a task of cluster " + std::string(req.matches[1]));
    }
    auto info = fetch_node_info(req.matches[2], calls);
    if (!info) return net::send_error(res, 502, info.error());
    net::send_json(res, 200, *info);
  });

  server.get("/", [&discovery](const net::Request&, net::Response& res) {
    auto clusters = discovery.clusters();
    if (!clusters) return send_page(res, 502, "Clusters", "<p class=\"problem\">" + escape_html(clusters.error()) + "</p>");
    std::ostringstream out;
    out << "<h1>Clusters</h1><table><tr><th>cluster</th><th>status</th></tr>";
    for (const auto& c : *clusters) {
      out << "<tr><td><a href=\"/" << escape_html(net::encode_path_segment(c.arn)) << "/tasks\">" << escape_html(c.name)
          << "</a></td><td>" << escape_html(c.status) << " <span class=\"muted\">" << escape_html(c.detail)
          << "</span></td></tr>";
    }
    out << "</table>";
    send_page(res, 200, "Clusters", out.str());
  });
  server.get(R"(/(.+)/tasks)", [&discovery, worker_group](const net::Request& req, net::Response& res) {
    const std::string cluster = req.matches[1];
    auto tasks = discovery.tasks(cluster);
    if (!tasks) return send_page(res, 404, "Unknown cluster", "<p class=\"problem\">" + escape_html(tasks.error()) + "</p>");
    std::ostringstream out;
    out << "<h1>Tasks of " << escape_html(cluster) << "</h1><table><tr><th>started</th><th>group</th><th>status</th>"
        << "<th>task</th><th>private IPv4</th></tr>";
    for (const auto& t : *tasks) {
      out << "<tr><td>" << escape_html(t.started) << "</td><td>" << escape_html(t.group) << "</td><td>"
          << escape_html(t.status) << "</td><td>" << escape_html(t.task_id) << "</td><td>";
      // Worker tasks link to their node's page; others (the broker) just show their address.
      if (t.group == worker_group && !t.node_address.empty()) {
        out << "<a href=\"/" << escape_html(net::encode_path_segment(cluster)) << "/node_info/"
            << escape_html(t.node_address) << "\">" << escape_html(t.node_address) << "</a>";
      } else {
        out << escape_html(t.private_ipv4);
      }
      out << "</td></tr>";
    }
    out << "</table>";
    send_page(res, 200, "Tasks of " + cluster, out.str());
  });
  server.get(R"(/(.+)/node_info/([^/]+))", [&discovery, &calls](const net::Request& req, net::Response& res) {
    const std::string cluster = req.matches[1];
    const std::string address = req.matches[2];
    if (!task_at(discovery, cluster, address)) {
      return send_page(res, 404, "Not a node of this cluster",
                       "<p class=\"problem\">" + escape_html(address) + " is not a task of cluster " + escape_html(cluster) +
                           "; the gateway contacts only the cluster's own tasks.</p>");
    }
    auto info = fetch_node_info(address, calls);
    if (!info) {
      return send_page(res, 200, "Node " + address, "<h1>Node " + escape_html(address) + "</h1><p class=\"problem\">" +
                                                        escape_html(info.error()) + "</p>");
    }
    const auto& n = (*info)["node_info"];
    std::ostringstream out;
    out << "<h1>Node " << escape_html(text(n, "node_ident")) << "</h1><p>" << escape_html(address) << " &middot; "
        << escape_html(text(n, "available_processing_capacity")) << " of " << escape_html(text(n, "max_concurrent_tasks"))
        << " slots free</p><h2>Running tasks</h2>" << task_rows(info->value("running_tasks", ayeaye::Json::array()))
        << "<h2>Recent tasks</h2>" << task_rows(info->value("recent_completed_tasks", ayeaye::Json::array()));
    send_page(res, 200, "Node " + address, out.str());
  });
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
  options.tls_cert = config.tls_cert;
  options.tls_key = config.tls_key;
  options.limits = config.http;
  return options;
}

// Every answer, refusals included: no framing, no sniffing, no referrer, nothing from elsewhere.
void add_security_headers(net::Router& router) {
  router.add_header_to_all("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
  router.add_header_to_all("X-Frame-Options", "DENY");
  router.add_header_to_all("X-Content-Type-Options", "nosniff");
  router.add_header_to_all("Referrer-Policy", "no-referrer");
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
  const sigset_t stop_signals = block_stop_signals();

  net::Router router;
  add_security_headers(router);
  BasicAuth auth(config.user, config.password);
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
  // Waking workers from zero (issue 16): with ECS discovery the worker service's starter goes
  // here; local discovery has none, and a job with no node is refused.
  WorkerStarter* starter = nullptr;
  jobs_options.starter = starter;
  Jobs jobs(**discovery, jobs_options);
  jobs.install_routes(router);
  install_routes(router, **discovery, config.worker_group, calls);
  router.set_not_found([](const net::Request& req, net::Response& res) { net::send_error(res, 404, "no such path: " + req.path); });

  net::raise_open_file_limit();
  net::HttpServer server(router, http_options(config));
  const auto listening = server.listen(config.bind, config.port);
  if (!listening) {
    std::cerr << "fossa-gateway: " << listening.error() << "\n";
    return listening.error().rfind("cannot use the certificate", 0) == 0 ? 2 : 1;
  }
  server.start();
  std::cerr << "fossa-gateway ready on " << (tls ? "https" : "http") << "://"
            << (config.bind == "0.0.0.0" ? "127.0.0.1" : config.bind) << ":" << listening.value()
            << "/ (user " << config.user << ")" << std::endl;
  int signal = 0;
  sigwait(&stop_signals, &signal);
  server.stop();
  return 0;
}

}  // namespace fossa::gateway
