// Jobs::cancel and the cancel routes (job_cancel.h).
#include "jobs/job_cancel.h"

#include <algorithm>

#include "basic_auth.h"
#include "gateway_pages.h"
#include "jobs/job_follow.h"
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

ayeaye::Json links(const std::string& cluster, const std::string& id) {
  return {{"self", "/api/clusters/" + net::encode_path_segment(cluster) + "/jobs/" + id}, {"page", page_path(cluster, id)}};
}

// A pool id as a node makes them (amqp::new_pool_id): 5 lowercase letters. Anything else in a
// record's document is not passed on to a node.
bool looks_like_pool_id(const std::string& pool) {
  return pool.size() == 5 && std::all_of(pool.begin(), pool.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

CancelOutcome ended(const std::string& id, const std::string& status) {
  return {409, nullptr, "job " + id + " has ended (" + status + "): there is nothing to cancel"};
}

CancelOutcome subtask(const std::string& id, const std::string& parent) {
  return {409, nullptr, "job " + id + " is a subtask: it is cancelled with its job, " + parent};
}

// What the gateway did when it ended the record itself: the record's problem and the answer's note.
std::string reach_words(const std::string& why, const std::string& silent_node, const std::string& pool,
                        const std::string& passed_on_by) {
  std::string words = "cancelled here, as " + why + ": it is not run again";
  if (!passed_on_by.empty()) {
    words += "; its subtasks were stopped on every node through the node at " + passed_on_by;
  } else if (!pool.empty()) {
    words += "; no other node could pass the cancel of its subtasks on: those running finish, and their answers are dropped";
  }
  if (!silent_node.empty()) {
    words += "; its node at " + silent_node + " may still run it: it is asked to cancel it until it answers, and nothing it sends is kept";
  }
  return words;
}

}  // namespace

std::string who_asks(const net::Request& req) {
  const std::string credentials = decode_basic_credentials(req.get_header_value("Authorization"));
  const std::string user = credentials.substr(0, credentials.find(':'));
  return (user.empty() ? std::string("someone") : user) + " from " + (req.remote_addr.empty() ? "an unknown address" : req.remote_addr);
}

CancelOutcome Jobs::cancel(const std::string& cluster, const std::string& id, const std::string& who) {
  if (!net::valid_task_id(id)) return {400, nullptr, std::string("a job id is ") + net::kTaskIdRule + "; got " + net::quoted_id(id)};
  const auto dot = id.find('.');
  const std::string top = id.substr(0, dot);
  const std::string suffix = dot == std::string::npos ? "" : id.substr(dot);
  if (const auto held = held_.find(top)) {
    if (held->cluster != cluster) return {404, nullptr, "no job " + id + " in cluster " + cluster};
    if (!suffix.empty()) return subtask(id, top);
    if (held_.cancel(top)) {
      const double now = now_seconds();
      std::lock_guard following(following_);
      auto record = options_.store->get(top);
      if (record && *record && !(*record)->finished()) {
        cancel_record(**record, who, "cancelled before it reached a worker node", now);
        save(**record);
      }
      say("job " + top + " cancelled by " + who + " while it waited for workers: it is not placed");
      return {202,
              {{"job_id", top}, {"status", "cancelled"}, {"cancelled_by", who}, {"links", links(cluster, top)}},
              ""};
    }
  }
  auto record = options_.store->get(top);
  if (!record) return {500, nullptr, "the gateway could not read its job records: " + record.error()};
  if (*record) {
    if ((*record)->cluster != cluster) return {404, nullptr, "no job " + id + " in cluster " + cluster};
    return cancel_recorded(cluster, top, suffix, who);
  }
  return cancel_listed(cluster, id);
}

CancelOutcome Jobs::cancel_recorded(const std::string& cluster, const std::string& top, const std::string& suffix,
                                    const std::string& who) {
  std::lock_guard following(following_);
  auto read = options_.store->get(top);  // again, now that the loop leaves it alone
  if (!read || !*read) return {500, nullptr, "the gateway could not read the record of job " + top + (read ? "" : ": " + read.error())};
  JobRecord record = std::move(**read);
  const std::string id = top + suffix;
  if (record.finished()) return ended(id, record.status);
  if (!suffix.empty()) return subtask(id, top);
  const double now = now_seconds();
  if (record.current() == nullptr) {
    // Forwarded by the loop, which has not recorded the attempt yet: the held job says where.
    if (const auto held = held_.find(top); held && held->state == HeldJob::State::kForwarded) {
      begin_attempt(record, held->node, held->task_id, now);
    } else if (held && held->state == HeldJob::State::kFailed) {
      return ended(id, "failed");  // the loop records it so on its next round
    }
  }
  const JobAttempt* attempt = record.current();
  if (attempt == nullptr) {
    cancel_record(record, who, "cancelled before it reached a worker node", now);
    save(record);
    say("job " + top + " cancelled by " + who + " before it reached a worker node");
    return {202, {{"job_id", top}, {"status", "cancelled"}, {"cancelled_by", who}, {"links", links(cluster, top)}}, ""};
  }
  const std::string node = attempt->node;
  const std::string task_id = attempt->task_id;
  auto addresses = nodes_.worker_addresses(cluster);
  const std::vector<std::string> live = addresses ? *addresses : std::vector<std::string>{};
  std::string why;
  std::string silent;  // the node that may still run it
  if (attempt->ended) {
    why = "it was waiting to run again (" + attempt->outcome + ")";
  } else if (std::find(live.begin(), live.end(), node) == live.end()) {
    why = "its node at " + node + " is no longer a worker node of cluster " + cluster;
  } else {
    const auto answer = cancel_task(node, task_id, options_.calls);
    if (answer.answered() && answer.status == 202) {
      // The node stops it; the loop records the end as the node says it.
      record.cancelled_by = who;
      record.cancelled_at = now;
      save(record);
      say("job " + top + ": cancel asked by " + who + " of its node at " + node);
      return {202,
              {{"job_id", top}, {"node", node}, {"status", "cancelling"}, {"cancelled_by", who}, {"links", links(cluster, top)}},
              ""};
    }
    if (answer.answered() && answer.status == 409) {
      const std::string said = node_error_message(answer.body);
      return {409, nullptr, "the node at " + node + " did not cancel job " + top + ": " + (said.empty() ? "HTTP 409" : said)};
    }
    if (answer.answered() && answer.status == 404) {
      why = "its node at " + node + " no longer knows it";
    } else {
      why = "its node at " + node + " did not answer (" + (answer.answered() ? "HTTP " + std::to_string(answer.status) : answer.error) + ")";
      silent = node;
    }
  }
  const std::string pool = string_at(record.document, "pool_id");
  const std::string passed_on_by = looks_like_pool_id(pool) ? cancel_subtasks_elsewhere(live, node, task_id, pool) : "";
  const std::string words = reach_words(why, silent, looks_like_pool_id(pool) ? pool : "", passed_on_by);
  cancel_record(record, who, words, now);
  save(record);
  if (!silent.empty()) {
    std::lock_guard lock(mutex_);
    owed_cancels_.push_back({cluster, silent, task_id});
  }
  say("job " + top + " cancelled by " + who + ": " + words);
  ayeaye::Json doc = {{"job_id", top}, {"node", node},           {"status", "cancelled"},
                      {"cancelled_by", who}, {"problem", words}, {"links", links(cluster, top)}};
  return {202, std::move(doc), ""};
}

std::string Jobs::cancel_subtasks_elsewhere(const std::vector<std::string>& addresses, const std::string& silent,
                                            const std::string& task_id, const std::string& pool_id) {
  for (const auto& address : addresses) {
    if (address == silent) continue;
    const auto answer = cancel_task_elsewhere(address, task_id, pool_id, options_.calls);
    if (answer.answered() && answer.status == 202) return address;
  }
  return "";
}

void Jobs::settle_owed_cancels() {
  std::vector<OwedCancel> owed;
  {
    std::lock_guard lock(mutex_);
    owed.swap(owed_cancels_);
  }
  std::vector<OwedCancel> still;
  std::map<std::string, std::vector<std::string>> addresses;  // by cluster, asked once a round
  for (auto& cancel : owed) {
    if (!addresses.count(cancel.cluster)) {
      auto found = nodes_.worker_addresses(cancel.cluster);
      addresses[cancel.cluster] = found ? *found : std::vector<std::string>{};
    }
    const auto& live = addresses[cancel.cluster];
    if (std::find(live.begin(), live.end(), cancel.node) == live.end()) {
      say("task " + cancel.task_id + ": its node at " + cancel.node + " left the cluster before it could be asked to cancel it");
      continue;
    }
    const auto answer = cancel_task(cancel.node, cancel.task_id, options_.calls);
    if (!answer.answered()) {
      still.push_back(std::move(cancel));
      continue;
    }
    say("task " + cancel.task_id + ": its node at " + cancel.node + " answered the cancel owed to it: HTTP " + std::to_string(answer.status));
  }
  std::lock_guard lock(mutex_);
  owed_cancels_.insert(owed_cancels_.end(), std::make_move_iterator(still.begin()), std::make_move_iterator(still.end()));
}

CancelOutcome Jobs::cancel_listed(const std::string& cluster, const std::string& id) {
  auto found = find(cluster, id, 0);
  if (found.status != 200) return {found.status, nullptr, found.message};
  const std::string status = string_at(found.document, "status");
  if (found.document.contains("parent_task_id")) return subtask(id, string_at(found.document, "parent_task_id"));
  if (!is_running(status)) return ended(id, status);
  const std::string task_id = string_at(found.document, "task_id");
  if (!net::valid_task_id(task_id)) return {502, nullptr, "the node at " + found.node + " gave job " + id + " no task id"};
  const auto answer = cancel_task(found.node, task_id, options_.calls);
  if (!answer.answered()) return {502, nullptr, answer.error};
  if (answer.status == 404 || answer.status == 409) {
    const std::string why = node_error_message(answer.body);
    return {static_cast<int>(answer.status), nullptr,
            "the node at " + found.node + " did not cancel job " + id + ": " + (why.empty() ? "HTTP " + std::to_string(answer.status) : why)};
  }
  if (answer.status != 202) {
    return {502, nullptr, "the node at " + found.node + " answered HTTP " + std::to_string(answer.status) + " to cancel job " + id};
  }
  return {202, {{"job_id", id}, {"node", found.node}, {"status", "cancelling"}, {"links", links(cluster, id)}}, ""};
}

std::string cancel_button(const JobView& view) {
  const bool held = view.status == "waiting for workers";
  if (!net::valid_task_id(view.id) || !(held || (is_running(view.status) && !view.node.empty()))) return "";
  return "<form class=\"cancel\" method=\"post\" action=\"" + net::escape_html(page_path(view.cluster, view.id)) +
         "/cancel\"><button type=\"submit\">Cancel job</button></form>";
}

void install_job_cancel(net::Router& router, Jobs& jobs) {
  // Both may call nodes: on the gateway's pool for node calls. Neither reads a body.
  router.del(R"(/api/clusters/(.+)/jobs/([^/]+))", [&jobs](const net::Request& req, net::Response& res) {
    auto outcome = jobs.cancel(req.matches[1], req.matches[2], who_asks(req));
    if (outcome.status != 202) return net::send_error(res, outcome.status, outcome.message);
    net::send_json(res, 202, outcome.document);
  }, net::Lane::kCallsOut);
  router.post(R"(/(.+)/jobs/([^/]+)/cancel)", [&jobs](const net::Request& req, net::Response& res) {
    const std::string cluster = req.matches[1];
    const std::string id = req.matches[2];
    auto outcome = jobs.cancel(cluster, id, who_asks(req));
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
