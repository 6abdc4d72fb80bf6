// The S3 calls datasets make, each signed by libcurl (aws/signed_request.h) with credentials from the chain
// in aws/credentials.h: ranged GETs (so a reader holds one range, not the object), ListObjectsV2
// (every page), PutObject, and multipart upload (create, parts, complete, abort).
//
// Transient failures (no answer, 5xx, 429) are tried again after backoff(), up to
// S3Settings::attempts in all; then, and for any other failure, the call returns an error naming
// the object as s3://bucket/key and S3's error code: "s3://b/k: NoSuchKey (The specified key does
// not exist.)". Blocking; thread-safe (the prefetching reader calls it from a second thread).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "aws/credentials.h"
#include "aws/s3_protocol.h"
#include "http_client/request.h"
#include "fossa/base/result.h"

namespace fossa::aws {

struct S3Settings {
  S3Endpoint endpoint;
  int attempts = 5;                                  // tries per call, the first included
  std::chrono::milliseconds first_backoff{100};
  long timeout_ms = 120'000;                         // one request, a whole part or range included

  // AWS_REGION (else instance metadata's, else us-east-1) and AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL.
  static S3Settings from(const AwsEnvironment& environment, AwsCredentialProvider& credentials);
};

struct ObjectRange {
  std::string bytes;
  unsigned long long object_size = 0;
};

class S3Client {
 public:
  S3Client(S3Settings settings, std::shared_ptr<AwsCredentialProvider> credentials);
  // The process's client, from its environment (AWS_* variables, read when they change).
  static std::shared_ptr<S3Client> from_environment();

  // Bytes [offset, offset + length) of an object (fewer at its end; none past it).
  Result<ObjectRange> get_range(const std::string& bucket, const std::string& key, unsigned long long offset,
                                        unsigned long long length);
  // Makes a bucket (tests, against an emulator).
  Result<bool> create_bucket(const std::string& bucket);
  // Does the object exist? An error only when S3 cannot say (access refused, no bucket).
  Result<bool> exists(const std::string& bucket, const std::string& key);
  // Every key that starts with `prefix`, in S3's order (UTF-8 binary: sorted), every page.
  Result<std::vector<std::string>> list(const std::string& bucket, const std::string& prefix);
  Result<bool> put(const std::string& bucket, const std::string& key, const std::string& body);

  Result<std::string> create_multipart(const std::string& bucket, const std::string& key);
  // The part's ETag.
  Result<std::string> upload_part(const std::string& bucket, const std::string& key, const std::string& upload_id,
                                          int part_number, const std::string& body);
  Result<bool> complete_multipart(const std::string& bucket, const std::string& key, const std::string& upload_id,
                                          const std::vector<std::string>& etags);
  Result<bool> abort_multipart(const std::string& bucket, const std::string& key, const std::string& upload_id);

  const S3Settings& settings() const { return settings_; }

 private:
  struct Answer {
    long status = 0;
    std::string body;
    std::string headers_etag;
    std::string content_range;
  };
  // One call with retries; `ok` says which statuses are an answer rather than an error.
  Result<Answer> call(const std::string& method, const std::string& bucket, const std::string& key,
                              const std::string& query, const http_client::Headers& headers,
                              const std::string& body, std::initializer_list<long> ok);

  S3Settings settings_;
  std::shared_ptr<AwsCredentialProvider> credentials_;
};

}  // namespace fossa::aws
