// The node's HTTP surface: the Fossa API of docs/protocol.md (same paths, codes and field names as
// Python Fossa), the operations endpoints (/healthz, /readyz, /metrics), and the HTML pages of
// pages.h. Routes are plain functions of a request (net/router.h), run on the server's I/O
// threads, so none may block: a long poll (`?wait=`) is told of its task's end by the Governor
// instead of waiting for it. They admit and read through the Governor (its
// one lock), hand an admitted task to the TaskSupervisor (run() is safe from any thread) and log
// through NodeLog; they share nothing else. A request body is read as outside JSON
// (ayeaye/json_input.h: nesting and number limits) before anything else looks at it.
#pragma once

#include "net/http.h"
#include "net/router.h"
#include "node/governor.h"
#include "node/node_config.h"
#include "node/node_log.h"
#include "node/task_supervisor.h"

namespace fossa::node {

void install_routes(net::Router& server, Governor& governor, TaskSupervisor& supervisor, const NodeConfig& config,
                    NodeLog& log);

}  // namespace fossa::node
