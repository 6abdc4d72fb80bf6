// DiscoveredNodes (jobs_api.h): a cluster's worker nodes from Discovery, and their node_info read
// in parallel, for placing jobs and listing them.
#include <algorithm>
#include <future>

#include "jobs/jobs_api.h"
#include "jobs/node_fields.h"

namespace fossa::gateway {
namespace {

// node_info calls at once, when a cluster has many nodes.
constexpr std::size_t kParallelNodeCalls = 16;

}  // namespace

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

std::vector<NodeAnswer> DiscoveredNodes::node_info_answers(const std::vector<std::string>& addresses) {
  std::vector<NodeAnswer> out;
  for (std::size_t from = 0; from < addresses.size(); from += kParallelNodeCalls) {
    std::vector<std::future<NodeAnswer>> calls;
    for (std::size_t i = from; i < std::min(addresses.size(), from + kParallelNodeCalls); ++i) {
      calls.push_back(std::async(std::launch::async, [this, address = addresses[i]] { return get_node_info(address, calls_); }));
    }
    for (auto& call : calls) out.push_back(call.get());
  }
  return out;
}

std::vector<ayeaye::Result<ayeaye::Json>> DiscoveredNodes::node_infos(const std::vector<std::string>& addresses) {
  auto answers = node_info_answers(addresses);
  std::vector<ayeaye::Result<ayeaye::Json>> out;
  for (std::size_t i = 0; i < answers.size(); ++i) {
    auto problem = node_info_problem(addresses[i], answers[i]);
    out.push_back(problem.empty() ? ayeaye::Result<ayeaye::Json>(std::move(answers[i].body))
                                  : ayeaye::Result<ayeaye::Json>::fail(std::move(problem)));
  }
  return out;
}

ayeaye::Result<std::vector<NodeCapacity>> DiscoveredNodes::capacities(const std::string& cluster) {
  using R = ayeaye::Result<std::vector<NodeCapacity>>;
  auto addresses = worker_addresses(cluster);
  if (!addresses) return R::fail(addresses.error());
  const auto answers = node_info_answers(*addresses);
  std::vector<NodeCapacity> out;
  for (std::size_t i = 0; i < answers.size(); ++i) {
    NodeCapacity node;
    node.address = (*addresses)[i];
    node.problem = node_info_problem(node.address, answers[i]);
    if (!node.problem.empty()) {
      node.accepting = false;
      node.token_refused = refused_token(answers[i]);
      out.push_back(std::move(node));
      continue;
    }
    const auto& info = answers[i].body["node_info"];
    node.free_slots = int_at(info, "available_processing_capacity");
    const auto accepting = info.find("accepting_tasks");
    node.accepting = accepting == info.end() || !accepting->is_boolean() || accepting->get<bool>();
    out.push_back(std::move(node));
  }
  return out;
}

NodeAnswer DiscoveredNodes::post_task(const std::string& address, const std::string& body) {
  return gateway::post_task(address, body, calls_);
}

}  // namespace fossa::gateway
