#include "aws/cloudwatch.h"

#include <charconv>

#include "aws/signed_request.h"
#include "aws/json_api.h"
#include "aws/s3_protocol.h"

namespace fossa::aws {
namespace {

// The first <tag>'s text in an XML error, or "".
std::string first_value(const std::string& xml, std::string_view tag) {
  const auto values = xml_values(xml, tag);
  return values.empty() ? "" : values.front();
}

std::string encoded(const std::string& text) { return uri_encode(text, /*path=*/false); }

}  // namespace

std::string put_metric_data_form(const MetricDatum& datum) {
  // The shortest text that reads back as the same double ("0.1", "1e+06"), encoded like every
  // other value: in a form, an unencoded '+' is a space.
  char value[32];
  const auto written = std::to_chars(value, value + sizeof value, datum.value);
  const std::string member = "MetricData.member.1.";
  std::string form = "Action=PutMetricData&Version=2010-08-01&Namespace=" + encoded(datum.name_space) + "&" +
                     member + "MetricName=" + encoded(datum.metric_name) + "&" + member +
                     "Value=" + encoded(std::string(value, written.ptr)) + "&" +
                     member + "Unit=" + encoded(datum.unit);
  for (std::size_t i = 0; i < datum.dimensions.size(); ++i) {
    const std::string dimension = member + "Dimensions.member." + std::to_string(i + 1) + ".";
    form += "&" + dimension + "Name=" + encoded(datum.dimensions[i].first) + "&" + dimension +
            "Value=" + encoded(datum.dimensions[i].second);
  }
  return form;
}

CloudWatch::CloudWatch(std::shared_ptr<AwsCredentialProvider> credentials, std::string region)
    : credentials_(std::move(credentials)), region_(std::move(region)), endpoint_(service_endpoint(kCloudWatch, region_)) {}

std::optional<std::string> CloudWatch::put_metric_data(const MetricDatum& datum) const {
  auto credentials = credentials_->get();
  if (!credentials) return "CloudWatch PutMetricData: " + credentials.error();
  const auto answer = signed_request("POST", endpoint_ + "/", {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}},
                                     put_metric_data_form(datum), *credentials, region_, kCloudWatch.signing_name, kTimeoutMs);
  if (!answer.error.empty()) return "CloudWatch PutMetricData at " + endpoint_ + ": " + answer.error;
  if (answer.status == 200) return std::nullopt;
  const std::string code = first_value(answer.body, "Code");
  const std::string message = first_value(answer.body, "Message");
  return "CloudWatch PutMetricData answered HTTP " + std::to_string(answer.status) + ": " +
         (code.empty() && message.empty() ? aws_error_text(answer.body) : code + ": " + message);
}

}  // namespace fossa::aws
