#include "dataset_url.h"

#include <cctype>

namespace ayeaye {
namespace {

// S3's rules for a bucket name: 3 to 63 of a-z 0-9 . -, starting and ending with a letter or digit.
bool valid_bucket(const std::string& name) {
  if (name.size() < 3 || name.size() > 63) return false;
  for (char c : name) {
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '-')) {
      return false;
    }
  }
  return std::isalnum(static_cast<unsigned char>(name.front())) && std::isalnum(static_cast<unsigned char>(name.back()));
}

}  // namespace

std::string DatasetUrl::with_path(const std::string& other_path) const {
  return url.substr(0, url.find("://") + 3) + other_path +
         (indent >= 0 ? ";indent=" + std::to_string(indent) : std::string());
}

Result<DatasetUrl> parse_dataset_url(const std::string& url) {
  using R = Result<DatasetUrl>;
  auto fail = [&](const std::string& why) { return R::fail("dataset URL '" + url + "': " + why); };
  DatasetUrl parsed;
  parsed.url = url;
  const auto separator = url.find("://");
  if (separator == std::string::npos) {
    return R::fail("dataset URL '" + url + "' has no engine; write it like csv://path/file.csv");
  }
  // The scheme: modifiers joined by '+', the engine last.
  const std::string scheme = url.substr(0, separator);
  std::size_t start = 0;
  bool compression_given = false;
  for (;;) {
    const auto plus = scheme.find('+', start);
    const std::string part = scheme.substr(start, plus == std::string::npos ? std::string::npos : plus - start);
    if (part.empty()) return fail("an empty part in '" + scheme + "' (modifiers are joined by '+', like s3+gz+csv)");
    if (plus == std::string::npos) {
      parsed.engine = part;
      break;
    }
    if (part == "s3") {
      if (parsed.s3) return fail("s3 is given twice");
      parsed.s3 = true;
    } else if (part == "gz" || part == "zstd") {
      if (compression_given) return fail("more than one compression (gz or zstd, not both)");
      compression_given = true;
      parsed.compression = part == "gz" ? Compression::kGzip : Compression::kZstd;
    } else if (part == "csv" || part == "tsv" || part == "ndjson" || part == "json") {
      return fail("the engine '" + part + "' must come last, after the modifiers");
    } else {
      return fail("unknown modifier '" + part + "' (s3, gz or zstd)");
    }
    start = plus + 1;
  }
  if (parsed.engine != "csv" && parsed.engine != "tsv" && parsed.engine != "ndjson" && parsed.engine != "json") {
    return fail("unknown engine '" + parsed.engine + "' (csv, tsv, ndjson or json)");
  }
  std::string rest = url.substr(separator + 3);
  if (const auto semicolon = rest.find(';'); semicolon != std::string::npos) {
    const std::string options = rest.substr(semicolon + 1);
    rest.resize(semicolon);
    if (options.rfind("indent=", 0) != 0) return fail("unknown option '" + options + "' (only indent=N)");
    try {
      parsed.indent = std::stoi(options.substr(7));
    } catch (const std::exception&) {
      return fail("indent must be a number");
    }
  }
  if (rest.empty()) return R::fail("dataset URL '" + url + "' has no path");
  parsed.path = rest;
  if (parsed.s3) {
    const auto slash = rest.find('/');
    parsed.bucket = rest.substr(0, slash);
    parsed.key = slash == std::string::npos ? "" : rest.substr(slash + 1);
    if (parsed.bucket.empty()) return fail("no bucket; write it like s3+csv://bucket/key.csv");
    if (!valid_bucket(parsed.bucket)) {
      return fail("'" + parsed.bucket + "' is not an S3 bucket name (3 to 63 of a-z, 0-9, '.', '-')");
    }
    if (parsed.key.empty()) return fail("no object key after the bucket; write it like s3+csv://bucket/key.csv");
  }
  const std::string& where = parsed.s3 ? parsed.key : parsed.path;
  parsed.wildcard = where.find_first_of("*?") != std::string::npos;
  return parsed;
}

}  // namespace ayeaye
