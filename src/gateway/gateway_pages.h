// The gateway's pages (gateway_pages.cc: clusters, a cluster's tasks, a node; job_page.cc: jobs)
// and what they share: the page frame, the style and script files, the cost settings.
#pragma once

#include <optional>
#include <string>

#include "discovery/discovery.h"
#include "net/router.h"
#include "node_calls.h"
#include "cost/worker_cost.h"
#include "jobs/logs_insights_link.h"

namespace fossa::gateway {

struct PagesContext {
  Discovery& discovery;
  std::string worker_group;
  NodeCalls calls;
  CostSettings costs;
  LogsInsightsSettings logs;  // the workers' log group on AWS (--log-group): job pages link to their lines
};

// A whole page: `title` is escaped, `body` is HTML already escaped by its maker.
std::string page(const std::string& title, const std::string& body);
void send_page(net::Response& res, int status, const std::string& title, const std::string& body);

// A task of `cluster` whose node answers at `address`, or nothing: the only addresses the gateway
// will contact.
std::optional<ClusterTask> task_at(Discovery& discovery, const std::string& cluster, const std::string& address);

// /static/gateway.css, /static/gateway.js, and the pages of clusters, tasks and nodes.
void install_pages(net::Router& server, const PagesContext& context);

}  // namespace fossa::gateway
