// run_node: `fossa node` — a worker node serving the Fossa HTTP API until SIGTERM or SIGINT.
// Wires the Governor (capacity, tasks), the TaskSupervisor (task processes) and the HTTP server,
// logs one "ready" line naming its URL once it accepts connections, and on a signal stops
// admitting (503), stops every task process (no orphans) and exits within the grace period.
#pragma once

#include "node/node_config.h"

namespace fossa::node {

int run_node(const NodeConfig& config);

}  // namespace fossa::node
