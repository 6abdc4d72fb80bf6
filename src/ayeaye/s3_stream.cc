#include "s3_stream.h"

#include <algorithm>
#include <cstring>
#include <future>

#include "aws/s3_client.h"
#include "ayeaye/error.h"
#include "wildcard.h"

namespace ayeaye {
namespace {

using fossa::aws::S3Client;

std::pair<std::string, std::string> split(const std::string& location) {
  const auto slash = location.find('/');
  return {location.substr(0, slash), slash == std::string::npos ? "" : location.substr(slash + 1)};
}

template <class T>
T value_or_throw(Result<T> result) {
  if (!result) throw DataError(result.error());
  return std::move(result).value();
}

class S3Source : public ByteSource {
 public:
  explicit S3Source(const std::string& location) : client_(S3Client::from_environment()) {
    std::tie(bucket_, key_) = split(location);
    auto first = value_or_throw(client_->get_range(bucket_, key_, 0, kS3Range));
    size_ = first.object_size;
    current_ = std::move(first.bytes);
    next_offset_ = current_.size();
    prefetch();
  }
  ~S3Source() override {
    if (next_.valid()) next_.wait();
  }

  std::size_t read(char* buffer, std::size_t size) override {
    if (position_ == current_.size()) {
      if (!next_.valid()) return 0;
      current_ = value_or_throw(next_.get()).bytes;
      position_ = 0;
      next_offset_ += current_.size();
      if (current_.empty()) return 0;
      prefetch();
    }
    const std::size_t n = std::min(size, current_.size() - position_);
    std::memcpy(buffer, current_.data() + position_, n);
    position_ += n;
    return n;
  }

 private:
  void prefetch() {
    if (next_offset_ >= size_) return;
    next_ = std::async(std::launch::async, [client = client_, bucket = bucket_, key = key_, offset = next_offset_] {
      return client->get_range(bucket, key, offset, kS3Range);
    });
  }

  std::shared_ptr<S3Client> client_;
  std::string bucket_;
  std::string key_;
  unsigned long long size_ = 0;
  unsigned long long next_offset_ = 0;
  std::string current_;
  std::size_t position_ = 0;
  std::future<Result<fossa::aws::ObjectRange>> next_;
};

class S3Sink : public ByteSink {
 public:
  explicit S3Sink(const std::string& location) : client_(S3Client::from_environment()) {
    std::tie(bucket_, key_) = split(location);
    buffer_.reserve(kS3Part);
  }
  ~S3Sink() override { abandon(); }

  void write(const char* data, std::size_t size) override {
    while (size > 0) {
      const std::size_t n = std::min(size, kS3Part - buffer_.size());
      buffer_.append(data, n);
      data += n;
      size -= n;
      if (buffer_.size() == kS3Part) send_part();
    }
  }

  void commit() override {
    if (done_) return;
    done_ = true;
    if (upload_id_.empty()) {
      value_or_throw(client_->put(bucket_, key_, buffer_));
      return;
    }
    try {
      if (!buffer_.empty()) send_part();
      collect_part();
      value_or_throw(client_->complete_multipart(bucket_, key_, upload_id_, etags_));
    } catch (...) {
      abort_upload();
      throw;
    }
  }

  void abandon() noexcept override {
    if (done_) return;
    done_ = true;
    abort_upload();
  }

 private:
  // Starts uploading the buffer as the next part, once the previous part has gone.
  void send_part() {
    if (upload_id_.empty()) upload_id_ = value_or_throw(client_->create_multipart(bucket_, key_));
    collect_part();
    in_flight_ = std::async(std::launch::async, [this, part = std::move(buffer_), number = static_cast<int>(etags_.size()) + 1] {
      return client_->upload_part(bucket_, key_, upload_id_, number, part);
    });
    buffer_ = std::string();
    buffer_.reserve(kS3Part);
  }
  void collect_part() {
    if (in_flight_.valid()) etags_.push_back(value_or_throw(in_flight_.get()));
  }
  void abort_upload() noexcept {
    if (in_flight_.valid()) in_flight_.wait();
    if (!upload_id_.empty()) (void)client_->abort_multipart(bucket_, key_, upload_id_);
  }

  std::shared_ptr<S3Client> client_;
  std::string bucket_;
  std::string key_;
  std::string buffer_;
  std::string upload_id_;
  std::vector<std::string> etags_;
  std::future<Result<std::string>> in_flight_;
  bool done_ = false;
};

}  // namespace

std::unique_ptr<ByteSource> open_s3_source(const std::string& location) { return std::make_unique<S3Source>(location); }

std::unique_ptr<ByteSink> open_s3_sink(const std::string& location) { return std::make_unique<S3Sink>(location); }

bool s3_object_exists(const std::string& location) {
  const auto [bucket, key] = split(location);
  return value_or_throw(S3Client::from_environment()->exists(bucket, key));
}

std::vector<std::string> s3_matching(const std::string& bucket, const std::string& key_pattern) {
  const std::string prefix = key_pattern.substr(0, key_pattern.find_first_of("*?"));
  std::vector<std::string> matches;
  for (const auto& key : value_or_throw(S3Client::from_environment()->list(bucket, prefix))) {
    if (wildcard_match(key_pattern, key)) matches.push_back(bucket + "/" + key);
  }
  std::sort(matches.begin(), matches.end());
  return matches;
}

}  // namespace ayeaye
