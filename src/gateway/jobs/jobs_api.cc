#include "jobs/jobs_api.h"

#include <algorithm>
#include <future>
#include <regex>

#include "ayeaye/json_input.h"
#include "net/http.h"
#include "node/task_record.h"

namespace fossa::gateway {
namespace {

// node_info calls at once, when a cluster has many nodes.
constexpr std::size_t kParallelNodeCalls = 16;
// Long polls (?wait=) held at once: each holds one of the gateway's threads for node calls; beyond this
// many, a GET answers at once, as without ?wait.
constexpr int kMaxLongPolls = 4;
constexpr double kMaxWaitSeconds = 20;
// Ids remembered with their node, so GET asks that node first.
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

// One line of the jobs list from a task document of a node.
ayeaye::Json job_summary(const ayeaye::Json& task, const std::string& node) {
  ayeaye::Json summary = {{"job_id", task.value("task_id", "")}, {"node", node}};
  for (const char* key : {"model_class", "status", "started", "finished", "duration_seconds", "subtasks"}) {
    if (const auto found = task.find(key); found != task.end() && !found->is_null()) summary[key] = *found;
  }
  return summary;
}

// 503 with Retry-After: nothing can take the job now.
void busy(net::Response& res, const std::string& message) {
  res.set_header("Retry-After", kRetryAfterSeconds);
  net::send_error(res, 503, message);
}

}  // namespace

bool valid_job_id(const std::string& id) {
  static const std::regex pattern("^[A-Za-z0-9._-]{1,128}$");
  return std::regex_match(id, pattern);
}

ayeaye::Result<std::vector<std::string>> DiscoveredNodes::worker_addresses(const std::string& cluster) {
  using R = ayeaye::Result<std::vector<std::string>>;
  auto tasks = discovery_.tasks(cluster);
  if (!tasks) return R::fail(tasks.error());
  std::vector<std::string> addresses;
  for (const auto& task : *tasks) {
    if (task.group == worker_group_ && !task.node_address.empty()) addresses.push_back(task.node_address);
  }
  return addresses;
}

std::vector<ayeaye::Result<ayeaye::Json>> DiscoveredNodes::node_infos(const std::vector<std::string>& addresses) {
  std::vector<ayeaye::Result<ayeaye::Json>> out;
  for (std::size_t from = 0; from < addresses.size(); from += kParallelNodeCalls) {
    std::vector<std::future<ayeaye::Result<ayeaye::Json>>> calls;
    for (std::size_t i = from; i < std::min(addresses.size(), from + kParallelNodeCalls); ++i) {
      calls.push_back(std::async(std::launch::async, [this, address = addresses[i]] { return fetch_node_info(address, calls_); }));
    }
    for (auto& call : calls) out.push_back(call.get());
  }
  return out;
}

ayeaye::Result<std::vector<NodeCapacity>> DiscoveredNodes::capacities(const std::string& cluster) {
  using R = ayeaye::Result<std::vector<NodeCapacity>>;
  auto addresses = worker_addresses(cluster);
  if (!addresses) return R::fail(addresses.error());
  const auto infos = node_infos(*addresses);
  std::vector<NodeCapacity> out;
  for (std::size_t i = 0; i < infos.size(); ++i) {
    if (!infos[i]) continue;
    const auto& info = (*infos[i])["node_info"];
    if (!info.is_object()) continue;
    const auto free = info.find("available_processing_capacity");
    const auto accepting = info.find("accepting_tasks");
    out.push_back({(*addresses)[i], free != info.end() && free->is_number_integer() ? free->get<int>() : 0,
                   accepting == info.end() || !accepting->is_boolean() || accepting->get<bool>()});
  }
  return out;
}

NodeAnswer DiscoveredNodes::post_task(const std::string& address, const std::string& body) {
  return gateway::post_task(address, body, calls_);
}

Jobs::Jobs(Discovery& discovery, JobsOptions options)
    : discovery_(discovery),
      options_(std::move(options)),
      nodes_(discovery, options_.worker_group, options_.calls),
      held_(options_.max_held_jobs, options_.hold_deadline) {
  if (options_.starter != nullptr) loop_ = std::thread([this] { loop(); });
}

Jobs::~Jobs() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (loop_.joinable()) loop_.join();
}

void Jobs::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    // A timer, not a synchronisation: held jobs are tried again every few seconds.
    wake_.wait_for(lock, options_.forward_every, [this] { return stopping_; });
    if (stopping_) break;
    lock.unlock();
    if (held_.any_waiting()) held_.forward_waiting(nodes_, options_.starter, HeldJob::Clock::now());
    lock.lock();
  }
}

void Jobs::remember(const std::string& id, const std::string& node) {
  std::lock_guard lock(mutex_);
  if (known_.insert_or_assign(id, node).second) order_.push_back(id);
  while (order_.size() > kRememberedJobs) {
    known_.erase(order_.front());
    order_.pop_front();
  }
}

std::string Jobs::remembered(const std::string& id) const {
  std::lock_guard lock(mutex_);
  const auto found = known_.find(id);
  return found == known_.end() ? "" : found->second;
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
      remember(placement.task_id, placement.node);
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
  wake_.notify_all();
  res.set_header("Location", jobs_path(cluster) + "/" + *id);
  net::send_json(res, 202, {{"job_id", *id}, {"status", "starting workers"}, {"links", links(cluster, *id)}});
}

FoundJob Jobs::find(const std::string& cluster, const std::string& id, double wait_seconds) {
  if (!valid_job_id(id)) {
    return {400, nullptr, "a job id is 1 to 128 letters, digits, '.', '_' or '-'; got '" + id + "'", ""};
  }
  auto addresses = nodes_.worker_addresses(cluster);
  if (!addresses) return {404, nullptr, addresses.error(), ""};
  const auto dot = id.find('.');
  const std::string top = id.substr(0, dot);
  const std::string suffix = dot == std::string::npos ? "" : id.substr(dot);
  std::string node_id = id;
  std::string node = remembered(top);
  if (const auto held = held_.find(top)) {
    if (held->cluster != cluster) return {404, nullptr, "no job " + id + " in cluster " + cluster, ""};
    if (held->state != HeldJob::State::kForwarded) {
      if (!suffix.empty()) return {404, nullptr, "job " + top + " has not started: it has no subtasks yet", ""};
      return {200, held_document(*held, id, held_.deadline()), "", ""};
    }
    node = held->node;
    node_id = held->task_id + suffix;
  }
  // The node it was placed on first (if still a task of the cluster), then every other one.
  std::vector<std::string> order;
  if (std::find(addresses->begin(), addresses->end(), node) != addresses->end()) order.push_back(node);
  for (const auto& address : *addresses) {
    if (address != node) order.push_back(address);
  }
  const bool may_wait = wait_seconds > 0 && long_polls_.fetch_add(1) < kMaxLongPolls;
  struct Release {
    std::atomic<int>& count;
    bool held;
    ~Release() {
      if (held) --count;
    }
  } release{long_polls_, wait_seconds > 0};
  std::vector<std::string> problems;
  for (const auto& address : order) {
    // The long poll only where the job is known to be; a search asks without waiting.
    auto answer = get_task(address, node_id, address == node && may_wait ? wait_seconds : 0, options_.calls);
    if (!answer.answered()) {
      problems.push_back(answer.error);
      continue;
    }
    if (answer.status == 404) continue;
    if (answer.status != 200 || !answer.body.is_object()) {
      problems.push_back("the node at " + address + " answered HTTP " + std::to_string(answer.status));
      continue;
    }
    if (address != node) {
      remember(top, address);
      if (may_wait && answer.body.value("status", "") == "running") {
        auto waited = get_task(address, node_id, wait_seconds, options_.calls);
        if (waited.answered() && waited.status == 200 && waited.body.is_object()) answer = std::move(waited);
      }
    }
    ayeaye::Json doc = std::move(answer.body);
    doc["job_id"] = id;
    // A subtask's document names the node that ran it as "node"; where it lives is then node_address.
    doc[doc.contains("node") ? "node_address" : "node"] = address;
    return {200, std::move(doc), "", address};
  }
  std::string message = "no job " + id + " on the " + std::to_string(order.size()) + " worker nodes of cluster " + cluster;
  for (const auto& problem : problems) message += "; " + problem;
  return {problems.empty() ? 404 : 502, nullptr, message, ""};
}

ayeaye::Result<ayeaye::Json> Jobs::list(const std::string& cluster) {
  using R = ayeaye::Result<ayeaye::Json>;
  auto addresses = nodes_.worker_addresses(cluster);
  if (!addresses) return R::fail(addresses.error());
  const auto infos = nodes_.node_infos(*addresses);
  std::vector<ayeaye::Json> jobs;
  ayeaye::Json unreachable = ayeaye::Json::array();
  for (std::size_t i = 0; i < infos.size(); ++i) {
    const std::string& address = (*addresses)[i];
    if (!infos[i]) {
      unreachable.push_back({{"node", address}, {"error", infos[i].error()}});
      continue;
    }
    for (const char* key : {"running_tasks", "recent_completed_tasks"}) {
      const auto tasks = infos[i]->find(key);
      if (tasks == infos[i]->end() || !tasks->is_array()) continue;
      for (const auto& task : *tasks) {
        if (!task.is_object() || !task.contains("task_id") || !task["task_id"].is_string()) continue;
        remember(task["task_id"], address);
        jobs.push_back(job_summary(task, address));
      }
    }
  }
  for (const auto& held : held_.of_cluster(cluster)) {
    if (held.state != HeldJob::State::kForwarded) jobs.push_back(held_document(held, held.id, held_.deadline()));
  }
  std::stable_sort(jobs.begin(), jobs.end(), [](const ayeaye::Json& a, const ayeaye::Json& b) {
    return a.value("started", "") > b.value("started", "");
  });
  if (jobs.size() > kListedJobs) jobs.resize(kListedJobs);
  return ayeaye::Json{{"jobs", jobs}, {"unreachable", unreachable}};
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
