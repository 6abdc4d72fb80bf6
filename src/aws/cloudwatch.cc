#include "aws/cloudwatch.h"

#include <cctype>
#include <cstdio>

#include "aws/http.h"
#include "aws/json_api.h"

namespace fossa::aws {
namespace {

// The text between <tag> and </tag> in an XML error, or "".
std::string element(const std::string& xml, const std::string& tag) {
  const auto open = xml.find("<" + tag + ">");
  if (open == std::string::npos) return "";
  const auto from = open + tag.size() + 2;
  const auto close = xml.find("</" + tag + ">", from);
  return close == std::string::npos ? "" : xml.substr(from, close - from);
}

}  // namespace

std::string percent_encode(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string put_metric_data_form(const MetricDatum& datum) {
  char value[32];
  std::snprintf(value, sizeof value, "%.6g", datum.value);
  const std::string member = "MetricData.member.1.";
  std::string form = "Action=PutMetricData&Version=2010-08-01&Namespace=" + percent_encode(datum.name_space) + "&" +
                     member + "MetricName=" + percent_encode(datum.metric_name) + "&" + member + "Value=" + value + "&" +
                     member + "Unit=" + percent_encode(datum.unit);
  for (std::size_t i = 0; i < datum.dimensions.size(); ++i) {
    const std::string dimension = member + "Dimensions.member." + std::to_string(i + 1) + ".";
    form += "&" + dimension + "Name=" + percent_encode(datum.dimensions[i].first) + "&" + dimension +
            "Value=" + percent_encode(datum.dimensions[i].second);
  }
  return form;
}

CloudWatch::CloudWatch(std::shared_ptr<AwsCredentialProvider> credentials, std::string region)
    : credentials_(std::move(credentials)), region_(std::move(region)), endpoint_(service_endpoint(kCloudWatch, region_)) {}

std::optional<std::string> CloudWatch::put_metric_data(const MetricDatum& datum) const {
  auto credentials = credentials_->get();
  if (!credentials) return "CloudWatch PutMetricData: " + credentials.error();
  const auto answer = signed_request("POST", endpoint_ + "/", {"Content-Type: application/x-www-form-urlencoded; charset=utf-8"},
                                     put_metric_data_form(datum), *credentials, region_, kCloudWatch.signing_name, kTimeoutMs);
  if (!answer.error.empty()) return "CloudWatch PutMetricData at " + endpoint_ + ": " + answer.error;
  if (answer.status == 200) return std::nullopt;
  const std::string code = element(answer.body, "Code");
  const std::string message = element(answer.body, "Message");
  return "CloudWatch PutMetricData answered HTTP " + std::to_string(answer.status) + ": " +
         (code.empty() && message.empty() ? aws_error_text(answer.body) : code + ": " + message);
}

}  // namespace fossa::aws
