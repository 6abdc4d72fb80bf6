// Placing a job on a worker node: which node first (placement_order, pure) and the walk over the
// cluster's nodes that posts the task until one takes it (place_job, through ClusterNodes, so the
// walk is tested with fake nodes). A node's 503 (full, or shutting down) or silence moves on to
// the next node; its 4xx (a bad task) is the answer; none taking it is "no free slot".
#pragma once

#include <string>
#include <vector>

#include "ayeaye/error.h"
#include "node_calls.h"

namespace fossa::gateway {

// A worker node as its node_info shows it.
struct NodeCapacity {
  std::string address;  // "<ipv4>:<port>", a task of the cluster
  int free_slots = 0;   // available_processing_capacity
  bool accepting = true;
};

// The nodes worth asking, best first: accepting with a free slot, most free slots first, then in
// the given order (so equal nodes are tried as discovery lists them).
std::vector<std::string> placement_order(const std::vector<NodeCapacity>& nodes);

// What the jobs API and the held jobs ask of a cluster's nodes. Fakes in tests.
class ClusterNodes {
 public:
  virtual ~ClusterNodes() = default;
  // The worker nodes of `cluster` that answered node_info; an error for an unknown cluster.
  virtual ayeaye::Result<std::vector<NodeCapacity>> capacities(const std::string& cluster) = 0;
  virtual NodeAnswer post_task(const std::string& address, const std::string& body) = 0;
};

struct Placement {
  enum class Outcome {
    kAccepted,    // node, task_id
    kRefused,     // a node found the task wrong: status (4xx) and message are its own
    kNoFreeSlot,  // nodes answered, none took it: message says how many were asked
    kNoNode,      // no worker node answered node_info
    kNoCluster,   // message: discovery's
  };
  Outcome outcome = Outcome::kNoNode;
  std::string node;
  std::string task_id;
  long status = 0;
  std::string message;
  int nodes_asked = 0;
};

// Posts `body` to the cluster's nodes in placement_order until one accepts it.
Placement place_job(ClusterNodes& nodes, const std::string& cluster, const std::string& body);

// The message of a node's error body ({"error": {"message": ...}} or {"message": ...}), else "".
std::string node_error_message(const ayeaye::Json& body);

}  // namespace fossa::gateway
