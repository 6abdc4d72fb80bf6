// The S3 REST protocol as data, without a socket: where a request goes (path-style at a given
// endpoint, for emulators; virtual-hosted at AWS), what an answer means (ListObjectsV2 pages,
// error documents), and when a failed request is worth trying again. s3_client.h moves the bytes.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fossa::aws {

// Where S3 is: `endpoint` from AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL ("" at AWS itself).
struct S3Endpoint {
  std::string region;
  std::string endpoint;

  // The URL of an object (or of the bucket, key ""), with `query` (already in canonical form:
  // names sorted, values encoded) appended after '?'. Path-style when an endpoint is given, and
  // for a bucket whose name has a dot (TLS: S3's certificate covers one label before .s3.);
  // otherwise virtual-hosted, in the region's partition (amazonaws.com.cn in China).
  std::string url(const std::string& bucket, const std::string& key, const std::string& query = "") const;
};

// RFC 3986 percent-encoding as SigV4 wants it: unreserved characters stay; '/' stays when `path`.
std::string uri_encode(std::string_view text, bool path);

// The text of every <tag>...</tag> in an XML answer, entities decoded, in order.
std::vector<std::string> xml_values(std::string_view xml, std::string_view tag);

// A failed S3 answer: its error code (NoSuchKey, AccessDenied, ...) and message. A HEAD answer
// has no body: its code then comes from the status.
struct S3Error {
  std::string code;
  std::string message;
};
S3Error s3_error(long status, std::string_view body);

// One page of ListObjectsV2.
struct ListPage {
  std::vector<std::string> keys;
  std::optional<std::string> next_token;  // set while the listing is truncated
};
ListPage parse_list_page(std::string_view xml);

// Whether a request that failed this way may succeed when tried again: no answer at all (a
// connection refused or reset, a timeout), 500, 502, 503, 504, or 429/SlowDown.
bool is_transient(long status, bool no_answer);

// How long to wait before attempt `attempt` (1 = the first retry): `first` doubled each time,
// at most `cap`. Deterministic, so the schedule is tested; the jitter AWS advises is not needed
// for a handful of workers.
std::chrono::milliseconds backoff(int attempt, std::chrono::milliseconds first = std::chrono::milliseconds(100),
                                  std::chrono::milliseconds cap = std::chrono::milliseconds(5000));

// "bytes 0-8388607/123456789" (Content-Range) -> 123456789.
std::optional<unsigned long long> total_from_content_range(std::string_view content_range);

}  // namespace fossa::aws
