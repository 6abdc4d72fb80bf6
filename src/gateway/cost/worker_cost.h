// What one worker task of a cluster costs per hour, estimated from its size and the Fargate price
// table (fargate_prices.h). ECS discovery knows each task's size and capacity provider; a local
// cluster is priced as if its nodes ran on Fargate, at the size and Spot share the flags give.
// Pure: no I/O.
#pragma once

#include <optional>
#include <string>

#include "discovery/discovery.h"
#include "cost/fargate_prices.h"

namespace fossa::gateway {

struct CostSettings {
  std::string region;        // the prices' region: ECS discovery's, or --price-region
  bool as_if_on_fargate = false;  // local discovery: not Fargate at all, priced as if it were
  WorkerSize local_size;     // --worker-vcpu, --worker-memory-gb (and for an ECS task that lacks them)
  double spot_share = 0;     // --worker-spot-share: the share of workers on Fargate Spot (local)
};

struct WorkerPrice {
  double dollars_per_hour = 0;
  std::string basis;  // "0.25 vCPU, 0.5 GB, on-demand in us-east-1, as if on Fargate"
};

// The price of `task`, or why there is none (a region not in the table).
std::optional<WorkerPrice> worker_price(const ClusterTask& task, const CostSettings& settings, std::string* why = nullptr);

// "0.25 vCPU, 0.5 GB": a size as the pages say it.
std::string size_words(const WorkerSize& size);

}  // namespace fossa::gateway
