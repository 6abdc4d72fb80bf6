// ClusterNodes and WorkerStarter without a network: nodes with set free slots and set answers to a
// POST, a starter that counts its calls. For the jobs API's cores (job_placement.h, held_jobs.h).
// A node fills up as a real one does: a task it takes uses one of its free slots, and a POST to a
// node without one is answered 503, as `fossa node` answers it.
#pragma once

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "jobs/job_placement.h"
#include "jobs/worker_starter.h"

namespace fossa::testing {

class FakeClusterNodes : public gateway::ClusterNodes {
 public:
  struct Node {
    int free_slots = 1;
    // What POST answers: a 200 with a task id unless set.
    std::optional<gateway::NodeAnswer> answer;
  };

  ayeaye::Result<std::vector<gateway::NodeCapacity>> capacities(const std::string& cluster) override {
    if (cluster != "c") return ayeaye::Result<std::vector<gateway::NodeCapacity>>::fail("no cluster " + cluster);
    std::vector<gateway::NodeCapacity> out;
    for (const auto& [address, node] : nodes) {
      gateway::NodeCapacity capacity;
      capacity.address = address;
      capacity.free_slots = node.free_slots;
      out.push_back(capacity);
    }
    for (const auto& [address, problem] : without_node_info) {
      gateway::NodeCapacity capacity;
      capacity.address = address;
      capacity.accepting = false;
      capacity.problem = problem;
      capacity.token_refused = problem.find("FOSSA_API_TOKEN") != std::string::npos;
      out.push_back(capacity);
    }
    return out;
  }
  gateway::NodeAnswer post_task(const std::string& address, const std::string& body) override {
    posts.push_back({address, body});
    if (while_posting) while_posting();
    auto& node = nodes.at(address);
    if (node.answer) return *node.answer;
    if (node.free_slots <= 0) return {503, {{"error", {{"message", "Node at full capacity and can't accept new tasks"}}}}, ""};
    --node.free_slots;
    std::string id = address + "-task-" + std::to_string(posts.size());
    std::replace(id.begin(), id.end(), ':', '-');  // an id as a node makes it: "a-1-task-1" from "a:1"
    return {200, {{"task_id", id}}, ""};
  }

  std::map<std::string, Node> nodes;  // by address; capacities() lists them in address order
  // Nodes that gave no node_info, by address, with the problem (naming FOSSA_API_TOKEN: refused
  // the gateway's token); listed after the others.
  std::map<std::string, std::string> without_node_info;
  std::vector<std::pair<std::string, std::string>> posts;  // (address, body)
  // Called during each POST, before it is answered: what happens elsewhere while a post is on its way.
  std::function<void()> while_posting;
};

class FakeStarter : public gateway::WorkerStarter {
 public:
  std::optional<std::string> start_workers(const std::string& cluster) override {
    asked.push_back(cluster);
    return refusal;
  }
  std::vector<std::string> asked;
  std::optional<std::string> refusal;
};

inline gateway::NodeAnswer node_error(long status, const std::string& message) {
  return {status, {{"error", {{"message", message}}}}, ""};
}

}  // namespace fossa::testing
