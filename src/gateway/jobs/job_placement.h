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

// A worker node as its node_info shows it, or why it showed none.
struct NodeCapacity {
  std::string address;  // "<ipv4>:<port>", a task of the cluster
  int free_slots = 0;   // available_processing_capacity
  bool accepting = true;
  std::string problem;  // set when the node gave no node_info: it is not posted to
  bool token_refused = false;  // ... because it refused the gateway's token (FOSSA_API_TOKEN)
};

// The nodes worth asking, best first: accepting with a free slot, most free slots first, then in
// the given order (so equal nodes are tried as discovery lists them).
std::vector<std::string> placement_order(const std::vector<NodeCapacity>& nodes);

// What the jobs API and the held jobs ask of a cluster's nodes. Fakes in tests.
class ClusterNodes {
 public:
  virtual ~ClusterNodes() = default;
  // The worker nodes of `cluster`, each with its node_info's capacity or the problem that kept it
  // from answering; an error for an unknown cluster.
  virtual ayeaye::Result<std::vector<NodeCapacity>> capacities(const std::string& cluster) = 0;
  virtual NodeAnswer post_task(const std::string& address, const std::string& body) = 0;
};

struct Placement {
  enum class Outcome {
    kAccepted,    // node, task_id
    kRefused,     // a node found the task wrong: status (4xx) and message are its own; or 502:
                  // the nodes refused the gateway's token, or one answered an id that is not one
    kNoFreeSlot,  // nodes answered, none took it: message says how many were asked
    kNoNode,      // no worker node answered node_info (message: what the nodes said, if any)
    kNoCluster,   // message: discovery's
  };
  Outcome outcome = Outcome::kNoNode;
  std::string node;
  std::string task_id;
  long status = 0;
  std::string message;
  int nodes_asked = 0;
};

// Posts `body` to the cluster's nodes in placement_order until one accepts it. A node's task id is
// checked as an id (net/task_id.h) before it is used.
Placement place_job(ClusterNodes& nodes, const std::string& cluster, const std::string& body);

}  // namespace fossa::gateway
