#include "jobs/job_view.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <map>

#include "jobs/node_fields.h"
#include "text/duration.h"

namespace fossa::gateway {
namespace {

std::vector<std::string> failure_trace(const ayeaye::Json& doc) {
  const auto results = doc.find("results");
  if (results == doc.end() || !results->is_object() || string_at(*results, "type") != "TaskFailed") return {};
  const auto payload = results->find("payload");
  std::vector<std::string> trace;
  if (payload != results->end() && payload->is_object()) {
    if (const auto lines = payload->find("traceback"); lines != payload->end() && lines->is_array()) {
      for (const auto& line : *lines) {
        if (line.is_string()) trace.push_back(line);
      }
    }
    if (trace.empty()) trace.push_back(string_at(*payload, "exception_class_name"));
  }
  if (trace.empty() || trace.back().empty()) trace.push_back("failed (the node gave no trace)");
  return trace;
}

// A number a node gave, or nothing when it gave none (null: not known) or something else.
std::optional<double> known_number(const ayeaye::Json& json, const char* key) {
  if (!json.is_object()) return std::nullopt;
  const auto found = json.find(key);
  if (found == json.end() || !found->is_number()) return std::nullopt;
  return found->get<double>();
}

}  // namespace

std::optional<double> parse_iso_seconds(const std::string& text) {
  std::tm utc{};
  int millis = 0;
  char zone = 0;
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &utc.tm_year, &utc.tm_mon, &utc.tm_mday, &utc.tm_hour, &utc.tm_min,
                  &utc.tm_sec, &consumed) != 6) {
    return std::nullopt;
  }
  std::string rest = text.substr(static_cast<std::size_t>(consumed));
  if (rest.size() == 5 && std::sscanf(rest.c_str(), ".%3d%c", &millis, &zone) == 2 && zone == 'Z') {
  } else if (rest != "Z") {
    return std::nullopt;
  }
  utc.tm_year -= 1900;
  utc.tm_mon -= 1;
  return static_cast<double>(::timegm(&utc)) + millis / 1000.0;
}

JobView make_job_view(const ayeaye::Json& job, const std::vector<ayeaye::Json>& subtasks, const JobCosting& costing,
                      std::chrono::system_clock::time_point now) {
  JobView view;
  view.id = string_at(job, "job_id");
  view.model_class = string_at(job, "model_class");
  view.status = string_at(job, "status");
  view.started = string_at(job, "started");
  view.problem = string_at(job, "problem");
  if (const auto by = string_at(job, "cancelled_by"); !by.empty()) view.cancelled = "by " + by + " at " + string_at(job, "cancelled_at");
  view.node = string_at(job, "node");
  if (view.status == "running" && job.is_object() && job.value("stalled", false) == true) view.status = "stalled";
  view.live = view.status == "running" || view.status == "stalled" || view.status == "waiting for workers";
  if (const auto attempts = job.find("attempts"); attempts != job.end() && attempts->is_array()) {
    for (const auto& attempt : *attempts) {
      if (!attempt.is_object()) continue;
      view.attempts.push_back({string_at(attempt, "node"), string_at(attempt, "started"), string_at(attempt, "ended"),
                               string_at(attempt, "outcome")});
    }
  }
  const double now_s = std::chrono::duration<double>(now.time_since_epoch()).count();
  const auto start = parse_iso_seconds(view.started);
  view.elapsed = job.contains("duration_seconds") ? number_at(job, "duration_seconds")
                 : start                          ? std::max(0.0, now_s - *start)
                                                  : 0;
  if (const auto counts = job.find("subtasks"); counts != job.end() && counts->is_object()) {
    view.total = int_at(*counts, "total");
    view.done = int_at(*counts, "done");
    view.failed = int_at(*counts, "failed");
    view.cancelled_subtasks = int_at(*counts, "cancelled");
    view.running = int_at(*counts, "running");
    view.retried = int_at(*counts, "retried");
  }
  const int ended = view.done;
  if (view.live && view.status != "waiting for workers" && ended > 0 && view.total > ended) {
    view.eta = view.elapsed * (view.total - ended) / ended;  // at the pace so far
  }
  view.trace = failure_trace(job);
  // The job's own totals, over all its subtasks' answered attempts (a node of ours since issue 26).
  bool totals = false;
  if (const auto counts = job.find("subtasks"); counts != job.end() && counts->is_object()) {
    if (const auto run = known_number(*counts, "run_seconds")) {
      totals = true;
      view.subtask_run_seconds = std::max(0.0, *run);
      view.queue_wait_seconds = std::max(0.0, known_number(*counts, "queue_wait_seconds").value_or(0));
      view.untimed_attempts = std::max(0, int_at(*counts, "untimed_attempts"));
      view.untimed_seconds = std::max(0.0, known_number(*counts, "untimed_seconds").value_or(0));
    }
  }

  std::map<std::string, Lane> lanes;
  for (const auto& sub : subtasks) {
    if (!sub.is_object()) continue;
    SubtaskBar bar;
    bar.id = string_at(sub, "task_id");
    bar.status = string_at(sub, "status");
    bar.attempts = std::max(1, int_at(sub, "attempts"));
    const std::string sent = string_at(sub, "sent");
    const auto from = parse_iso_seconds(sent.empty() ? string_at(sub, "started") : sent);
    const double span = std::max(0.0, number_at(sub, "duration_seconds"));
    bar.from = from && start ? std::max(0.0, *from - *start) : 0;
    bar.to = bar.from + span;
    const auto wait = known_number(sub, "queue_wait_seconds");
    const auto run = known_number(sub, "run_seconds");
    if (wait && run) {
      // Within its span, whatever a node says.
      bar.run = std::clamp(*run, 0.0, span);
      bar.queue_wait = std::clamp(*wait, 0.0, span - *bar.run);
    }
    bar.trace = failure_trace(sub);
    if (!totals) {
      if (bar.run) {
        view.subtask_run_seconds += *bar.run;
        view.queue_wait_seconds += *bar.queue_wait;
      } else {
        // Not known, or running still: its span so far counts whole, as before issue 26.
        if (bar.status != "running") ++view.untimed_attempts;
        view.untimed_seconds += span;
      }
    }
    const std::string node = string_at(sub, "node");
    lanes[node].node = node;
    lanes[node].subtasks.push_back(std::move(bar));
    ++view.subtasks_shown;
  }
  for (auto& [name, lane] : lanes) view.lanes.push_back(std::move(lane));
  view.node_seconds = view.elapsed + view.subtask_run_seconds + view.untimed_seconds;

  if (costing.worker) {
    // A slot's share of its worker's price, for as long as the job and its subtasks held slots.
    view.cost = view.node_seconds / 3600 * costing.worker->dollars_per_hour / std::max(1, costing.slots_per_node);
    view.cost_basis = costing.worker->basis + ", " + std::to_string(std::max(1, costing.slots_per_node)) +
                      (costing.slots_per_node == 1 ? " slot" : " slots") + " a worker";
  } else {
    view.cost_basis = costing.no_price;
  }
  return view;
}

ayeaye::Json to_json(const JobView& view) {
  ayeaye::Json lanes = ayeaye::Json::array();
  for (const auto& lane : view.lanes) {
    ayeaye::Json subtasks = ayeaye::Json::array();
    for (const auto& bar : lane.subtasks) {
      const char* unknown = bar.status == "running" ? "not yet" : "not known";
      ayeaye::Json item = {{"task_id", bar.id},
                           {"status", bar.status},
                           {"from_seconds", bar.from},
                           {"run_from_seconds", bar.run_from()},
                           {"to_seconds", bar.to},
                           {"queue_wait_seconds", bar.queue_wait ? ayeaye::Json(*bar.queue_wait) : ayeaye::Json()},
                           {"run_seconds", bar.run ? ayeaye::Json(*bar.run) : ayeaye::Json()},
                           {"queue_wait_text", bar.queue_wait ? text::human_duration(*bar.queue_wait) : unknown},
                           {"run_text", bar.run ? text::human_duration(*bar.run) : unknown},
                           {"attempts", bar.attempts},
                           {"duration_text", text::human_duration(bar.to - bar.from)}};
      if (bar.status == "failed") item["trace"] = bar.trace;
      subtasks.push_back(std::move(item));
    }
    lanes.push_back({{"node", lane.node}, {"subtasks", std::move(subtasks)}});
  }
  ayeaye::Json out = {{"job_id", view.id},
                      {"cluster", view.cluster},
                      {"node", view.node},
                      {"model_class", view.model_class},
                      {"status", view.status},
                      {"started", view.started},
                      {"live", view.live},
                      {"elapsed_seconds", view.elapsed},
                      {"elapsed_text", text::human_duration(view.elapsed)},
                      {"subtasks", {{"total", view.total}, {"done", view.done}, {"failed", view.failed}, {"cancelled", view.cancelled_subtasks},
                                    {"running", view.running}, {"retried", view.retried}, {"shown", view.subtasks_shown}}},
                      {"lanes", std::move(lanes)},
                      {"node_seconds", view.node_seconds},
                      {"node_seconds_text", text::human_duration(view.node_seconds)},
                      {"subtask_run_seconds", view.subtask_run_seconds},
                      {"queue_wait_seconds", view.queue_wait_seconds},
                      {"queue_wait_text", text::human_duration(view.queue_wait_seconds)},
                      {"untimed_attempts", view.untimed_attempts},
                      {"untimed_seconds", view.untimed_seconds},
                      {"cost_basis", view.cost_basis}};
  if (view.eta) {
    out["eta_seconds"] = *view.eta;
    out["eta_text"] = text::human_duration(*view.eta);
  }
  if (view.cost) {
    out["estimated_cost_dollars"] = *view.cost;
    out["estimated_cost_text"] = dollars(*view.cost);
  }
  if (!view.problem.empty()) out["problem"] = view.problem;
  if (!view.cancelled.empty()) out["cancelled"] = view.cancelled;
  if (!view.trace.empty()) out["trace"] = view.trace;
  if (!view.logs_url.empty()) out["logs_url"] = view.logs_url;
  if (!view.attempts.empty()) {
    ayeaye::Json attempts = ayeaye::Json::array();
    for (const auto& attempt : view.attempts) {
      attempts.push_back({{"node", attempt.node}, {"started", attempt.started}, {"ended", attempt.ended}, {"outcome", attempt.outcome}});
    }
    out["attempts"] = std::move(attempts);
  }
  return out;
}

}  // namespace fossa::gateway
