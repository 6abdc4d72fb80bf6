#include "cost/worker_cost.h"

#include <cmath>
#include <cstdio>

namespace fossa::gateway {
namespace {

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

}  // namespace

std::string size_words(const WorkerSize& size) { return number(size.vcpu) + " vCPU, " + number(size.memory_gb) + " GB"; }

std::optional<WorkerPrice> worker_price(const ClusterTask& task, const CostSettings& settings, std::string* why) {
  const auto price = fargate_price(settings.region);
  if (!price) {
    if (why != nullptr) {
      *why = settings.region.empty() ? std::string("no region to price workers in")
                                     : "no Fargate price for region " + settings.region + " in the gateway's table";
    }
    return std::nullopt;
  }
  WorkerSize size = settings.local_size;
  if (!settings.as_if_on_fargate && task.vcpu > 0 && task.memory_gb > 0) {
    size.vcpu = task.vcpu;
    size.memory_gb = task.memory_gb;
  }
  WorkerPrice out;
  if (settings.as_if_on_fargate) {
    size.spot = false;
    const double on_demand = worker_dollars_per_hour(*price, size);
    size.spot = true;
    const double spot = worker_dollars_per_hour(*price, size);
    out.dollars_per_hour = (1 - settings.spot_share) * on_demand + settings.spot_share * spot;
    out.basis = size_words(size) + " in " + settings.region + ", as if on Fargate";
    if (settings.spot_share > 0) {
      out.basis += ", " + number(std::round(settings.spot_share * 100)) + "% of it on Fargate Spot";
    } else {
      out.basis += " on-demand";
    }
    return out;
  }
  size.spot = task.capacity_provider == "FARGATE_SPOT";
  out.dollars_per_hour = worker_dollars_per_hour(*price, size);
  out.basis = size_words(size) + (size.spot ? ", Fargate Spot" : ", Fargate on-demand") + " in " + settings.region;
  return out;
}

}  // namespace fossa::gateway
