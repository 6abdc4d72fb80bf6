// CloudWatch's PutMetricData as the gateway sends it (query API), built without a server.
#include "aws/cloudwatch.h"

#include <gtest/gtest.h>

#include <string>

#include "aws/s3_protocol.h"

namespace {

// A form field's value as the server reads it: '+' is a space, %XX a byte.
std::string form_value(const std::string& form, const std::string& name) {
  const auto at = form.find("&" + name + "=");
  if (at == std::string::npos) return "";
  const auto start = at + name.size() + 2;
  const std::string raw = form.substr(start, form.find('&', start) - start);
  std::string value;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '+') value += ' ';
    else if (raw[i] == '%' && i + 2 < raw.size()) value += static_cast<char>(std::stoi(raw.substr(i + 1, 2), nullptr, 16)), i += 2;
    else value += raw[i];
  }
  return value;
}

}  // namespace

TEST(CloudWatchForm, CarriesTheNamespaceMetricValueAndDimensionsEncoded) {
  const fossa::aws::MetricDatum datum{"Fossa/test stack", "Backlog&Per=Worker", {{"ClusterName", "fossa-test"}, {"ServiceName", "fossa-worker"}}, 2.5, "None"};
  EXPECT_EQ(fossa::aws::put_metric_data_form(datum),
            "Action=PutMetricData&Version=2010-08-01&Namespace=Fossa%2Ftest%20stack"
            "&MetricData.member.1.MetricName=Backlog%26Per%3DWorker&MetricData.member.1.Value=2.5&MetricData.member.1.Unit=None"
            "&MetricData.member.1.Dimensions.member.1.Name=ClusterName&MetricData.member.1.Dimensions.member.1.Value=fossa-test"
            "&MetricData.member.1.Dimensions.member.2.Name=ServiceName&MetricData.member.1.Dimensions.member.2.Value=fossa-worker");
}

// Every value reaches CloudWatch as the number it is: 1e6 written "1e+06" arrived "1e 06" (a
// form's '+' is a space), and six digits rounded 1234567 to 1.23457e+06.
TEST(CloudWatchForm, CarriesEveryValueExactly) {
  for (const double value : {1e6, 1234567.0, 0.1, 2.5e-7, 12.0, 1e300}) {
    const fossa::aws::MetricDatum datum{"Fossa/test", "BacklogPerWorker", {}, value, "None"};
    const std::string text = form_value(fossa::aws::put_metric_data_form(datum), "MetricData.member.1.Value");
    std::size_t used = 0;
    EXPECT_EQ(std::stod(text, &used), value) << text;
    EXPECT_EQ(used, text.size()) << "the whole field is the number: '" << text << "'";
  }
}
