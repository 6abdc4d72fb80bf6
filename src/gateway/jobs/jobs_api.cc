#include "jobs/jobs_api.h"

#include <algorithm>

#include "ayeaye/json_input.h"
#include "jobs/node_fields.h"
#include "net/http.h"
#include "node/task_record.h"

namespace fossa::gateway {
namespace {

// Long polls (?wait=) held at once: each holds one of the gateway's threads for node calls; beyond this
// many, a GET answers at once, as without ?wait.
constexpr int kMaxLongPolls = 4;
constexpr double kMaxWaitSeconds = 20;
// Jobs whose node the gateway knows (it placed them, or a node lists them): the newest this many.
constexpr std::size_t kRememberedJobs = 10000;
// Jobs listed, newest first.
constexpr std::size_t kListedJobs = 200;
constexpr const char* kRetryAfterSeconds = "10";

std::string jobs_path(const std::string& cluster) { return "/api/clusters/" + net::encode_path_segment(cluster) + "/jobs"; }

ayeaye::Json links(const std::string& cluster, const std::string& id) {
  return {{"self", jobs_path(cluster) + "/" + id}, {"page", "/" + net::encode_path_segment(cluster) + "/jobs/" + id}};
}

std::string iso(HeldJob::Clock::time_point t) { return node::iso_time(t); }

// A held job that has not reached a node, as GET shows it.
ayeaye::Json held_document(const HeldJob& job, const std::string& id, std::chrono::seconds deadline) {
  ayeaye::Json doc = {{"job_id", id},
                      {"status", to_string(job.state)},
                      {"model_class", job.model_class},
                      {"started", iso(job.held_at)},
                      {"held_since", iso(job.held_at)},
                      {"deadline_seconds", deadline.count()}};
  if (!job.problem.empty()) doc["problem"] = job.problem;
  return doc;
}

// One line of the jobs list from a node's summary of a task (its node_info), field by field and
// by type: a field of the wrong type is left out, as if the node had not given it.
ayeaye::Json job_summary(const ayeaye::Json& task, const std::string& id, const std::string& node) {
  ayeaye::Json summary = {{"job_id", id}, {"node", node}};
  for (const char* key : {"model_class", "status", "started", "finished"}) {
    if (auto text = string_at(task, key); !text.empty()) summary[key] = std::move(text);
  }
  if (const auto took = task.find("duration_seconds"); took != task.end() && took->is_number()) summary["duration_seconds"] = *took;
  if (const auto counts = task.find("subtasks"); counts != task.end() && counts->is_object()) {
    ayeaye::Json subtasks = ayeaye::Json::object();
    for (const char* key : {"total", "done", "failed", "running", "retried", "cancelled", "log_lines_dropped"}) {
      if (const auto n = counts->find(key); n != counts->end() && n->is_number_unsigned()) subtasks[key] = *n;
    }
    summary["subtasks"] = std::move(subtasks);
  }
  return summary;
}

// 503 with Retry-After: nothing can take the job now.
void busy(net::Response& res, const std::string& message) {
  res.set_header("Retry-After", kRetryAfterSeconds);
  net::send_error(res, 503, message);
}

}  // namespace

Jobs::Jobs(Discovery& discovery, JobsOptions options)
    : discovery_(discovery),
      options_(std::move(options)),
      nodes_(discovery, options_.worker_group, options_.calls),
      held_(options_.max_held_jobs, options_.hold_deadline) {
  loop_ = std::thread([this] { loop(); });
}

Jobs::~Jobs() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  saved_.notify_all();
  if (loop_.joinable()) loop_.join();
}

void Jobs::remember_placed(const std::string& id, const std::string& node) {
  std::lock_guard lock(mutex_);
  if (known_.insert_or_assign(id, Whereabouts{node, true, false}).second) remember_order(id);
}

void Jobs::remember_listed(const std::string& id, const std::string& node) {
  std::lock_guard lock(mutex_);
  const auto [found, added] = known_.try_emplace(id, Whereabouts{node, false, false});
  if (added) {
    remember_order(id);
  } else if (!found->second.placed && found->second.node != node) {
    found->second.disputed = true;
  }
}

void Jobs::remember_order(const std::string& id) {
  order_.push_back(id);
  while (order_.size() > kRememberedJobs) {
    known_.erase(order_.front());
    order_.pop_front();
  }
}

std::optional<Jobs::Whereabouts> Jobs::whereabouts(const std::string& id) const {
  std::lock_guard lock(mutex_);
  const auto found = known_.find(id);
  if (found == known_.end()) return std::nullopt;
  return found->second;
}

std::vector<ayeaye::Json> Jobs::read_listings(const std::vector<std::string>& addresses, ayeaye::Json& unreachable) {
  const auto infos = nodes_.node_infos(addresses);
  std::vector<ayeaye::Json> jobs;
  for (std::size_t i = 0; i < infos.size(); ++i) {
    const std::string& address = addresses[i];
    if (!infos[i]) {
      unreachable.push_back({{"node", address}, {"error", infos[i].error()}});
      continue;
    }
    for (const char* key : {"running_tasks", "recent_completed_tasks"}) {
      const auto tasks = infos[i]->find(key);
      if (tasks == infos[i]->end() || !tasks->is_array()) continue;
      for (const auto& task : *tasks) {
        const std::string id = string_at(task, "task_id");
        if (!net::valid_task_id(id)) continue;  // not an id: it cannot be linked or looked up
        remember_listed(id, address);
        const auto where = whereabouts(id);
        if (where && where->placed && where->node != address) continue;  // a job the gateway placed elsewhere
        jobs.push_back(job_summary(task, id, address));
      }
    }
  }
  return jobs;
}

void Jobs::submit(const std::string& cluster, const net::Request& req, net::Response& res) {
  auto body = ayeaye::parse_json(req.body);
  if (!body) return net::send_error(res, 400, "the request body is not JSON: " + body.error());
  if (!body->is_object()) {
    return net::send_error(res, 400, std::string("the request body must be a JSON object (a task), got ") + body->type_name());
  }
  const auto model = body->find("model_class");
  const std::string model_class = model != body->end() && model->is_string() ? model->get<std::string>() : "";
  const auto placement = place_job(nodes_, cluster, req.body);
  switch (placement.outcome) {
    case Placement::Outcome::kNoCluster:
      return net::send_error(res, 404, placement.message);
    case Placement::Outcome::kRefused:
      return net::send_error(res, static_cast<int>(placement.status), placement.message);
    case Placement::Outcome::kAccepted: {
      remember_placed(placement.task_id, placement.node);
      const double now = now_seconds();
      auto record = new_record(placement.task_id, cluster, model_class, req.body, now);
      begin_attempt(record, placement.node, placement.task_id, now);
      save(record);
      res.set_header("Location", jobs_path(cluster) + "/" + placement.task_id);
      return net::send_json(res, 201, {{"job_id", placement.task_id}, {"node", placement.node}, {"links", links(cluster, placement.task_id)}});
    }
    case Placement::Outcome::kNoFreeSlot:
      return busy(res, placement.message);
    case Placement::Outcome::kNoNode:
      break;
  }
  if (options_.starter == nullptr) return busy(res, placement.message);
  if (const auto refused = options_.starter->start_workers(cluster)) {
    return busy(res, placement.message + ", and asking for workers failed: " + *refused);
  }
  const auto id = held_.hold(cluster, req.body, model_class, HeldJob::Clock::now());
  if (!id) {
    return busy(res, placement.message + "; workers were asked for, but " + std::to_string(held_.max_waiting()) +
                         " jobs already wait for them (--max-held-jobs): try again once they run");
  }
  auto record = new_record(*id, cluster, model_class, req.body, now_seconds());
  record.status = "waiting for workers";
  save(record);
  wake_.notify_all();
  res.set_header("Location", jobs_path(cluster) + "/" + *id);
  net::send_json(res, 202, {{"job_id", *id}, {"status", "starting workers"}, {"links", links(cluster, *id)}});
}

NodeAnswer Jobs::ask(const std::string& address, const std::string& node_id, double wait_seconds) {
  const bool may_wait = wait_seconds > 0 && long_polls_.fetch_add(1) < kMaxLongPolls;
  struct Release {
    std::atomic<int>& count;
    bool held;
    ~Release() {
      if (held) --count;
    }
  } release{long_polls_, wait_seconds > 0};
  return get_task(address, node_id, may_wait ? wait_seconds : 0, options_.calls);
}

FoundJob Jobs::find(const std::string& cluster, const std::string& id, double wait_seconds) {
  if (!net::valid_task_id(id)) return {400, nullptr, std::string("a job id is ") + net::kTaskIdRule + "; got " + net::quoted_id(id), ""};
  auto addresses = nodes_.worker_addresses(cluster);
  const auto dot = id.find('.');
  const std::string top = id.substr(0, dot);
  const std::string suffix = dot == std::string::npos ? "" : id.substr(dot);
  std::string node_id = id;
  std::optional<Whereabouts> where;
  if (const auto held = held_.find(top)) {
    if (held->cluster != cluster) return {404, nullptr, "no job " + id + " in cluster " + cluster, ""};
    if (held->state == HeldJob::State::kWaiting || held->state == HeldJob::State::kFailed) {
      if (!suffix.empty()) return {404, nullptr, "job " + top + " has not started: it has no subtasks yet", ""};
      return {200, held_document(*held, id, held_.deadline()), "", ""};
    }
    if (held->state == HeldJob::State::kForwarded) {
      where = Whereabouts{held->node, true, false};
      node_id = held->task_id + suffix;
    }  // cancelled: its record says by whom and when
  }
  if (!where) {
    auto record = options_.store->get(top);
    if (!record) return {500, nullptr, "the gateway could not read its job records: " + record.error(), ""};
    if (*record) {
      if ((*record)->cluster != cluster) return {404, nullptr, "no job " + id + " in cluster " + cluster, ""};
      return find_recorded(**record, suffix, wait_seconds, addresses ? *addresses : std::vector<std::string>{});
    }
  }
  if (!addresses) return {404, nullptr, addresses.error(), ""};
  if (!where) where = whereabouts(top);
  std::string problems;
  if (!where) {
    // Not placed by this gateway, or forgotten: the nodes' own lists say where it is, if anywhere.
    ayeaye::Json unreachable = ayeaye::Json::array();
    read_listings(*addresses, unreachable);
    for (const auto& node : unreachable) problems += "; " + node["error"].get<std::string>();
    where = whereabouts(top);
  }
  if (!where) {
    return {problems.empty() ? 404 : 502, nullptr,
            "no job " + id + " in cluster " + cluster + ": the gateway has no record of it, and none of its " +
                std::to_string(addresses->size()) + " worker nodes lists it as running or recent" + problems,
            ""};
  }
  if (where->disputed) {
    return {502, nullptr, "more than one worker node of cluster " + cluster + " lists job " + top +
                              " as its own, and the gateway did not place it: it believes neither", ""};
  }
  const std::string& address = where->node;
  if (std::find(addresses->begin(), addresses->end(), address) == addresses->end()) {
    return {404, nullptr, "job " + top + " was on the node at " + address + ", which is no longer a worker node of cluster " + cluster, ""};
  }
  auto answer = ask(address, node_id, wait_seconds);
  if (!answer.answered()) return {502, nullptr, answer.error, ""};
  if (answer.status == 404) return {404, nullptr, "the node at " + address + " has no job " + id, ""};
  if (answer.status != 200 || !answer.body.is_object()) {
    return {502, nullptr, "the node at " + address + " answered HTTP " + std::to_string(answer.status) + " for job " + id, ""};
  }
  ayeaye::Json doc = std::move(answer.body);
  doc["job_id"] = id;
  // A subtask's document names the node that ran it as "node"; where it lives is then node_address.
  doc[doc.contains("node") ? "node_address" : "node"] = address;
  return {200, std::move(doc), "", address};
}

FoundJob Jobs::find_recorded(const JobRecord& stored, const std::string& suffix, double wait_seconds,
                             const std::vector<std::string>& addresses) {
  const JobRecord* current = &stored;
  std::optional<JobRecord> later;
  // No node to ask and a running job: the long poll waits for the loop's next word of it instead.
  const JobAttempt* running = stored.current();
  if (suffix.empty() && !stored.finished() &&
      (running == nullptr || running->ended || std::find(addresses.begin(), addresses.end(), running->node) == addresses.end())) {
    wait_for_a_save(wait_seconds);
    if (auto again = options_.store->get(stored.id); again && *again) later = std::move(**again);
    if (later) current = &*later;
    wait_seconds = 0;
  }
  const JobRecord& record = *current;
  const std::string id = record.id + suffix;
  const JobAttempt* attempt = record.current();
  std::string why_recorded;
  if (!record.finished() && attempt != nullptr && !attempt->ended) {
    if (std::find(addresses.begin(), addresses.end(), attempt->node) != addresses.end()) {
      auto answer = ask(attempt->node, attempt->task_id + suffix, wait_seconds);
      if (answer.answered() && answer.status == 200 && answer.body.is_object()) {
        ayeaye::Json doc = std::move(answer.body);
        if (suffix.empty()) {
          // The node's live document, with what only the record knows.
          JobRecord live = record;
          live.document = doc;
          live.status = string_at(doc, "status").empty() ? record.status : string_at(doc, "status");
          if (live.status != "running") live.stalled = false;
          doc = recorded_document(live);
          if (!live.problem.empty() && live.status != "running") doc.erase("problem");
          return {200, std::move(doc), "", attempt->node};
        }
        doc["job_id"] = id;
        doc[doc.contains("node") ? "node_address" : "node"] = attempt->node;
        return {200, std::move(doc), "", attempt->node};
      }
      why_recorded = answer.answered() ? "HTTP " + std::to_string(answer.status) : answer.error;
    } else {
      why_recorded = "it is no longer a worker node of cluster " + record.cluster;
    }
  }
  if (suffix.empty()) {
    ayeaye::Json doc = recorded_document(record);
    if (!why_recorded.empty() && record.problem.empty()) {
      doc["problem"] = "its node at " + attempt->node + " did not answer (" + why_recorded + "): shown as last recorded";
    }
    // The node that ran it prices it, though it may be gone (its subtasks are the record's).
    return {200, std::move(doc), "", attempt != nullptr ? attempt->node : "", record.subtasks};
  }
  const std::string node_id = (attempt != nullptr ? attempt->task_id : record.id) + suffix;
  for (const auto& sub : record.subtasks) {
    if (string_at(sub, "task_id") != node_id) continue;
    ayeaye::Json doc = sub;
    doc["job_id"] = id;
    return {200, std::move(doc), "", ""};
  }
  return {404, nullptr,
          "job " + record.id + " has no subtask " + id + " on record" +
              (record.finished() ? " (its record keeps the first " + std::to_string(kRecordedSubtasks) + " subtasks)"
                                 : ", and its node did not answer" + (why_recorded.empty() ? std::string() : ": " + why_recorded)),
          ""};
}

ayeaye::Result<ayeaye::Json> Jobs::list(const std::string& cluster) {
  using R = ayeaye::Result<ayeaye::Json>;
  auto addresses = nodes_.worker_addresses(cluster);
  auto recorded = options_.store->newest(cluster, kListedJobs);
  if (!recorded) return R::fail("the gateway could not read its job records: " + recorded.error());
  if (!addresses && recorded->empty()) return R::fail(addresses.error());
  ayeaye::Json unreachable = ayeaye::Json::array();
  std::map<std::string, ayeaye::Json> listed;  // the nodes' own lines, by the nodes' ids
  if (addresses) {
    for (auto& line : read_listings(*addresses, unreachable)) {
      const std::string id = string_at(line, "job_id");  // before the move: Json's assignment takes its value first
      listed[id] = std::move(line);
    }
  }
  std::vector<ayeaye::Json> jobs;
  for (auto& summary : *recorded) {
    const auto task_ids = summary.find("attempt_task_ids");
    if (task_ids != summary.end() && task_ids->is_array()) {
      for (const auto& task_id : *task_ids) {
        if (!task_id.is_string()) continue;
        const auto line = listed.find(task_id.get<std::string>());
        if (line == listed.end()) continue;
        // A running job's line is the node's, fresher than the record's (which the loop keeps every few seconds).
        const bool current = task_id == task_ids->back() && string_at(line->second, "node") == string_at(summary, "node");
        if (current && string_at(summary, "finished").empty()) {
          for (const char* key : {"subtasks", "duration_seconds", "finished"}) {
            if (line->second.contains(key)) summary[key] = line->second[key];
          }
          const std::string status = string_at(line->second, "status");
          if (!status.empty() && !(status == "running" && string_at(summary, "status") == "stalled")) summary["status"] = status;
        }
        listed.erase(line);
      }
    }
    summary.erase("attempt_task_ids");
    jobs.push_back(std::move(summary));
  }
  // Jobs given straight to a node: found in the nodes' own lists while the nodes live.
  for (auto& [id, line] : listed) {
    if (!std::any_of(jobs.begin(), jobs.end(), [&](const ayeaye::Json& job) { return string_at(job, "job_id") == id; })) {
      jobs.push_back(std::move(line));
    }
  }
  std::stable_sort(jobs.begin(), jobs.end(), [](const ayeaye::Json& a, const ayeaye::Json& b) {
    return string_at(a, "started") > string_at(b, "started");
  });
  if (jobs.size() > kListedJobs) jobs.resize(kListedJobs);
  return ayeaye::Json{{"jobs", jobs}, {"unreachable", unreachable}};
}

void Jobs::wait_for_a_save(double wait_seconds) {
  if (wait_seconds <= 0) return;
  if (long_polls_.fetch_add(1) >= kMaxLongPolls) {
    --long_polls_;
    return;
  }
  {
    std::unique_lock lock(mutex_);
    const std::uint64_t seen = saves_;
    saved_.wait_for(lock, std::chrono::duration<double>(wait_seconds), [&] { return saves_ != seen || stopping_; });
  }
  --long_polls_;
}

void Jobs::install_routes(net::Router& router) {
  // Every route calls nodes: on the gateway's pool for node calls.
  constexpr auto kLane = net::Lane::kCallsOut;
  router.post(
      R"(/api/clusters/(.+)/jobs)", [this](const net::Request& req, net::Response& res) { submit(req.matches[1], req, res); },
      net::Body::kJson, kLane);
  router.get(
      R"(/api/clusters/(.+)/jobs)",
      [this](const net::Request& req, net::Response& res) {
        auto jobs = list(req.matches[1]);
        if (!jobs) return net::send_error(res, 404, jobs.error());
        net::send_json(res, 200, *jobs);
      },
      kLane);
  router.get(R"(/api/clusters/(.+)/jobs/([^/]+))", [this](const net::Request& req, net::Response& res) {
    double wait = 0;
    if (req.has_param("wait")) {
      const std::string text = req.get_param_value("wait");
      char* end = nullptr;
      wait = std::strtod(text.c_str(), &end);
      if (text.empty() || end != text.c_str() + text.size() || !(wait > 0) || wait > kMaxWaitSeconds) {
        return net::send_error(res, 400, "wait must be a number of seconds above 0 and at most 20, got '" + text + "'");
      }
    }
    auto found = find(req.matches[1], req.matches[2], wait);
    if (found.status != 200) return net::send_error(res, found.status, found.message);
    net::send_json(res, 200, found.document);
  }, kLane);
}

}  // namespace fossa::gateway
