#include "node/pages.h"

#include <sstream>

#include "node/task_record.h"
#include "text/duration.h"

namespace fossa::node {
namespace {

// After net::kBaseStyle.
constexpr const char* kStyle = R"css(
pre { background: #fff; border: 1px solid #e3e6ea; padding: .6rem; overflow-x: auto; white-space: pre-wrap; }
.status { font-weight: 600; padding: .05rem .45rem; border-radius: .3rem; }
.running { background: #dcecff; color: #0b4f9c; } .complete { background: #dcf5e3; color: #17662f; }
.failed { background: #fde2e1; color: #9b1c1c; }
.conn { background: #fde2e1; padding: .4rem 1.5rem; }
progress { width: 10rem; vertical-align: middle; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; background: #fff; padding: .6rem; }
dt { font-weight: 600; } dd { margin: 0; font-family: ui-monospace, monospace; word-break: break-all; }
)css";


std::string status_badge(TaskStatus status) {
  const char* name = to_string(status);
  return std::string("<span class=\"status ") + name + "\">" + name + "</span>";
}

std::string task_link(const std::string& id) {
  return "<a href=\"task/" + net::escape_html(id) + "\">" + net::escape_html(id) + "</a>";
}

std::string seconds(double value) { return text::human_duration(value); }

std::string progress_cell(const TaskRecord& r) {
  if (!r.subtasks) return r.status == TaskStatus::kRunning ? "<span class=\"muted\">running</span>" : "";
  const auto& c = *r.subtasks;
  std::ostringstream out;
  out << "<progress max=\"" << std::max<std::size_t>(c.total, 1) << "\" value=\"" << c.done << "\"></progress> " << c.done
      << "/" << c.total << " subtasks";
  if (c.running > 0) out << ", " << c.running << " running";
  if (c.failed > 0) out << ", <strong>" << c.failed << " failed</strong>";
  if (c.retried > 0) out << ", " << c.retried << " retried";
  if (c.cancelled > 0) out << ", " << c.cancelled << " cancelled";
  return out.str();
}

std::string failure_summary(const TaskRecord& r) {
  if (!r.result) return "";
  const auto* failed = std::get_if<ayeaye::TaskFailed>(&*r.result);
  if (failed == nullptr) return "";
  return net::escape_html(failed->exception_class_name + ": " + failed->message());
}

// Links in pages are relative to <base>: the node's root, or the prefix a proxy serves it under.
std::string page(const net::Request& req, const std::string& title, const NodeConfig& config, bool live,
                 const std::string& body) {
  std::ostringstream out;
  out << "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
      << "<base href=\"" << net::escape_html(net::forwarded_prefix(req)) << "/\">"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      << "<title>" << net::escape_html(title) << "</title><link rel=\"stylesheet\" href=\"static/fossa.css\"></head><body>"
      << "<header><a href=\"./\">Fossa node</a><span>" << net::escape_html(config.node_ident) << "</span></header>"
      << "<div id=\"conn\" class=\"conn\" hidden>The node is not answering; retrying.</div>"
      << "<main id=\"live\" data-live=\"" << (live ? "true" : "false") << "\">" << body << "</main>"
      << "<script src=\"static/fossa.js\"></script></body></html>";
  return out.str();
}

std::string node_page(const Governor::Snapshot& s, const NodeConfig& config) {
  const auto now = TaskRecord::Clock::now();
  std::ostringstream out;
  out << "<h1>Node " << net::escape_html(config.node_ident) << "</h1><p>" << s.available << " of " << s.capacity
      << " slots free" << (s.admitting ? "" : " &middot; <strong>shutting down: not accepting tasks</strong>")
      << " &middot; " << s.running_subtasks.size() << " subtasks running &middot; version " << FOSSA_VERSION << "</p>";
  out << "<h2>Running tasks (" << s.running.size() << ")</h2>";
  if (s.running.empty()) {
    out << "<p class=\"muted\">None.</p>";
  } else {
    out << "<table><tr><th>task</th><th>model</th><th>method</th><th>started</th><th>for</th><th>progress</th></tr>";
    for (const auto& r : s.running) {
      out << "<tr><td>" << task_link(r.spec.task_id) << "</td><td>" << net::escape_html(r.spec.model_class) << "</td><td>"
          << net::escape_html(r.spec.method) << "</td><td>" << iso_time(r.started) << "</td><td>"
          << seconds(r.duration_seconds(now)) << "</td><td>" << progress_cell(r) << "</td></tr>";
    }
    out << "</table>";
  }
  out << "<h2>Recent tasks (" << s.recent.size() << ")</h2>";
  if (s.recent.empty()) {
    out << "<p class=\"muted\">None yet.</p>";
  } else {
    out << "<table><tr><th>task</th><th>model</th><th>status</th><th>finished</th><th>took</th><th>outcome</th></tr>";
    for (const auto& r : s.recent) {
      out << "<tr><td>" << task_link(r.spec.task_id) << "</td><td>" << net::escape_html(r.spec.model_class) << "</td><td>"
          << status_badge(r.status) << "</td><td>" << (r.finished ? iso_time(*r.finished) : "") << "</td><td>"
          << seconds(r.duration_seconds(now)) << "</td><td>" << (r.subtasks ? progress_cell(r) + " " : "")
          << failure_summary(r) << "</td></tr>";
    }
    out << "</table>";
  }
  return out.str();
}

std::string json_block(const ayeaye::Json& json) { return "<pre>" + net::escape_html(net::dump_json(json, 2)) + "</pre>"; }

std::string task_page(const TaskRecord& r, const Governor& governor) {
  const auto now = TaskRecord::Clock::now();
  std::ostringstream out;
  out << "<h1>Task " << net::escape_html(r.spec.task_id) << " " << status_badge(r.status) << "</h1>";
  out << "<dl><dt>model</dt><dd>" << net::escape_html(r.spec.model_class) << "</dd><dt>method</dt><dd>"
      << net::escape_html(r.spec.method) << "</dd><dt>method kwargs</dt><dd>" << net::escape_html(net::dump_json(r.spec.method_kwargs))
      << "</dd><dt>resolver context</dt><dd>" << net::escape_html(net::dump_json(r.spec.resolver_context.display_json()))
      << "</dd><dt>construction kwargs</dt><dd>" << net::escape_html(net::dump_json(r.spec.model_construction_kwargs))
      << "</dd><dt>started</dt><dd>" << iso_time(r.started) << "</dd>";
  if (r.finished) out << "<dt>finished</dt><dd>" << iso_time(*r.finished) << "</dd>";
  out << "<dt>" << (r.finished ? "took" : "running for") << "</dt><dd>" << seconds(r.duration_seconds(now)) << "</dd>";
  if (r.status == TaskStatus::kRunning && r.pid > 0) out << "<dt>process</dt><dd>" << r.pid << "</dd>";
  if (r.parent_task_id) {
    out << "<dt>parent task</dt><dd>" << task_link(*r.parent_task_id) << "</dd><dt>attempts</dt><dd>" << r.attempts
        << "</dd>";
  }
  out << "</dl>";

  if (r.subtasks) {
    out << "<h2>Subtasks</h2><p>" << progress_cell(r) << "</p>";
    constexpr std::size_t kListed = 200;
    out << "<table><tr><th>subtask</th><th>method</th><th>kwargs</th><th>node</th><th>status</th><th>outcome</th></tr>";
    for (std::size_t i = 0; i < r.subtask_ids.size() && i < kListed; ++i) {
      auto sub = governor.find(r.subtask_ids[i]);
      if (!sub) continue;
      out << "<tr><td>" << task_link(sub->spec.task_id) << "</td><td>" << net::escape_html(sub->spec.method) << "</td><td>"
          << net::escape_html(net::dump_json(sub->spec.method_kwargs)) << "</td><td>"
          << (sub->node.empty() ? "<span class=\"muted\">&ndash;</span>" : net::escape_html(sub->node)) << "</td><td>"
          << status_badge(sub->status)
          << "</td><td>" << failure_summary(*sub) << "</td></tr>";
    }
    out << "</table>";
    if (r.subtask_ids.size() > kListed) out << "<p class=\"muted\">and " << r.subtask_ids.size() - kListed << " more</p>";
  }

  if (r.result) {
    if (const auto* complete = std::get_if<ayeaye::TaskComplete>(&*r.result)) {
      out << "<h2>Result</h2>" << json_block(complete->return_value);
    } else if (const auto* failed = std::get_if<ayeaye::TaskFailed>(&*r.result)) {
      out << "<h2>Failure</h2><p><strong>" << net::escape_html(failed->exception_class_name) << "</strong>: "
          << net::escape_html(failed->message()) << "</p>";
      if (failed->failure_origin_task_id) {
        out << "<p>Failed because subtask " << task_link(*failed->failure_origin_task_id) << " failed.</p>";
      }
      out << "<h2>Trace</h2><pre>";
      for (const auto& line : failed->traceback) out << net::escape_html(line) << "\n";
      out << "</pre>";
    }
  }
  out << "<h2>Log</h2>";
  if (r.log_tail.empty()) {
    out << "<p class=\"muted\">No log lines.</p>";
  } else {
    out << "<pre>";
    for (const auto& line : r.log_tail) out << net::escape_html(line) << "\n";
    out << "</pre>";
  }
  return out.str();
}

}  // namespace

void install_pages(net::Router& server, Governor& governor, const NodeConfig& config) {
  server.get("/", [&governor, &config](const net::Request& req, net::Response& res) {
    const auto snapshot = governor.snapshot();
    res.set_content(page(req, "Fossa node " + config.node_ident, config, true, node_page(snapshot, config)),
                    "text/html; charset=utf-8");
  });
  server.get(R"(/task/([^/]+))", [&governor, &config](const net::Request& req, net::Response& res) {
    auto record = governor.find(req.matches[1]);
    if (!record) {
      res.status = 404;
      res.set_content(page(req, "Unknown task", config, false,
                           "<h1>Unknown task</h1><p>This node has no task " + net::escape_html(req.matches[1]) +
                               " (it may have left the history of recent tasks).</p>"),
                      "text/html; charset=utf-8");
      return;
    }
    const bool live = record->status == TaskStatus::kRunning;
    res.set_content(page(req, "Task " + record->spec.task_id, config, live, task_page(*record, governor)),
                    "text/html; charset=utf-8");
  });
  server.get("/static/fossa.css", [](const net::Request&, net::Response& res) {
    res.set_header("Cache-Control", "max-age=3600");
    res.set_content(std::string(net::kBaseStyle) + kStyle, "text/css; charset=utf-8");
  });
  server.get("/static/fossa.js", [](const net::Request&, net::Response& res) {
    res.set_header("Cache-Control", "max-age=3600");
    res.set_content(net::kLiveScript, "text/javascript; charset=utf-8");
  });
}

}  // namespace fossa::node
