// Bytes in and out of a dataset, whatever holds them: a local file or an S3 object, plain or
// compressed (gz, zstd). The readers and writers of dataset_io.h parse and format; these only
// move bytes, so each kind of storage and each compression is one small class. Internal.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "dataset_url.h"

namespace ayeaye {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Up to `size` bytes into `buffer`; 0 only at the end. Throws DataError naming the source.
  virtual std::size_t read(char* buffer, std::size_t size) = 0;
};

class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual void write(const char* data, std::size_t size) = 0;
  // The end of this writing: a file is flushed and closed; a compressed stream is finished; an
  // S3 object appears, whole. Throws DataError naming the destination.
  virtual void commit() = 0;
  // Giving up (the model failed): an S3 upload is aborted, so no object appears; a local file
  // keeps what was written, as it always has. Never throws.
  virtual void abandon() noexcept = 0;
};

// `location` is one file or object (no wildcard): the URL's path, or another path it matched.
std::unique_ptr<ByteSource> open_source(const DatasetUrl& url, const std::string& location);
// `append`: local files only (a gz or zstd file then gains a member, which readers continue into).
std::unique_ptr<ByteSink> open_sink(const DatasetUrl& url, const std::string& location, bool append);

// For messages: "s3://bucket/key" or the local path.
std::string describe(const DatasetUrl& url, const std::string& location);

}  // namespace ayeaye
