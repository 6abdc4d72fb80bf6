// A dataset's URL, Aye-Aye's syntax: `[modifier+...]engine://location[;option]`.
//
//   csv:///data/people.csv            a local file (absolute; `csv://rel/x.csv` is relative)
//   gz+ndjson:///data/x.ndjson.gz     compressed with gzip (zlib), or zstd+
//   s3+csv://bucket/key.csv           an S3 object; s3+gz+csv://, s3+zstd+ndjson://, ...
//   s3+gz+csv://bucket/by_station/AGM*.csv.gz   * and ? match within one path part
//
// Modifiers: at most one of s3 (where), and one of gz / zstd (how it is compressed), in any
// order before the engine. Parsing is pure; every error names the URL. Internal.
#pragma once

#include <string>

#include "ayeaye/error.h"

namespace ayeaye {

enum class Compression { kNone, kGzip, kZstd };

struct DatasetUrl {
  std::string url;     // as given (resolved)
  std::string engine;  // csv, tsv, ndjson, json
  bool s3 = false;
  Compression compression = Compression::kNone;
  std::string path;    // a local path; for S3 "bucket/key"
  std::string bucket;  // S3 only
  std::string key;     // S3 only
  int indent = -1;     // json's ;indent=N
  bool wildcard = false;  // * or ? in the path

  // The same URL naming another path (a file a wildcard matched): modifiers and engine kept.
  std::string with_path(const std::string& other_path) const;
};

Result<DatasetUrl> parse_dataset_url(const std::string& url);

}  // namespace ayeaye
