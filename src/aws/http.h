// HTTP requests to AWS, through libcurl: plain ones (the metadata endpoints that hand
// out credentials and the region) and ones signed with SigV4 by libcurl (CURLOPT_AWS_SIGV4), not
// by hand. Blocking; callable from any thread once curl_global_init has run.
#pragma once

#include <curl/curl.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/credentials.h"

namespace fossa::aws {

struct HttpResult {
  long status = 0;
  std::string body;
  std::string error;  // libcurl's, when the request did not happen
  bool timed_out = false;  // the whole exchange took longer than timeout_ms
  bool too_large = false;  // the answer's body was longer than max_body_bytes (reading stopped there)
  std::string headers;  // the response's header lines, as received

  // A response header's value (name without case), or "".
  std::string header(std::string_view name) const;
};

// One request: method, URL, headers ("Name: value"), body; `extra` may set more libcurl options.
HttpResult http_request(const std::string& method, const std::string& url, const std::vector<std::string>& headers,
                        const std::string& body, long timeout_ms, const std::function<void(CURL*)>& extra = {},
                        std::size_t max_body_bytes = SIZE_MAX);

// One request signed with SigV4 by libcurl for `region` and `service`. An `X-Amz-Date` header,
// when given, is the signing time (libcurl's rule; it lets the test vectors be checked). For "s3"
// the body's SHA-256 goes in x-amz-content-sha256, which S3 requires and this libcurl (7.88)
// does not add; libcurl signs it with the other headers.
HttpResult signed_request(const std::string& method, const std::string& url, const std::vector<std::string>& headers,
                          const std::string& body, const AwsCredentials& credentials, const std::string& region,
                          const std::string& service, long timeout_ms);

}  // namespace fossa::aws
