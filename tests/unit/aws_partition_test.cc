// A region's partition gives its endpoints' DNS suffix: amazonaws.com, amazonaws.com.cn in China.
#include "aws/json_api.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

namespace {

// The endpoint variables unset for the test, put back afterwards.
class NoEndpointVariables {
 public:
  NoEndpointVariables() {
    for (const char* name : {"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_ECS", "AWS_ENDPOINT_URL_SECRETS_MANAGER",
                             "AWS_ENDPOINT_URL_CLOUDWATCH"}) {
      const char* value = std::getenv(name);
      saved_.push_back({name, value ? std::optional<std::string>(value) : std::nullopt});
      ::unsetenv(name);
    }
  }
  ~NoEndpointVariables() {
    for (const auto& [name, value] : saved_) {
      if (value) ::setenv(name.c_str(), value->c_str(), 1);
    }
  }

 private:
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

}  // namespace

TEST(AwsPartition, EachServicesEndpointIsInItsRegionsPartition) {
  NoEndpointVariables none;
  EXPECT_EQ(fossa::aws::service_endpoint(fossa::aws::kEcs, "eu-west-2"), "https://ecs.eu-west-2.amazonaws.com");
  EXPECT_EQ(fossa::aws::service_endpoint(fossa::aws::kEcs, "cn-north-1"), "https://ecs.cn-north-1.amazonaws.com.cn");
  EXPECT_EQ(fossa::aws::service_endpoint(fossa::aws::kCloudWatch, "cn-northwest-1"),
            "https://monitoring.cn-northwest-1.amazonaws.com.cn");
  EXPECT_EQ(fossa::aws::service_endpoint(fossa::aws::kSecretsManager, "us-gov-west-1"),
            "https://secretsmanager.us-gov-west-1.amazonaws.com");
  EXPECT_EQ(fossa::aws::service_endpoint(fossa::aws::kEcs, "eusc-de-east-1"), "https://ecs.eusc-de-east-1.amazonaws.eu");
}
