#include "jobs/job_page.h"

#include <algorithm>
#include <cstdio>
#include <future>
#include <sstream>

#include "net/task_id.h"
#include "jobs/job_cancel.h"
#include "jobs/logs_insights_link.h"
#include "jobs/node_fields.h"
#include "net/http.h"
#include "text/duration.h"
#include "text/subtask_counts.h"

namespace fossa::gateway {
namespace {

using net::escape_html;

// Subtask documents read for a job's timeline, in index order; a larger job says how many more.
constexpr int kSubtasksShown = 300;

std::string fixed(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", value);
  return text;
}

std::string status_badge(const std::string& status) {
  return "<span class=\"status " + escape_html(status) + "\">" + escape_html(status) + "</span>";
}

std::string job_link(const std::string& cluster, const std::string& id) {
  return "<a href=\"/" + escape_html(net::encode_path_segment(cluster)) + "/jobs/" + escape_html(id) + "\">" + escape_html(id) +
         "</a>";
}

bool wants_json(const net::Request& req) { return req.get_header_value("Accept").find("application/json") != std::string::npos; }

std::string plural(int n, const char* one, const char* many) { return std::to_string(n) + " " + (n == 1 ? one : many); }

// The subtasks' documents of the job whose document (on `node`) is `job`, first kSubtasksShown.
std::vector<ayeaye::Json> subtask_documents(const ayeaye::Json& job, const std::string& node, const NodeCalls& calls) {
  const auto counts = job.find("subtasks");
  const std::string id = string_at(job, "task_id");
  if (node.empty() || counts == job.end() || !counts->is_object() || !net::valid_task_id(id)) return {};
  return get_subtask_documents(node, id, std::min(kSubtasksShown, int_at(*counts, "total")), calls);
}

// The price of the worker the job runs on, and how many slots share it.
JobCosting costing_of(const std::string& cluster, const std::string& node, const PagesContext& context) {
  JobCosting costing;
  const auto task = task_at(context.discovery, cluster, node);
  costing.worker = worker_price(task.value_or(ClusterTask{}), context.costs, &costing.no_price);
  if (auto info = fetch_node_info(node, context.calls)) {
    costing.slots_per_node = std::max(1, int_at((*info)["node_info"], "max_concurrent_tasks"));
  }
  return costing;
}

// A lane is a node's; subtasks no node has answered share one, named for whether they may still be.
std::string lane_name(const Lane& lane) {
  if (!lane.node.empty()) return lane.node;
  const bool waiting = std::any_of(lane.subtasks.begin(), lane.subtasks.end(), [](const SubtaskBar& bar) { return bar.status == "running"; });
  return waiting ? "not answered yet" : "no node answered";
}

std::string timeline(const JobView& view) {
  double span = std::max(view.elapsed, 0.001);
  for (const auto& lane : view.lanes) {
    for (const auto& bar : lane.subtasks) span = std::max(span, bar.to);
  }
  std::ostringstream out;
  for (const auto& lane : view.lanes) {
    out << "<div class=\"lane\"><div class=\"lane-name\">" << escape_html(lane_name(lane))
        << " <span class=\"muted\">" << plural(static_cast<int>(lane.subtasks.size()), "subtask", "subtasks")
        << "</span></div><svg class=\"bars\" viewBox=\"0 0 1000 20\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"subtasks on "
        << escape_html(lane.node) << "\">";
    for (const auto& bar : lane.subtasks) {
      std::string title = bar.id + ": " + bar.status + ", sent at " + text::human_duration(bar.from) + ", ";
      if (bar.run) {
        title += "waited " + text::human_duration(*bar.queue_wait) + ", ran " + text::human_duration(*bar.run);
      } else if (bar.status == "running") {
        title += "not answered yet";
      } else {
        title += "answered at " + text::human_duration(bar.to) + " (queue wait and run not known)";
      }
      title += ", " + plural(bar.attempts, "attempt", "attempts");
      // The queue wait, lighter, then the run from its start to the answer (drawn whole when not known).
      if (bar.queue_wait && *bar.queue_wait > 0) {
        out << "<rect class=\"wait\" x=\"" << fixed(bar.from / span * 1000) << "\" y=\"2\" width=\""
            << fixed(*bar.queue_wait / span * 1000) << "\" height=\"16\"><title>" << escape_html(title) << "</title></rect>";
      }
      const double x = bar.run_from() / span * 1000;
      const double width = std::max(2.0, (bar.to - bar.run_from()) / span * 1000);
      out << "<rect class=\"" << escape_html(bar.status) << "\" x=\"" << fixed(x) << "\" y=\"2\" width=\"" << fixed(width)
          << "\" height=\"16\"><title>" << escape_html(title) << "</title></rect>";
    }
    out << "</svg></div>";
  }
  return out.str();
}

// What node time is made of: the job's own run and its subtasks' runs; their queue wait apart,
// not counted; and what was not split, when some node did not say when it ran its subtasks.
std::string node_time_parts(const JobView& view) {
  std::ostringstream out;
  out << "<p class=\"muted\">Node time is the job's own " << text::human_duration(view.elapsed) << " and its subtasks' runs, "
      << text::human_duration(view.subtask_run_seconds) << "; their " << text::human_duration(view.queue_wait_seconds)
      << " of queue wait (sent, not yet running) is not counted.";
  if (view.untimed_attempts > 0) {
    out << " " << plural(view.untimed_attempts, "subtask attempt was", "subtask attempts were")
        << " answered by nodes that do not say when they ran (queue wait and run not known): their "
        << text::human_duration(view.untimed_seconds) << " from sending to answer count whole.";
  } else if (view.untimed_seconds > 0) {
    out << " Subtasks not answered yet count " << text::human_duration(view.untimed_seconds) << " so far.";
  }
  out << "</p>";
  return out.str();
}

std::string subtask_table(const JobView& view) {
  std::ostringstream out;
  out << "<details><summary>" << plural(view.subtasks_shown, "subtask", "subtasks") << " by node</summary><table><tr><th>subtask</th>"
      << "<th>node</th><th>status</th><th>sent</th><th>queue wait</th><th>run</th><th>end</th><th>attempts</th></tr>";
  for (const auto& lane : view.lanes) {
    for (const auto& bar : lane.subtasks) {
      const bool running = bar.status == "running";
      const std::string not_known = running ? "" : "not known";
      out << "<tr><td>" << escape_html(bar.id) << "</td><td>" << escape_html(lane.node) << "</td><td>" << status_badge(bar.status)
          << "</td><td>" << text::human_duration(bar.from) << "</td><td>"
          << (bar.queue_wait ? text::human_duration(*bar.queue_wait) : not_known) << "</td><td>"
          << (bar.run ? text::human_duration(*bar.run) : not_known) << "</td><td>"
          << (running ? std::string("running") : text::human_duration(bar.to)) << "</td><td>" << bar.attempts
          << (bar.attempts > 1 ? " (" + plural(bar.attempts - 1, "retry", "retries") + ")" : std::string()) << "</td></tr>";
    }
  }
  out << "</table></details>";
  return out.str();
}

// The job's runs, when a lost node made it run again: where, when, and how each ended.
std::string attempt_table(const JobView& view) {
  std::ostringstream out;
  out << "<h2>Attempts</h2><table><tr><th>attempt</th><th>node</th><th>started</th><th>ended</th><th>outcome</th></tr>";
  int n = 0;
  for (const auto& attempt : view.attempts) {
    out << "<tr><td>" << ++n << "</td><td>" << escape_html(attempt.node) << "</td><td>" << escape_html(attempt.started)
        << "</td><td>" << escape_html(attempt.ended) << "</td><td>" << escape_html(attempt.outcome) << "</td></tr>";
  }
  out << "</table>";
  return out.str();
}

std::string trace_details(const std::string& what, const std::vector<std::string>& trace) {
  std::ostringstream out;
  out << "<details class=\"failure\"><summary>" << escape_html(what) << ": " << escape_html(trace.back()) << "</summary><pre>";
  for (const auto& line : trace) out << escape_html(line) << "\n";
  out << "</pre></details>";
  return out.str();
}

}  // namespace

std::string job_logs_url(const JobView& view, const ayeaye::Json& document, const LogsInsightsSettings& settings) {
  // From a minute before it started to five after it ended (or now): a node writes its last lines
  // about a job just after the job's end.
  const auto started = parse_iso_seconds(view.started);
  if (!settings.enabled() || !started) return "";
  LogsInsightsQuery query;
  query.job_ids.push_back(view.id);
  if (const auto attempts = document.find("attempts"); attempts != document.end() && attempts->is_array()) {
    for (const auto& attempt : *attempts) {
      const std::string id = string_at(attempt, "task_id");
      if (!id.empty() && std::find(query.job_ids.begin(), query.job_ids.end(), id) == query.job_ids.end()) {
        query.job_ids.push_back(id);
      }
    }
  }
  query.from = *started - 60;
  query.to = *started + view.elapsed + 300;
  return logs_insights_url(settings, query);
}

std::string render_job(const JobView& view) {
  std::ostringstream out;
  out << "<p class=\"state\">" << status_badge(view.status) << " " << escape_html(view.model_class);
  if (!view.node.empty()) out << " on " << escape_html(view.node);
  out << " &middot; " << (view.live ? "running for " : "took ") << text::human_duration(view.elapsed);
  if (view.eta) out << " &middot; about " << text::human_duration(*view.eta) << " left";
  out << "</p>" << cancel_button(view);
  if (!view.cancelled.empty()) out << "<p class=\"cancelled\">Cancel asked " << escape_html(view.cancelled) << "</p>";
  if (!view.problem.empty()) out << "<p class=\"problem\">" << escape_html(view.problem) << "</p>";
  if (view.total > 0) {
    out << "<p>" << view.done << " of " << view.total << " subtasks ended (" << view.failed << " failed";
    if (view.cancelled_subtasks > 0) out << ", " << view.cancelled_subtasks << " cancelled";
    out << "), " << view.running << " running, " << view.retried << " retried</p><progress max=\"" << view.total
        << "\" value=\"" << view.done << "\"></progress>";
  }
  out << "<p class=\"cost\">";
  if (view.cost) {
    out << "Estimated cost: " << escape_html(dollars(*view.cost)) << " for " << text::human_duration(view.node_seconds)
        << " of node time <span class=\"muted\">(" << escape_html(view.cost_basis)
        << "; an estimate from Fargate's list price, not a bill)</span>";
  } else {
    out << "Node time: " << text::human_duration(view.node_seconds) << " <span class=\"muted\">(no cost estimate: "
        << escape_html(view.cost_basis) << ")</span>";
  }
  out << "</p>";
  if (!view.logs_url.empty()) {
    out << "<p><a href=\"" << escape_html(view.logs_url) << "\" target=\"_blank\" rel=\"noopener\">Log lines in CloudWatch</a>"
        << " <span class=\"muted\">(the job's lines from every worker, a Logs Insights query by its id)</span></p>";
  }
  if (view.total > 0) out << node_time_parts(view);
  if (!view.trace.empty()) out << trace_details(view.status == "cancelled" ? "The job was cancelled" : "The job failed", view.trace);
  if (view.attempts.size() > 1) out << attempt_table(view);
  if (!view.lanes.empty()) {
    out << "<h2>Timeline</h2>" << timeline(view);
    if (view.subtasks_shown < view.total) {
      out << "<p class=\"muted\">The first " << view.subtasks_shown << " of " << view.total << " subtasks are shown.</p>";
    }
    out << subtask_table(view);
    std::ostringstream failures;
    for (const auto& lane : view.lanes) {
      for (const auto& bar : lane.subtasks) {
        if (bar.status == "failed") failures << trace_details(bar.id + (lane.node.empty() ? "" : " on " + lane.node), bar.trace);
      }
    }
    if (!failures.str().empty()) out << "<h2>Failures</h2>" << failures.str();
  }
  return out.str();
}

std::string render_jobs(const std::string& cluster, const ayeaye::Json& jobs) {
  std::ostringstream out;
  const auto list = jobs.value("jobs", ayeaye::Json::array());
  if (list.empty()) out << "<p class=\"muted\">No jobs yet.</p>";
  if (!list.empty()) {
    out << "<table><tr><th>job</th><th>model</th><th>status</th><th>node</th><th>started</th><th>took</th><th>subtasks</th></tr>";
  }
  for (const auto& job : list) {
    const std::string status = string_at(job, "status");
    std::string subtasks;
    if (const auto s = job.find("subtasks"); s != job.end() && s->is_object()) {
      subtasks = text::subtask_counts(*s);
    }
    const auto took = job.find("duration_seconds");
    out << "<tr><td>" << job_link(cluster, string_at(job, "job_id")) << "</td><td>" << escape_html(string_at(job, "model_class"))
        << "</td><td>" << status_badge(status) << "</td><td>" << escape_html(string_at(job, "node")) << "</td><td>"
        << escape_html(string_at(job, "started")) << "</td><td>"
        << (took != job.end() && took->is_number() ? text::human_duration(took->get<double>()) : std::string()) << "</td><td>"
        << escape_html(subtasks) << "</td></tr>";
  }
  if (!list.empty()) out << "</table>";
  for (const auto& node : jobs.value("unreachable", ayeaye::Json::array())) {
    out << "<p class=\"problem\">" << escape_html(string_at(node, "error")) << "</p>";
  }
  return out.str();
}

void install_job_pages(net::Router& server, Jobs& jobs, const PagesContext& context) {
  // Both pages call nodes: on the gateway's pool for node calls.
  server.get(R"(/(.+)/jobs)", [&jobs](const net::Request& req, net::Response& res) {
    const std::string cluster = req.matches[1];
    auto list = jobs.list(cluster);
    if (!list) {
      if (wants_json(req)) return net::send_error(res, 404, list.error());
      return send_page(res, 404, "Unknown cluster", "<p class=\"problem\">" + escape_html(list.error()) + "</p>");
    }
    bool live = false;
    for (const auto& job : (*list)["jobs"]) {
      const std::string status = string_at(job, "status");
      live = live || status == "running" || status == "stalled" || status == "waiting for workers";
    }
    if (wants_json(req)) {
      (*list)["live"] = live;
      return net::send_json(res, 200, *list);
    }
    const std::string html = render_jobs(cluster, *list);
    send_page(res, 200, "Jobs of " + cluster,
              "<h1>Jobs of " + escape_html(cluster) + "</h1><p class=\"muted\" id=\"conn\" hidden>lost touch with the gateway; trying again</p>"
              "<div id=\"live\" data-live=\"" + (live ? "true" : "false") + "\">" + html + "</div>");
  }, net::Lane::kCallsOut);
  server.get(R"(/(.+)/jobs/([^/]+))", [&jobs, &context](const net::Request& req, net::Response& res) {
    const std::string cluster = req.matches[1];
    const std::string id = req.matches[2];
    auto found = jobs.find(cluster, id, 0);
    if (found.status != 200) {
      if (wants_json(req)) return net::send_error(res, found.status, found.message);
      return send_page(res, found.status, "Job " + id, "<h1>Job " + escape_html(id) + "</h1><p class=\"problem\">" +
                                                           escape_html(found.message) + "</p>");
    }
    const auto subtasks = found.recorded_subtasks ? *found.recorded_subtasks : subtask_documents(found.document, found.node, context.calls);
    JobCosting costing;
    if (!found.node.empty()) {
      costing = costing_of(cluster, found.node, context);
    } else {
      costing.no_price = "it has not reached a worker yet";
    }
    auto view = make_job_view(found.document, subtasks, costing, std::chrono::system_clock::now());
    view.cluster = cluster;
    view.logs_url = job_logs_url(view, found.document, context.logs);
    if (wants_json(req)) return net::send_json(res, 200, to_json(view));
    const std::string html = render_job(view);
    send_page(res, 200, "Job " + id,
              "<h1>Job " + escape_html(id) + "</h1><p><a href=\"/" + escape_html(net::encode_path_segment(cluster)) +
                  "/jobs\">all jobs of " + escape_html(cluster) + "</a></p><p class=\"muted\" id=\"conn\" hidden>lost touch with "
                  "the gateway; trying again</p><div id=\"live\" data-live=\"" + (view.live ? "true" : "false") + "\">" + html + "</div>");
  }, net::Lane::kCallsOut);
}

}  // namespace fossa::gateway
