#include "aws/json_api.h"

#include <cstdlib>

#include "aws/partition.h"
#include "aws/signed_request.h"
#include "fossa/base/json_input.h"

namespace fossa::aws {
namespace {

constexpr std::size_t kErrorTextLimit = 300;

std::string env(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  return value != nullptr ? value : "";
}

std::string display_name(const AwsService& service) {
  if (service.signing_name == "ecs") return "ECS";
  if (service.signing_name == "secretsmanager") return "Secrets Manager";
  if (service.signing_name == "monitoring") return "CloudWatch";
  return service.signing_name;
}

}  // namespace

std::string service_endpoint(const AwsService& service, const std::string& region) {
  if (const auto own = env(service.endpoint_variable); !own.empty()) return own;
  if (const auto all = env("AWS_ENDPOINT_URL"); !all.empty()) return all;
  return default_endpoint(service.host_prefix, region);
}

std::string aws_error_text(const std::string& body) {
  const auto json = fossa::parse_json_or_null(body);
  std::string text = body;
  if (json.is_object()) {
    std::string type = json.value("__type", json.value("code", ""));
    type = type.substr(type.rfind('#') + 1);  // "com.amazonaws...#AccessDeniedException"
    const std::string message = json.value("message", json.value("Message", ""));
    text = type.empty() ? message : message.empty() ? type : type + ": " + message;
  }
  if (text.size() > kErrorTextLimit) text = text.substr(0, kErrorTextLimit) + "...";
  return text;
}

AwsJsonApi::AwsJsonApi(std::shared_ptr<AwsCredentialProvider> credentials, const AwsService& service, std::string region,
                       std::string target_prefix, long timeout_ms)
    : credentials_(std::move(credentials)),
      service_(service),
      region_(std::move(region)),
      endpoint_(service_endpoint(service, region_)),
      target_prefix_(std::move(target_prefix)),
      timeout_ms_(timeout_ms) {}

Result<Json> AwsJsonApi::call(const std::string& operation, const Json& body) const {
  using R = Result<Json>;
  const std::string what = display_name(service_) + " " + operation;
  auto credentials = credentials_->get();
  if (!credentials) return R::fail(what + ": " + credentials.error());
  const http_client::Headers headers = {{"Content-Type", "application/x-amz-json-1.1"},
                                        {"X-Amz-Target", target_prefix_ + "." + operation}};
  const auto answer =
      signed_request("POST", endpoint_ + "/", headers, body.dump(), *credentials, region_, service_.signing_name, timeout_ms_);
  if (!answer.error.empty()) return R::fail(what + " at " + endpoint_ + ": " + answer.error);
  if (answer.status != 200) {
    return R::fail(what + " answered HTTP " + std::to_string(answer.status) + ": " + aws_error_text(answer.body));
  }
  auto json = fossa::parse_json_or_null(answer.body);
  if (!json.is_object()) return R::fail(what + " answered something that is not JSON");
  return json;
}

}  // namespace fossa::aws
