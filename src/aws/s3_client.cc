#include "aws/s3_client.h"

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "aws/signed_request.h"

namespace fossa::aws {
namespace {

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

std::string object_name(const std::string& bucket, const std::string& key) { return "s3://" + bucket + "/" + key; }

}  // namespace

S3Settings S3Settings::from(const AwsEnvironment& environment, AwsCredentialProvider& credentials) {
  S3Settings settings;
  settings.endpoint.region = !environment.region.empty() ? environment.region : credentials.region();
  if (settings.endpoint.region.empty()) settings.endpoint.region = "us-east-1";
  settings.endpoint.endpoint = !env("AWS_ENDPOINT_URL_S3").empty() ? env("AWS_ENDPOINT_URL_S3") : env("AWS_ENDPOINT_URL");
  return settings;
}

S3Client::S3Client(S3Settings settings, std::shared_ptr<AwsCredentialProvider> credentials)
    : settings_(std::move(settings)), credentials_(std::move(credentials)) {}

std::shared_ptr<S3Client> S3Client::from_environment() {
  // Made again only when the variables it was made from change (tests point it elsewhere), so the
  // credentials an endpoint gave are kept between datasets.
  static std::mutex mutex;
  static std::shared_ptr<S3Client> client;
  static std::string made_from;
  std::string variables;
  for (const char* name : {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION",
                           "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL",
                           "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                           "AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_EC2_METADATA_SERVICE_ENDPOINT"}) {
    variables += env(name) + '\n';
  }
  std::lock_guard lock(mutex);
  if (!client || variables != made_from) {
    const AwsEnvironment environment = AwsEnvironment::from_process();
    auto credentials = std::make_shared<AwsCredentialProvider>(environment);
    client = std::make_shared<S3Client>(S3Settings::from(environment, *credentials), credentials);
    made_from = std::move(variables);
  }
  return client;
}

Result<S3Client::Answer> S3Client::call(const std::string& method, const std::string& bucket,
                                                const std::string& key, const std::string& query,
                                                const http_client::Headers& headers, const std::string& body,
                                                std::initializer_list<long> ok) {
  using R = Result<Answer>;
  const std::string url = settings_.endpoint.url(bucket, key, query);
  for (int attempt = 1;; ++attempt) {
    auto credentials = credentials_->get();
    if (!credentials) return R::fail(object_name(bucket, key) + ": " + credentials.error());
    const http_client::Response result = signed_request(method, url, headers, body, *credentials, settings_.endpoint.region, "s3",
                                             settings_.timeout_ms);
    const bool no_answer = !result.error.empty();
    if (!no_answer && std::find(ok.begin(), ok.end(), result.status) != ok.end()) {
      return Answer{result.status, result.body, result.header("ETag"), result.header("Content-Range")};
    }
    if (attempt < settings_.attempts && is_transient(result.status, no_answer)) {
      std::this_thread::sleep_for(backoff(attempt, settings_.first_backoff));
      continue;
    }
    const std::string tries = attempt > 1 ? " (after " + std::to_string(attempt) + " attempts)" : "";
    if (no_answer) {
      return R::fail(object_name(bucket, key) + ": S3 at " + url.substr(0, url.find('?')) + " did not answer: " +
                     result.error + tries);
    }
    const S3Error error = s3_error(result.status, result.body);
    std::string text = object_name(bucket, key) + ": " + error.code;
    if (!error.message.empty()) text += " (" + error.message + ")";
    if (error.code == "PermanentRedirect" || error.code == "AuthorizationHeaderMalformed") {
      text += "; is the bucket in another region than " + settings_.endpoint.region + "? set AWS_REGION";
    }
    return R::fail(text + tries);
  }
}

Result<ObjectRange> S3Client::get_range(const std::string& bucket, const std::string& key,
                                                unsigned long long offset, unsigned long long length) {
  using R = Result<ObjectRange>;
  const http_client::Headers range = {{"Range", "bytes=" + std::to_string(offset) + "-" + std::to_string(offset + length - 1)}};
  // 416: the range starts at or past the end (an empty object, or reading on after its end).
  auto answer = call("GET", bucket, key, "", range, "", {200, 206, 416});
  if (!answer) return R::fail(answer.error());
  ObjectRange result;
  if (answer->status == 416) return result;
  if (answer->status == 200) {  // the whole object (a server that ignores Range)
    result.object_size = answer->body.size();
    result.bytes = answer->body.substr(std::min<std::size_t>(offset, answer->body.size()), length);
    return result;
  }
  const auto total = total_from_content_range(answer->content_range);
  if (!total) return R::fail(object_name(bucket, key) + ": S3 gave no size in Content-Range");
  result.object_size = *total;
  result.bytes = std::move(answer->body);
  return result;
}

Result<bool> S3Client::create_bucket(const std::string& bucket) {
  auto answer = call("PUT", bucket, "", "", {}, "", {200});
  if (!answer) return Result<bool>::fail(answer.error());
  return true;
}

Result<bool> S3Client::exists(const std::string& bucket, const std::string& key) {
  auto answer = call("HEAD", bucket, key, "", {}, "", {200, 404});
  if (!answer) return Result<bool>::fail(answer.error());
  return answer->status == 200;
}

Result<std::vector<std::string>> S3Client::list(const std::string& bucket, const std::string& prefix) {
  using R = Result<std::vector<std::string>>;
  std::vector<std::string> keys;
  std::optional<std::string> token;
  do {
    // Query names in canonical (sorted) order: libcurl signs the query as given.
    std::string query;
    if (token) query += "continuation-token=" + uri_encode(*token, false) + "&";
    query += "list-type=2&prefix=" + uri_encode(prefix, false);
    auto answer = call("GET", bucket, "", query, {}, "", {200});
    if (!answer) return R::fail(answer.error());
    ListPage page = parse_list_page(answer->body);
    keys.insert(keys.end(), page.keys.begin(), page.keys.end());
    token = page.next_token;
  } while (token);
  return keys;
}

Result<bool> S3Client::put(const std::string& bucket, const std::string& key, const std::string& body) {
  auto answer = call("PUT", bucket, key, "", {{"Content-Type", "application/octet-stream"}}, body, {200});
  if (!answer) return Result<bool>::fail(answer.error());
  return true;
}

Result<std::string> S3Client::create_multipart(const std::string& bucket, const std::string& key) {
  using R = Result<std::string>;
  auto answer = call("POST", bucket, key, "uploads=", {{"Content-Type", "application/octet-stream"}}, "", {200});
  if (!answer) return R::fail(answer.error());
  const auto ids = xml_values(answer->body, "UploadId");
  if (ids.empty()) return R::fail(object_name(bucket, key) + ": S3 started a multipart upload but gave no UploadId");
  return ids.front();
}

Result<std::string> S3Client::upload_part(const std::string& bucket, const std::string& key,
                                                  const std::string& upload_id, int part_number, const std::string& body) {
  using R = Result<std::string>;
  const std::string query = "partNumber=" + std::to_string(part_number) + "&uploadId=" + uri_encode(upload_id, false);
  auto answer = call("PUT", bucket, key, query, {{"Content-Type", "application/octet-stream"}}, body, {200});
  if (!answer) return R::fail(answer.error());
  if (answer->headers_etag.empty()) return R::fail(object_name(bucket, key) + ": S3 gave no ETag for part " + std::to_string(part_number));
  return answer->headers_etag;
}

Result<bool> S3Client::complete_multipart(const std::string& bucket, const std::string& key,
                                                  const std::string& upload_id, const std::vector<std::string>& etags) {
  std::string xml = "<CompleteMultipartUpload>";
  for (std::size_t i = 0; i < etags.size(); ++i) {
    xml += "<Part><PartNumber>" + std::to_string(i + 1) + "</PartNumber><ETag>" + etags[i] + "</ETag></Part>";
  }
  xml += "</CompleteMultipartUpload>";
  auto answer = call("POST", bucket, key, "uploadId=" + uri_encode(upload_id, false), {{"Content-Type", "application/xml"}},
                     xml, {200});
  if (!answer) return Result<bool>::fail(answer.error());
  // S3 may answer 200 and still fail: the error is then in the body.
  if (answer->body.find("<Error>") != std::string::npos) {
    const S3Error error = s3_error(200, answer->body);
    return Result<bool>::fail(object_name(bucket, key) + ": " + error.code + " (" + error.message + ")");
  }
  return true;
}

Result<bool> S3Client::abort_multipart(const std::string& bucket, const std::string& key,
                                               const std::string& upload_id) {
  auto answer = call("DELETE", bucket, key, "uploadId=" + uri_encode(upload_id, false), {}, "", {204, 200, 404});
  if (!answer) return Result<bool>::fail(answer.error());
  return true;
}

}  // namespace fossa::aws
