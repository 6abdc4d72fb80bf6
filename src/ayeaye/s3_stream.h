// S3 objects as byte streams, for datasets (s3+ URLs). Internal.
//
// Reading fetches ranges of kS3Range bytes, the next one while the current one is parsed, so a
// reader holds at most two ranges whatever the object's size. Writing buffers kS3Part bytes; an
// object smaller than that is one PutObject, a larger one a multipart upload (a part in flight
// while the next fills). commit() completes the object; abandon() — and destruction without
// commit() — aborts the upload, so a model that fails leaves no object (a process killed outright
// leaves an incomplete upload, which the bucket's lifecycle rule removes after a day).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "byte_stream.h"

namespace ayeaye {

constexpr std::size_t kS3Range = 8 << 20;
constexpr std::size_t kS3Part = 8 << 20;  // S3's minimum part is 5 MiB

// `location` is "bucket/key".
std::unique_ptr<ByteSource> open_s3_source(const std::string& location);
std::unique_ptr<ByteSink> open_s3_sink(const std::string& location);
// Does the object exist? Throws DataError when S3 cannot say.
bool s3_object_exists(const std::string& location);
// "bucket/key" of every object whose key matches `key_pattern` (* and ? within one path part),
// sorted. Lists by the pattern's literal prefix, every page.
std::vector<std::string> s3_matching(const std::string& bucket, const std::string& key_pattern);

}  // namespace ayeaye
