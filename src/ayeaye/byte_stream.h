// Bytes in and out of a dataset, whatever holds them: a local file or an S3 object, plain or
// compressed (gz, zstd). The readers and writers of dataset_io.h parse and format; these only
// move bytes, so each kind of storage and each compression is one small class. Internal.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <span>
#include <string>

#include "dataset_url.h"

namespace ayeaye {

// A source's bytes all in memory at once (ByteSource::whole()).
struct WholeBytes {
  std::span<const char> bytes;  // followed by at least the padding asked for, readable
  // Set once the source was found cut short while it is read (its lost bytes then read as zeros).
  const std::atomic<bool>* cut_short = nullptr;
};

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Up to `size` bytes into `buffer`; 0 only at the end. Throws DataError naming the source.
  virtual std::size_t read(char* buffer, std::size_t size) = 0;
  // All of the source in memory without a copy — a local file, mapped (mapped_file.h) — before any
  // read(); or empty bytes (a pipe, S3, a compressed stream, a file that cannot be mapped), and
  // read() it is.
  virtual WholeBytes whole(std::size_t /*padding*/) { return {}; }
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
