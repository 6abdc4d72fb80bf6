// Requests to AWS signed with SigV4, sent through Fossa's HTTP client (http_client/client.h), which
// has libcurl sign them (CURLOPT_AWS_SIGV4), not our code. Blocking; callable from any thread.
#pragma once

#include <string>

#include "aws/credentials.h"
#include "http_client/client.h"

namespace fossa::aws {

// One request signed for `region` and `service` with `credentials` (their session token, if any,
// goes in X-Amz-Security-Token, and is signed). An `X-Amz-Date` header, when given, is the signing
// time (libcurl's rule; it lets the test vectors be checked). For "s3" the body's SHA-256 goes in
// x-amz-content-sha256, which S3 requires and this libcurl (7.88) does not add; libcurl signs it
// with the other headers.
http_client::Response signed_request(const std::string& method, const std::string& url, http_client::Headers headers,
                                     const std::string& body, const AwsCredentials& credentials,
                                     const std::string& region, const std::string& service, long timeout_ms);

}  // namespace fossa::aws
