// CloudWatch's PutMetricData over its query API (a form-encoded POST, Version 2010-08-01), signed
// with SigV4: one value of one metric at a time, which is all the gateway's scaling publishes.
// The form is built by a pure function, so its encoding is unit-tested without a server.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "aws/credentials.h"

namespace fossa::aws {

struct MetricDatum {
  std::string name_space;  // "Fossa/<stack>"
  std::string metric_name;
  std::vector<std::pair<std::string, std::string>> dimensions;  // name, value
  double value = 0;
  std::string unit = "None";
};

// The request body: Action=PutMetricData&Version=2010-08-01&Namespace=...&MetricData.member.1....,
// each value percent-encoded as SigV4 expects (aws::uri_encode), the number too ("1e%2B06").
std::string put_metric_data_form(const MetricDatum& datum);

class CloudWatch {
 public:
  static constexpr long kTimeoutMs = 10000;

  CloudWatch(std::shared_ptr<AwsCredentialProvider> credentials, std::string region);

  // Nothing when CloudWatch took it, else why not.
  std::optional<std::string> put_metric_data(const MetricDatum& datum) const;

  const std::string& endpoint() const { return endpoint_; }

 private:
  std::shared_ptr<AwsCredentialProvider> credentials_;
  std::string region_;
  std::string endpoint_;
};

}  // namespace fossa::aws
