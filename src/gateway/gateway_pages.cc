// The gateway's pages of clusters, their tasks and nodes (the job pages are job_page.cc): HTML, every
// value escaped, styled by /static/gateway.css since the Content-Security-Policy allows nothing inline.
#include "gateway_pages.h"

#include <sstream>

#include "cost/fargate_prices.h"
#include "net/http.h"
#include "text/subtask_counts.h"

namespace fossa::gateway {

using net::escape_html;

namespace {

// After net::kBaseStyle: problems, the front page's figures, a job's progress, timeline and cost.
constexpr const char* kStyle = R"css(
.problem { background: #fde2e1; padding: .6rem; }
.status { padding: 0 .4rem; border-radius: .3rem; background: #e3e6ea; }
.status.complete { background: #d7f0dc; } .status.failed { background: #fde2e1; } .status.running { background: #dde9fb; } .status.stalled { background: #fdf0c8; } .status.cancelled { background: #e8e8e8; } form.cancel { margin: .5rem 0; }
progress { width: 100%; height: 1rem; }
.cost { background: #fff8e1; padding: .5rem .6rem; }
.lane { display: flex; gap: .8rem; align-items: center; margin: .2rem 0; }
.lane-name { width: 12rem; flex: none; }
.bars { flex: 1; height: 1.4rem; background: #fff; border: 1px solid #e3e6ea; }
.bars rect { fill: #7aa7e6; } .bars rect.complete { fill: #5fb37a; } .bars rect.failed { fill: #d9534f; } .bars rect.cancelled { fill: #b5b5b5; }
.bars rect.wait { fill: #dde3ea; }
pre { white-space: pre-wrap; background: #fff; padding: .5rem; }
)css";

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
      subtasks = text::subtask_counts(*s);
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

// The cluster's running workers and what they cost per hour, estimated: two cells.
std::string workers_cells(const PagesContext& context, const std::string& cluster) {
  auto tasks = context.discovery.tasks(cluster);
  if (!tasks) return "<td colspan=\"2\" class=\"muted\">" + escape_html(tasks.error()) + "</td>";
  int running = 0;
  double per_hour = 0;
  std::string basis;
  std::string no_price;
  for (const auto& task : *tasks) {
    if (task.group != context.worker_group || task.status != "RUNNING") continue;
    ++running;
    if (const auto price = worker_price(task, context.costs, &no_price)) {
      per_hour += price->dollars_per_hour;
      basis = price->basis;
    }
  }
  std::string cost = running == 0 ? "$0" : !no_price.empty() ? "no estimate: " + no_price : dollars(per_hour) + " (" + basis + ")";
  return "<td>" + std::to_string(running) + "</td><td>" + escape_html(cost) + "</td>";
}

}  // namespace

std::string page(const std::string& title, const std::string& body) {
  return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape_html(title) +
         "</title><link rel=\"stylesheet\" href=\"/static/gateway.css\"></head><body><header><a href=\"/\">Fossa gateway</a></header><main>" +
         body + "</main><script src=\"/static/gateway.js\"></script></body></html>";
}

void send_page(net::Response& res, int status, const std::string& title, const std::string& body) {
  res.status = status;
  res.set_content(page(title, body), "text/html; charset=utf-8");
}

std::optional<ClusterTask> task_at(Discovery& discovery, const std::string& cluster, const std::string& address) {
  auto tasks = discovery.tasks(cluster);
  if (!tasks) return std::nullopt;
  for (auto& task : *tasks) {
    if (task.node_address == address) return task;
  }
  return std::nullopt;
}

void install_pages(net::Router& server, const PagesContext& context) {
  Discovery& discovery = context.discovery;
  const NodeCalls& calls = context.calls;
  const std::string worker_group = context.worker_group;
  // A file rather than an inline <style>: the Content-Security-Policy allows nothing inline.
  server.get("/static/gateway.css", [](const net::Request&, net::Response& res) {
    res.set_header("Cache-Control", "max-age=3600");
    res.set_content(std::string(net::kBaseStyle) + kStyle, "text/css; charset=utf-8");
  });
  server.get("/static/gateway.js", [](const net::Request&, net::Response& res) {
    res.set_header("Cache-Control", "max-age=3600");
    res.set_content(net::kLiveScript, "text/javascript; charset=utf-8");
  });
  server.get("/", [&context](const net::Request&, net::Response& res) {
    auto clusters = context.discovery.clusters();
    if (!clusters) return send_page(res, 502, "Clusters", "<p class=\"problem\">" + escape_html(clusters.error()) + "</p>");
    std::ostringstream out;
    out << "<h1>Clusters</h1><table><tr><th>cluster</th><th>status</th><th>workers running</th><th>cost per hour</th>"
        << "<th>jobs</th></tr>";
    for (const auto& c : *clusters) {
      const std::string path = "/" + net::encode_path_segment(c.arn);
      out << "<tr><td><a href=\"" << escape_html(path) << "/tasks\">" << escape_html(c.name) << "</a></td><td>"
          << escape_html(c.status) << " <span class=\"muted\">" << escape_html(c.detail) << "</span></td>"
          << workers_cells(context, c.arn) << "<td><a href=\"" << escape_html(path) << "/jobs\">jobs</a></td></tr>";
    }
    out << "</table><p class=\"muted\">Costs are estimates from Fargate's on-demand list price (" << kFargatePriceSource
        << ", " << kFargatePriceDate << "), not a bill.</p>";
    send_page(res, 200, "Clusters", out.str());
  });
  server.get(R"(/(.+)/tasks)", [&discovery, worker_group](const net::Request& req, net::Response& res) {
    const std::string cluster = req.matches[1];
    auto tasks = discovery.tasks(cluster);
    if (!tasks) return send_page(res, 404, "Unknown cluster", "<p class=\"problem\">" + escape_html(tasks.error()) + "</p>");
    std::ostringstream out;
    out << "<h1>Tasks of " << escape_html(cluster) << "</h1><p><a href=\"/" << escape_html(net::encode_path_segment(cluster))
        << "/jobs\">Jobs of " << escape_html(cluster) << "</a></p><table><tr><th>started</th><th>group</th><th>status</th>"
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
  }, net::Lane::kCallsOut);
}

}  // namespace fossa::gateway
