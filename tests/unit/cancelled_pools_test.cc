// CancelledPools: the bounded memory of cancelled pools with which a node drops their late subtasks.
#include "node/cancelled_pools.h"

#include <gtest/gtest.h>

namespace {

using fossa::node::CancelledPools;

TEST(CancelledPools, RemembersAPoolOnceAndSaysWhenItWasHeardBefore) {
  CancelledPools pools;
  EXPECT_FALSE(pools.contains("abcde"));
  EXPECT_TRUE(pools.remember("abcde"));
  EXPECT_FALSE(pools.remember("abcde")) << "a cancellation heard twice";
  EXPECT_TRUE(pools.contains("abcde"));
  EXPECT_EQ(pools.size(), 1u);
}

TEST(CancelledPools, ForgetsTheOldestBeyondItsCapacityAndNoOther) {
  CancelledPools pools(3);
  for (const char* pool : {"aaaaa", "bbbbb", "ccccc", "ddddd"}) pools.remember(pool);
  EXPECT_EQ(pools.size(), 3u);
  EXPECT_FALSE(pools.contains("aaaaa"));
  for (const char* pool : {"bbbbb", "ccccc", "ddddd"}) EXPECT_TRUE(pools.contains(pool)) << pool;
}

}  // namespace
