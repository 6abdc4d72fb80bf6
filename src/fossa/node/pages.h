// The node's HTML pages: `/` (the node, its running tasks with progress, its recent tasks) and
// `/task/<id>` (one task: its spec, subtasks, results, failure and trace, log tail). Plain
// server-rendered HTML, readable without JavaScript; the node's own small script (no CDN) reloads
// the live part of a page every second while there is something running.
#pragma once

#include "net/http.h"
#include "net/router.h"
#include "node/governor.h"
#include "node/node_config.h"

namespace fossa::node {

void install_pages(net::Router& server, Governor& governor, const NodeConfig& config);

}  // namespace fossa::node
