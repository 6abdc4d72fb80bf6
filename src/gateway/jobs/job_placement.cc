#include "jobs/job_placement.h"

#include <algorithm>

#include "net/task_id.h"

namespace fossa::gateway {

std::vector<std::string> placement_order(const std::vector<NodeCapacity>& nodes) {
  std::vector<const NodeCapacity*> open;
  for (const auto& node : nodes) {
    if (node.problem.empty() && node.accepting && node.free_slots > 0) open.push_back(&node);
  }
  std::stable_sort(open.begin(), open.end(), [](const NodeCapacity* a, const NodeCapacity* b) { return a->free_slots > b->free_slots; });
  std::vector<std::string> order;
  for (const auto* node : open) order.push_back(node->address);
  return order;
}

Placement place_job(ClusterNodes& nodes, const std::string& cluster, const std::string& body) {
  Placement placement;
  auto capacities = nodes.capacities(cluster);
  if (!capacities) {
    placement.outcome = Placement::Outcome::kNoCluster;
    placement.message = capacities.error();
    return placement;
  }
  std::string problems;
  const NodeCapacity* token_refused = nullptr;
  for (const auto& node : *capacities) {
    if (node.problem.empty()) {
      ++placement.nodes_asked;
      continue;
    }
    problems += "; " + node.problem;
    if (node.token_refused && token_refused == nullptr) token_refused = &node;
  }
  if (placement.nodes_asked == 0) {
    if (token_refused != nullptr) {
      // Nodes are running, and refuse the gateway: its token is wrong, not the cluster empty.
      placement.outcome = Placement::Outcome::kRefused;
      placement.status = 502;
      placement.message = token_refused->problem;
      return placement;
    }
    placement.outcome = Placement::Outcome::kNoNode;
    placement.message = "no worker node of cluster " + cluster + " is running" + problems;
    return placement;
  }
  int full = 0;
  int silent = 0;
  for (const auto& address : placement_order(*capacities)) {
    const auto answer = nodes.post_task(address, body);
    if (!answer.answered() || answer.status >= 500) {
      // 503: the slot went meanwhile, or the node is stopping; silence or 5xx: the next one may do.
      ++(answer.answered() && answer.status == 503 ? full : silent);
      continue;
    }
    if (answer.status == 401 || answer.status == 403) {
      placement.outcome = Placement::Outcome::kRefused;
      placement.status = 502;
      placement.message = "the node at " + address + " refused the gateway's token (FOSSA_API_TOKEN): " +
                          node_error_message(answer.body);
      return placement;
    }
    if (answer.status >= 400) {
      placement.outcome = Placement::Outcome::kRefused;
      placement.status = answer.status;
      placement.message = node_error_message(answer.body);
      if (placement.message.empty()) placement.message = "the node refused the task (HTTP " + std::to_string(answer.status) + ")";
      return placement;
    }
    const auto id = answer.body.is_object() ? answer.body.find("task_id") : answer.body.end();
    if (answer.status / 100 == 2 && id != answer.body.end() && id->is_string()) {
      if (!net::valid_task_id(id->get<std::string>())) {
        // It took the task, so no other node may run it too; its id cannot go into a URL or a header.
        placement.outcome = Placement::Outcome::kRefused;
        placement.status = 502;
        placement.message = "the node at " + address + " took the task but answered a task id that is not an id (" +
                            net::kTaskIdRule + "): " + net::quoted_id(id->get<std::string>());
        return placement;
      }
      placement.outcome = Placement::Outcome::kAccepted;
      placement.node = address;
      placement.task_id = *id;
      return placement;
    }
    ++silent;  // 2xx without a task id: not a node we understand
  }
  placement.outcome = Placement::Outcome::kNoFreeSlot;
  const int without = placement.nodes_asked - full - silent;
  placement.message = "no node of cluster " + cluster + " has a free slot: " + std::to_string(placement.nodes_asked) +
                      (placement.nodes_asked == 1 ? " node" : " nodes") + " asked (" + std::to_string(without) +
                      " with no free slot, " + std::to_string(full) + " full when posted to, " + std::to_string(silent) +
                      " not answering); try again later";
  return placement;
}

}  // namespace fossa::gateway
