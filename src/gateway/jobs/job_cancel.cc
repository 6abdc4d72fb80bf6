#include "jobs/job_cancel.h"

#include "gateway_pages.h"
#include "jobs/node_fields.h"
#include "net/http.h"
#include "net/task_id.h"

namespace fossa::gateway {
namespace {

// Running, or running and told stalled (the job records' word for no progress of late).
bool is_running(const std::string& status) { return status == "running" || status == "stalled"; }

std::string page_path(const std::string& cluster, const std::string& id) {
  return "/" + net::encode_path_segment(cluster) + "/jobs/" + id;
}

}  // namespace

CancelOutcome cancel_job(Jobs& jobs, const std::string& cluster, const std::string& id, const NodeCalls& calls) {
  auto found = jobs.find(cluster, id, 0);
  if (found.status != 200) return {found.status, nullptr, found.message};
  const std::string status = string_at(found.document, "status");
  const bool runs = is_running(status);
  if (found.node.empty()) {
    if (status == "waiting for workers") {
      return {409, nullptr, "job " + id + " is waiting for workers: it can be cancelled once it has reached a worker node"};
    }
    if (runs) {
      return {409, nullptr, "job " + id + " is not on a node that answers now (" + string_at(found.document, "problem") +
                                "): it can be cancelled once it is"};
    }
    return {409, nullptr, "job " + id + " has ended (" + status + "): there is nothing to cancel"};
  }
  if (found.document.contains("parent_task_id")) {
    return {409, nullptr, "job " + id + " is a subtask: it is cancelled with its job, " + string_at(found.document, "parent_task_id")};
  }
  if (!runs) return {409, nullptr, "job " + id + " has ended (" + status + "): there is nothing to cancel"};
  const std::string task_id = string_at(found.document, "task_id");
  if (!net::valid_task_id(task_id)) return {502, nullptr, "the node at " + found.node + " gave job " + id + " no task id"};
  const auto answer = cancel_task(found.node, task_id, calls);
  if (!answer.answered()) return {502, nullptr, answer.error};
  if (answer.status == 404 || answer.status == 409) {
    const std::string why = node_error_message(answer.body);
    return {static_cast<int>(answer.status), nullptr,
            "the node at " + found.node + " did not cancel job " + id + ": " + (why.empty() ? "HTTP " + std::to_string(answer.status) : why)};
  }
  if (answer.status != 202) {
    return {502, nullptr, "the node at " + found.node + " answered HTTP " + std::to_string(answer.status) + " to cancel job " + id};
  }
  return {202,
          {{"job_id", id},
           {"node", found.node},
           {"status", "cancelling"},
           {"links", {{"self", "/api/clusters/" + net::encode_path_segment(cluster) + "/jobs/" + id}, {"page", page_path(cluster, id)}}}},
          ""};
}

std::string cancel_button(const JobView& view) {
  if (!is_running(view.status) || view.node.empty() || !net::valid_task_id(view.id)) return "";
  return "<form class=\"cancel\" method=\"post\" action=\"" + net::escape_html(page_path(view.cluster, view.id)) +
         "/cancel\"><button type=\"submit\">Cancel job</button></form>";
}

void install_job_cancel(net::Router& router, Jobs& jobs, const NodeCalls& calls) {
  // Both call a node: on the gateway's pool for node calls. Neither reads a body.
  router.del(R"(/api/clusters/(.+)/jobs/([^/]+))", [&jobs, calls](const net::Request& req, net::Response& res) {
    auto outcome = cancel_job(jobs, req.matches[1], req.matches[2], calls);
    if (outcome.status != 202) return net::send_error(res, outcome.status, outcome.message);
    net::send_json(res, 202, outcome.document);
  }, net::Lane::kCallsOut);
  router.post(R"(/(.+)/jobs/([^/]+)/cancel)", [&jobs, calls](const net::Request& req, net::Response& res) {
    const std::string cluster = req.matches[1];
    const std::string id = req.matches[2];
    auto outcome = cancel_job(jobs, cluster, id, calls);
    if (outcome.status == 202) {
      res.status = 303;
      res.set_header("Location", page_path(cluster, id));
      return;
    }
    send_page(res, outcome.status, "Job " + id,
              "<h1>Job " + net::escape_html(id) + "</h1><p class=\"problem\">" + net::escape_html(outcome.message) +
                  "</p><p><a href=\"" + net::escape_html(page_path(cluster, id)) + "\">back to the job</a></p>");
  }, net::Body::kNone, net::Lane::kCallsOut);
}

}  // namespace fossa::gateway
