// The node's HTTP surface: the Fossa API of docs/protocol.md (same paths, codes and field names as
// Python Fossa), the HTML pages, and the operations endpoints (/healthz, /readyz, /metrics).
// Handlers run on httplib's thread pool; all they share goes through the Governor.
#pragma once

#include "net/http.h"
#include "node/governor.h"
#include "node/node_config.h"
#include "node/node_log.h"
#include "node/task_supervisor.h"

namespace fossa::node {

void install_routes(httplib::Server& server, Governor& governor, TaskSupervisor& supervisor, const NodeConfig& config,
                    NodeLog& log);

}  // namespace fossa::node
