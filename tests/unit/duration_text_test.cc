#include "text/duration.h"

#include <gtest/gtest.h>

#include <cmath>

using fossa::text::human_duration;

TEST(HumanDuration, ReadsAsAPersonWouldSayIt) {
  EXPECT_EQ(human_duration(0.0839569), "0.08 s");
  EXPECT_EQ(human_duration(2.41772), "2.42 s");
  EXPECT_EQ(human_duration(12.4), "12 s");
  EXPECT_EQ(human_duration(59.4), "59 s");
  EXPECT_EQ(human_duration(59.6), "1 min 00 s");
  EXPECT_EQ(human_duration(123.0), "2 min 03 s");
  EXPECT_EQ(human_duration(3900.0), "1 h 05 min");
}

TEST(HumanDuration, NonsenseReadsAsNothing) {
  EXPECT_EQ(human_duration(-1.0), "0.00 s");
  EXPECT_EQ(human_duration(std::nan("")), "0.00 s");
}
