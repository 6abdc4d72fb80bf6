#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cost/fargate_prices.h"
#include "cost/worker_cost.h"

using fossa::gateway::ClusterTask;
using fossa::gateway::CostSettings;
using fossa::gateway::dollars;
using fossa::gateway::fargate_price;
using fossa::gateway::worker_dollars_per_hour;
using fossa::gateway::worker_price;
using fossa::gateway::WorkerSize;

TEST(FargatePrices, KnowsUsEast1AndSaysNothingForARegionNotInTheTable) {
  const auto price = fargate_price("us-east-1");
  ASSERT_TRUE(price);
  EXPECT_DOUBLE_EQ(price->per_vcpu_hour, 0.04048);
  EXPECT_DOUBLE_EQ(price->per_gb_hour, 0.004445);
  EXPECT_TRUE(fargate_price("eu-west-1"));
  EXPECT_FALSE(fargate_price("mars-north-1"));
  EXPECT_FALSE(fargate_price(""));
}

TEST(FargatePrices, AWorkerCostsItsVcpusAndGigabytesAndSpotSeventyPercentLess) {
  const auto price = *fargate_price("us-east-1");
  EXPECT_DOUBLE_EQ(worker_dollars_per_hour(price, {1, 2, false}), 0.04048 + 2 * 0.004445);
  EXPECT_NEAR(worker_dollars_per_hour(price, {1, 2, true}), (0.04048 + 2 * 0.004445) * 0.3, 1e-12);
}

TEST(FargatePrices, MoneyReadsAsAnEstimate) {
  EXPECT_EQ(dollars(0.0123), "$0.0123");
  EXPECT_EQ(dollars(0.01234567), "$0.0123");
  EXPECT_EQ(dollars(12.345), "$12.35");
  EXPECT_EQ(dollars(0.00001), "under $0.0001");
  EXPECT_EQ(dollars(0), "$0");
}

TEST(WorkerCost, AnEcsTaskIsPricedAtItsOwnSizeAndCapacityProvider) {
  CostSettings settings;
  settings.region = "us-east-1";
  ClusterTask task;
  task.vcpu = 2;
  task.memory_gb = 4;
  task.capacity_provider = "FARGATE_SPOT";
  const auto price = worker_price(task, settings);
  ASSERT_TRUE(price);
  EXPECT_NEAR(price->dollars_per_hour, (2 * 0.04048 + 4 * 0.004445) * 0.3, 1e-12);
  EXPECT_EQ(price->basis, "2 vCPU, 4 GB, Fargate Spot in us-east-1");
}

TEST(WorkerCost, ALocalNodeIsPricedAsIfOnFargateWithTheSpotShareBlended) {
  CostSettings settings;
  settings.region = "us-east-1";
  settings.as_if_on_fargate = true;
  settings.local_size = {0.25, 0.5, false};
  settings.spot_share = 0.5;
  const auto price = worker_price(ClusterTask{}, settings);
  ASSERT_TRUE(price);
  const double on_demand = 0.25 * 0.04048 + 0.5 * 0.004445;
  EXPECT_NEAR(price->dollars_per_hour, 0.5 * on_demand + 0.5 * on_demand * 0.3, 1e-12);
  EXPECT_EQ(price->basis, "0.25 vCPU, 0.5 GB in us-east-1, as if on Fargate, 50% of it on Fargate Spot");
}

TEST(WorkerCost, ARegionWithoutAPriceSaysWhy) {
  CostSettings settings;
  settings.region = "mars-north-1";
  std::string why;
  EXPECT_FALSE(worker_price(ClusterTask{}, settings, &why));
  EXPECT_EQ(why, "no Fargate price for region mars-north-1 in the gateway's table");
}
