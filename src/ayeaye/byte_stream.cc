#include "byte_stream.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>
#include <vector>

#include "ayeaye/error.h"
#include "compression.h"
#include "mapped_file.h"
#include "s3_stream.h"

namespace ayeaye {
namespace {

constexpr std::size_t kFileBuffer = 1 << 20;

class FileSource : public ByteSource {
 public:
  explicit FileSource(std::string path) : path_(std::move(path)), fd_(::open(path_.c_str(), O_RDONLY | O_CLOEXEC)) {
    if (fd_ < 0) throw DataError(path_ + ": cannot open for reading (does it exist?)");
  }
  ~FileSource() override {
    mapped_.reset();
    ::close(fd_);
  }

  WholeBytes whole(std::size_t padding) override {
    mapped_ = MappedFile::map(fd_, padding);
    if (!mapped_) return {};
    return {mapped_->bytes(), &mapped_->cut_short()};
  }

  std::size_t read(char* buffer, std::size_t size) override {
    for (;;) {
      const ssize_t got = ::read(fd_, buffer, size);
      if (got >= 0) return static_cast<std::size_t>(got);
      if (errno != EINTR) throw DataError(path_ + ": cannot read: " + std::strerror(errno));
    }
  }

 private:
  std::string path_;
  int fd_;
  std::unique_ptr<MappedFile> mapped_;
};

class FileSink : public ByteSink {
 public:
  FileSink(std::string path, bool append) : path_(std::move(path)) {
    const auto parent = std::filesystem::path(path_).parent_path();
    if (!parent.empty()) {
      std::error_code error;
      std::filesystem::create_directories(parent, error);
      if (error) throw DataError(path_ + ": cannot create its directory: " + error.message());
    }
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), 0644);
    if (fd_ < 0) throw DataError(path_ + ": cannot open for writing: " + std::strerror(errno));
    buffer_.reserve(kFileBuffer);
  }
  ~FileSink() override { abandon(); }

  void write(const char* data, std::size_t size) override {
    if (buffer_.size() + size > kFileBuffer) drain();
    if (size >= kFileBuffer) {
      write_all(data, size);
    } else {
      buffer_.insert(buffer_.end(), data, data + size);
    }
  }
  void commit() override {
    if (fd_ < 0) return;
    drain();
    ::close(std::exchange(fd_, -1));
  }
  void abandon() noexcept override {
    try {
      commit();
    } catch (const std::exception&) {  // a disk that filled up; the model's own error is what counts
      if (fd_ >= 0) ::close(std::exchange(fd_, -1));
    }
  }

 private:
  void drain() {
    write_all(buffer_.data(), buffer_.size());
    buffer_.clear();
  }
  void write_all(const char* data, std::size_t size) {
    while (size > 0) {
      const ssize_t wrote = ::write(fd_, data, size);
      if (wrote < 0 && errno == EINTR) continue;
      if (wrote < 0) throw DataError(path_ + ": cannot write: " + std::strerror(errno));
      data += wrote;
      size -= static_cast<std::size_t>(wrote);
    }
  }

  std::string path_;
  int fd_ = -1;
  std::vector<char> buffer_;
};

}  // namespace

std::string describe(const DatasetUrl& url, const std::string& location) {
  return url.s3 ? "s3://" + location : location;
}

std::unique_ptr<ByteSource> open_source(const DatasetUrl& url, const std::string& location) {
  std::unique_ptr<ByteSource> source;
  if (url.s3) {
    source = open_s3_source(location);
  } else {
    source = std::make_unique<FileSource>(location);
  }
  return decompressing(url.compression, std::move(source), describe(url, location));
}

std::unique_ptr<ByteSink> open_sink(const DatasetUrl& url, const std::string& location, bool append) {
  std::unique_ptr<ByteSink> sink;
  if (url.s3) {
    if (append) {
      throw DataError("s3://" + location + ": an S3 object cannot be appended to; write it whole, once per model run");
    }
    sink = open_s3_sink(location);
  } else {
    sink = std::make_unique<FileSink>(location, append);
  }
  return compressing(url.compression, std::move(sink), describe(url, location));
}

}  // namespace ayeaye
