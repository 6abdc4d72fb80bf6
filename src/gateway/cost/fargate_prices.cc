#include "cost/fargate_prices.h"

#include <array>
#include <cstdio>

namespace fossa::gateway {
namespace {

// Linux/x86 on-demand, from kFargatePriceSource on kFargatePriceDate.
constexpr std::array<FargatePrice, 4> kPrices = {{
    {"us-east-1", 0.04048, 0.004445},
    {"us-east-2", 0.04048, 0.004445},
    {"us-west-2", 0.04048, 0.004445},
    {"eu-west-1", 0.04048, 0.004445},
}};

}  // namespace

std::optional<FargatePrice> fargate_price(std::string_view region) {
  for (const auto& price : kPrices) {
    if (price.region == region) return price;
  }
  return std::nullopt;
}

double worker_dollars_per_hour(const FargatePrice& price, const WorkerSize& size) {
  const double on_demand = size.vcpu * price.per_vcpu_hour + size.memory_gb * price.per_gb_hour;
  return size.spot ? on_demand * (1 - kFargateSpotDiscount) : on_demand;
}

std::string dollars(double amount) {
  if (!(amount > 0)) return "$0";
  if (amount < 0.00005) return "under $0.0001";
  char text[48];
  std::snprintf(text, sizeof text, amount < 1 ? "$%.4f" : "$%.2f", amount);
  return text;
}

}  // namespace fossa::gateway
