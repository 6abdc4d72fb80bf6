// What workers cost, estimated: AWS Fargate's on-demand prices (Linux/x86) per vCPU-hour and per
// GB-hour of memory for a few regions — a dated copy, not a live price — and the arithmetic the
// pages use. Source: https://aws.amazon.com/fargate/pricing/ (on-demand, Linux/x86), as read on
// 2026-11-30; us-east-1, us-east-2, us-west-2 and eu-west-1 share one price. Fargate Spot's price
// moves with supply and demand; AWS gives it as up to 70% below on-demand, and the estimate takes
// that 70% (so a Spot figure is the low end). Pure: no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace fossa::gateway {

inline constexpr const char* kFargatePriceSource = "https://aws.amazon.com/fargate/pricing/";
inline constexpr const char* kFargatePriceDate = "2026-11-30";
inline constexpr double kFargateSpotDiscount = 0.70;

struct FargatePrice {
  std::string_view region;
  double per_vcpu_hour = 0;
  double per_gb_hour = 0;
};

// The region's on-demand price, or nothing for a region not in the table.
std::optional<FargatePrice> fargate_price(std::string_view region);

// One worker task's size, and whether Fargate Spot runs it.
struct WorkerSize {
  double vcpu = 0.25;       // Fargate's smallest task: 0.25 vCPU, 0.5 GB
  double memory_gb = 0.5;
  bool spot = false;
};

// Dollars per hour of one worker of `size` at `price` (Spot: kFargateSpotDiscount off).
double worker_dollars_per_hour(const FargatePrice& price, const WorkerSize& size);

// Money as people read an estimate: "$0.0123" below a dollar (4 decimals), "$12.35" above,
// "under $0.0001" for a sliver, "$0" for nothing.
std::string dollars(double amount);

}  // namespace fossa::gateway
