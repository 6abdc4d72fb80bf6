#include "ecs_discovery.h"

#include <curl/curl.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <memory>

namespace fossa::gateway {
namespace {

constexpr long kMetadataTimeoutMs = 1000;  // instance metadata answers at once or not at all
constexpr long kApiTimeoutMs = 10000;

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

size_t collect(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

// A plain request (metadata endpoints): method, URL, headers, body.
HttpResult request(const std::string& method, const std::string& url, const std::vector<std::string>& headers,
                   const std::string& body, long timeout_ms, const std::function<void(CURL*)>& extra = {}) {
  HttpResult result;
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) {
    result.error = "cannot start libcurl";
    return result;
  }
  curl_slist* list = nullptr;
  for (const auto& header : headers) list = curl_slist_append(list, header.c_str());
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> owned(list, curl_slist_free_all);
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_CUSTOMREQUEST, method.c_str());
  if (method != "GET") curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &result.body);
  if (extra) extra(curl.get());
  const CURLcode code = curl_easy_perform(curl.get());
  if (code != CURLE_OK) {
    result.error = curl_easy_strerror(code);
    return result;
  }
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &result.status);
  return result;
}

ayeaye::Result<AwsCredentials> credentials_from(const ayeaye::Json& json, const std::string& where) {
  using R = ayeaye::Result<AwsCredentials>;
  if (!json.is_object() || !json.contains("AccessKeyId") || !json.contains("SecretAccessKey")) {
    return R::fail(where + " gave no credentials");
  }
  return AwsCredentials{json.value("AccessKeyId", ""), json.value("SecretAccessKey", ""), json.value("Token", "")};
}

std::string imds_token() {
  const auto token = request("PUT", "http://169.254.169.254/latest/api/token",
                             {"X-aws-ec2-metadata-token-ttl-seconds: 300"}, "", kMetadataTimeoutMs);
  return token.status == 200 ? token.body : "";
}

// The SDKs' order: environment, ECS container endpoint, EC2 instance metadata (IMDSv2).
ayeaye::Result<AwsCredentials> find_credentials() {
  using R = ayeaye::Result<AwsCredentials>;
  if (!env("AWS_ACCESS_KEY_ID").empty() && !env("AWS_SECRET_ACCESS_KEY").empty()) {
    return AwsCredentials{env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY"), env("AWS_SESSION_TOKEN")};
  }
  std::string container = env("AWS_CONTAINER_CREDENTIALS_FULL_URI");
  if (!env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI").empty()) {
    container = "http://169.254.170.2" + env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
  }
  if (!container.empty()) {
    std::vector<std::string> headers;
    if (!env("AWS_CONTAINER_AUTHORIZATION_TOKEN").empty()) headers.push_back("Authorization: " + env("AWS_CONTAINER_AUTHORIZATION_TOKEN"));
    const auto answer = request("GET", container, headers, "", kMetadataTimeoutMs);
    if (answer.status != 200) return R::fail("the ECS container credentials endpoint did not answer: " + answer.error);
    return credentials_from(ayeaye::Json::parse(answer.body, nullptr, false), "the ECS container credentials endpoint");
  }
  const std::string token = imds_token();
  if (token.empty()) {
    return R::fail("no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run on ECS or EC2 with a role");
  }
  const std::vector<std::string> headers = {"X-aws-ec2-metadata-token: " + token};
  const auto roles = request("GET", "http://169.254.169.254/latest/meta-data/iam/security-credentials/", headers, "",
                             kMetadataTimeoutMs);
  if (roles.status != 200 || roles.body.empty()) return R::fail("this EC2 instance has no IAM role");
  const std::string role = roles.body.substr(0, roles.body.find('\n'));
  const auto creds = request("GET", "http://169.254.169.254/latest/meta-data/iam/security-credentials/" + role, headers,
                             "", kMetadataTimeoutMs);
  return credentials_from(ayeaye::Json::parse(creds.body, nullptr, false), "instance metadata");
}

std::string find_region(const std::string& given) {
  if (!given.empty()) return given;
  if (!env("AWS_REGION").empty()) return env("AWS_REGION");
  if (!env("AWS_DEFAULT_REGION").empty()) return env("AWS_DEFAULT_REGION");
  const std::string token = imds_token();
  if (token.empty()) return "";
  const auto region = request("GET", "http://169.254.169.254/latest/meta-data/placement/region",
                              {"X-aws-ec2-metadata-token: " + token}, "", kMetadataTimeoutMs);
  return region.status == 200 ? region.body : "";
}

std::string iso_from_epoch(const ayeaye::Json& value) {
  if (!value.is_number()) return value.is_string() ? value.get<std::string>() : "";
  const std::time_t t = static_cast<std::time_t>(value.get<double>());
  std::tm utc{};
  ::gmtime_r(&t, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

}  // namespace

HttpResult signed_request(const std::string& method, const std::string& url, const std::vector<std::string>& headers,
                          const std::string& body, const AwsCredentials& credentials, const std::string& region,
                          const std::string& service, long timeout_ms) {
  std::vector<std::string> all = headers;
  if (!credentials.token.empty()) all.push_back("X-Amz-Security-Token: " + credentials.token);
  const std::string sigv4 = "aws:amz:" + region + ":" + service;
  const std::string user_password = credentials.key_id + ":" + credentials.secret;
  return request(method, url, all, body, timeout_ms, [&](CURL* curl) {
    curl_easy_setopt(curl, CURLOPT_AWS_SIGV4, sigv4.c_str());
    curl_easy_setopt(curl, CURLOPT_USERPWD, user_password.c_str());
  });
}

std::string task_private_ipv4(const ayeaye::Json& task) {
  for (const auto& attachment : task.value("attachments", ayeaye::Json::array())) {
    if (!attachment.is_object()) continue;
    for (const auto& detail : attachment.value("details", ayeaye::Json::array())) {
      if (detail.is_object() && detail.value("name", "") == "privateIPv4Address" && detail.contains("value") &&
          detail["value"].is_string()) {
        return detail["value"].get<std::string>();
      }
    }
  }
  for (const auto& container : task.value("containers", ayeaye::Json::array())) {
    if (!container.is_object()) continue;
    for (const auto& eni : container.value("networkInterfaces", ayeaye::Json::array())) {
      if (eni.is_object() && eni.contains("privateIpv4Address") && eni["privateIpv4Address"].is_string()) {
        return eni["privateIpv4Address"].get<std::string>();
      }
    }
  }
  return "";
}

ayeaye::Result<std::unique_ptr<EcsDiscovery>> EcsDiscovery::create(const std::string& region, int node_port) {
  using R = ayeaye::Result<std::unique_ptr<EcsDiscovery>>;
  curl_global_init(CURL_GLOBAL_DEFAULT);
  std::unique_ptr<EcsDiscovery> discovery(new EcsDiscovery());
  discovery->region_ = find_region(region);
  if (discovery->region_.empty()) return R::fail("no AWS region: give --region or set AWS_REGION");
  discovery->endpoint_ = !env("AWS_ENDPOINT_URL_ECS").empty() ? env("AWS_ENDPOINT_URL_ECS")
                         : !env("AWS_ENDPOINT_URL").empty()   ? env("AWS_ENDPOINT_URL")
                                                              : "https://ecs." + discovery->region_ + ".amazonaws.com";
  discovery->node_port_ = node_port;
  return discovery;
}

ayeaye::Result<ayeaye::Json> EcsDiscovery::call(const std::string& operation, const ayeaye::Json& body) {
  using R = ayeaye::Result<ayeaye::Json>;
  auto credentials = find_credentials();
  if (!credentials) return R::fail(credentials.error());
  const std::vector<std::string> headers = {"Content-Type: application/x-amz-json-1.1",
                                            "X-Amz-Target: AmazonEC2ContainerServiceV20141113." + operation};
  const auto answer = signed_request("POST", endpoint_ + "/", headers, body.dump(), *credentials, region_, "ecs", kApiTimeoutMs);
  if (!answer.error.empty()) return R::fail("ECS " + operation + " at " + endpoint_ + ": " + answer.error);
  auto json = ayeaye::Json::parse(answer.body, nullptr, /*allow_exceptions=*/false);
  if (answer.status != 200) {
    const std::string message = json.is_object() ? json.value("message", json.value("Message", answer.body)) : answer.body;
    return R::fail("ECS " + operation + " answered HTTP " + std::to_string(answer.status) + ": " + message);
  }
  if (!json.is_object()) return R::fail("ECS " + operation + " answered something that is not JSON");
  return json;
}

ayeaye::Result<std::vector<Cluster>> EcsDiscovery::clusters() {
  using R = ayeaye::Result<std::vector<Cluster>>;
  std::vector<Cluster> clusters;
  ayeaye::Json body = ayeaye::Json::object();
  do {
    auto page = call("ListClusters", body);
    if (!page) return R::fail(page.error());
    for (const auto& arn : page->value("clusterArns", ayeaye::Json::array())) {
      if (!arn.is_string()) continue;
      const std::string text = arn.get<std::string>();
      const auto slash = text.rfind('/');
      clusters.push_back({text, slash == std::string::npos ? text : text.substr(slash + 1), "ACTIVE"});
    }
    body = page->contains("nextToken") && (*page)["nextToken"].is_string() ? ayeaye::Json{{"nextToken", (*page)["nextToken"]}}
                                                                           : ayeaye::Json::object();
  } while (body.contains("nextToken"));
  return clusters;
}

ayeaye::Result<std::vector<ClusterTask>> EcsDiscovery::tasks(const std::string& cluster_arn) {
  using R = ayeaye::Result<std::vector<ClusterTask>>;
  std::vector<std::string> arns;
  ayeaye::Json body = {{"cluster", cluster_arn}};
  while (true) {
    auto page = call("ListTasks", body);
    if (!page) return R::fail(page.error());
    for (const auto& arn : page->value("taskArns", ayeaye::Json::array())) {
      if (arn.is_string()) arns.push_back(arn.get<std::string>());
    }
    if (!page->contains("nextToken") || !(*page)["nextToken"].is_string()) break;
    body["nextToken"] = (*page)["nextToken"];
  }
  std::vector<ClusterTask> tasks;
  constexpr std::size_t kPerCall = 100;  // DescribeTasks takes at most 100 tasks
  for (std::size_t from = 0; from < arns.size(); from += kPerCall) {
    const std::vector<std::string> chunk(arns.begin() + static_cast<long>(from),
                                         arns.begin() + static_cast<long>(std::min(arns.size(), from + kPerCall)));
    auto described = call("DescribeTasks", {{"cluster", cluster_arn}, {"tasks", chunk}});
    if (!described) return R::fail(described.error());
    for (const auto& t : described->value("tasks", ayeaye::Json::array())) {
      if (!t.is_object()) continue;
      ClusterTask task;
      task.task_arn = t.value("taskArn", "");
      task.task_id = task.task_arn.substr(task.task_arn.rfind('/') + 1);
      task.group = t.value("group", "");
      task.status = t.value("lastStatus", "");
      task.started = iso_from_epoch(t.value("startedAt", t.value("createdAt", ayeaye::Json())));
      task.private_ipv4 = task_private_ipv4(t);
      if (!task.private_ipv4.empty()) task.node_address = task.private_ipv4 + ":" + std::to_string(node_port_);
      tasks.push_back(std::move(task));
    }
  }
  return tasks;
}

}  // namespace fossa::gateway
