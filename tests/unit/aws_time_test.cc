// The Expiration of credentials from instance metadata or the ECS endpoint, read as a time: what
// decides when the gateway fetches new ones.
#include <gtest/gtest.h>

#include "aws/credentials.h"

namespace {

using fossa::aws::parse_aws_time;

TEST(AwsTime, ReadsTheEndpointsExpirationAsUtc) {
  const auto time = parse_aws_time("2024-05-01T12:00:00Z");
  ASSERT_TRUE(time);
  EXPECT_EQ(std::chrono::system_clock::to_time_t(*time), 1714564800);
  const auto fractional = parse_aws_time("2024-05-01T12:00:00.250Z");
  ASSERT_TRUE(fractional);
  EXPECT_EQ(std::chrono::system_clock::to_time_t(*fractional), 1714564800);
}

TEST(AwsTime, RefusesWhatIsNotAnAwsTime) {
  for (const char* text : {"", "tomorrow", "2024-05-01", "2024-05-01T12:00:00", "2024-05-01T12:00:00+01:00",
                           "2024-05-01T12:00:00Zjunk"}) {
    EXPECT_FALSE(parse_aws_time(text)) << text;
  }
}

}  // namespace
