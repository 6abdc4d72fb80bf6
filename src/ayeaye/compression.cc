#include "compression.h"

#include <zlib.h>
#include <zstd.h>

#include <utility>
#include <vector>

#include "ayeaye/error.h"

namespace ayeaye {
namespace {

constexpr std::size_t kChunk = 256 * 1024;

class GzipSource : public ByteSource {
 public:
  GzipSource(std::unique_ptr<ByteSource> inner, std::string name) : inner_(std::move(inner)), name_(std::move(name)), in_(kChunk) {
    if (inflateInit2(&stream_, 16 + MAX_WBITS) != Z_OK) throw DataError(name_ + ": cannot start zlib");
  }
  ~GzipSource() override { inflateEnd(&stream_); }

  std::size_t read(char* buffer, std::size_t size) override {
    stream_.next_out = reinterpret_cast<Bytef*>(buffer);
    stream_.avail_out = static_cast<uInt>(size);
    while (stream_.avail_out == size && !done_) {
      if (stream_.avail_in == 0) {
        stream_.avail_in = static_cast<uInt>(inner_->read(in_.data(), in_.size()));
        stream_.next_in = reinterpret_cast<Bytef*>(in_.data());
        if (stream_.avail_in == 0) {
          if (in_member_) throw DataError(name_ + ": the gzip data ends early (truncated?)");
          done_ = true;
          break;
        }
      }
      in_member_ = true;
      const int status = inflate(&stream_, Z_NO_FLUSH);
      if (status == Z_STREAM_END) {
        in_member_ = false;  // another member may follow
        inflateReset(&stream_);
      } else if (status != Z_OK && status != Z_BUF_ERROR) {
        throw DataError(name_ + ": not valid gzip data" + (stream_.msg != nullptr ? std::string(": ") + stream_.msg : ""));
      }
    }
    return size - stream_.avail_out;
  }

 private:
  std::unique_ptr<ByteSource> inner_;
  std::string name_;
  std::vector<char> in_;
  z_stream stream_{};
  bool in_member_ = false;
  bool done_ = false;
};

class GzipSink : public ByteSink {
 public:
  GzipSink(std::unique_ptr<ByteSink> inner, std::string name) : inner_(std::move(inner)), name_(std::move(name)), out_(kChunk) {
    if (deflateInit2(&stream_, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
      throw DataError(name_ + ": cannot start zlib");
    }
  }
  ~GzipSink() override {
    deflateEnd(&stream_);
  }
  void write(const char* data, std::size_t size) override { pump(data, size, Z_NO_FLUSH); }
  void commit() override {
    if (finished_) return;
    finished_ = true;
    pump(nullptr, 0, Z_FINISH);
    inner_->commit();
  }
  // A local file keeps what was written as a whole gzip member; an S3 upload is aborted anyway.
  void abandon() noexcept override {
    try {
      if (!std::exchange(finished_, true)) pump(nullptr, 0, Z_FINISH);
    } catch (const std::exception&) {
    }
    inner_->abandon();
  }

 private:
  void pump(const char* data, std::size_t size, int flush) {
    stream_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data));
    stream_.avail_in = static_cast<uInt>(size);
    for (;;) {
      stream_.next_out = reinterpret_cast<Bytef*>(out_.data());
      stream_.avail_out = static_cast<uInt>(out_.size());
      const int status = deflate(&stream_, flush);
      if (status == Z_STREAM_ERROR) throw DataError(name_ + ": zlib failed to compress");
      inner_->write(out_.data(), out_.size() - stream_.avail_out);
      if (flush == Z_FINISH ? status == Z_STREAM_END : stream_.avail_in == 0 && stream_.avail_out != 0) break;
    }
  }

  std::unique_ptr<ByteSink> inner_;
  std::string name_;
  std::vector<char> out_;
  z_stream stream_{};
  bool finished_ = false;
};

class ZstdSource : public ByteSource {
 public:
  ZstdSource(std::unique_ptr<ByteSource> inner, std::string name)
      : inner_(std::move(inner)), name_(std::move(name)), in_(ZSTD_DStreamInSize()), stream_(ZSTD_createDStream()) {
    if (stream_ == nullptr) throw DataError(name_ + ": cannot start zstd");
  }
  ~ZstdSource() override { ZSTD_freeDStream(stream_); }

  std::size_t read(char* buffer, std::size_t size) override {
    ZSTD_outBuffer out{buffer, size, 0};
    while (out.pos == 0) {
      if (input_.pos == input_.size) {
        const std::size_t got = inner_->read(in_.data(), in_.size());
        if (got == 0) {
          if (pending_ != 0) throw DataError(name_ + ": the zstd data ends early (truncated?)");
          return 0;
        }
        input_ = {in_.data(), got, 0};
      }
      pending_ = ZSTD_decompressStream(stream_, &out, &input_);
      if (ZSTD_isError(pending_)) throw DataError(name_ + ": not valid zstd data: " + ZSTD_getErrorName(pending_));
    }
    return out.pos;
  }

 private:
  std::unique_ptr<ByteSource> inner_;
  std::string name_;
  std::vector<char> in_;
  ZSTD_DStream* stream_;
  ZSTD_inBuffer input_{nullptr, 0, 0};
  std::size_t pending_ = 0;  // 0 between frames
};

class ZstdSink : public ByteSink {
 public:
  ZstdSink(std::unique_ptr<ByteSink> inner, std::string name)
      : inner_(std::move(inner)), name_(std::move(name)), out_(ZSTD_CStreamOutSize()), stream_(ZSTD_createCStream()) {
    if (stream_ == nullptr) throw DataError(name_ + ": cannot start zstd");
    ZSTD_CCtx_setParameter(stream_, ZSTD_c_compressionLevel, 3);
  }
  ~ZstdSink() override { ZSTD_freeCStream(stream_); }
  void write(const char* data, std::size_t size) override {
    ZSTD_inBuffer in{data, size, 0};
    while (in.pos < in.size) pump(in, ZSTD_e_continue);
  }
  void commit() override {
    if (finished_) return;
    finished_ = true;
    ZSTD_inBuffer in{nullptr, 0, 0};
    while (pump(in, ZSTD_e_end) != 0) {
    }
    inner_->commit();
  }
  void abandon() noexcept override {
    try {
      ZSTD_inBuffer in{nullptr, 0, 0};
      if (!std::exchange(finished_, true)) {
        while (pump(in, ZSTD_e_end) != 0) {
        }
      }
    } catch (const std::exception&) {
    }
    inner_->abandon();
  }

 private:
  std::size_t pump(ZSTD_inBuffer& in, ZSTD_EndDirective mode) {
    ZSTD_outBuffer out{out_.data(), out_.size(), 0};
    const std::size_t left = ZSTD_compressStream2(stream_, &out, &in, mode);
    if (ZSTD_isError(left)) throw DataError(name_ + ": zstd failed to compress: " + ZSTD_getErrorName(left));
    inner_->write(out_.data(), out.pos);
    return left;
  }

  std::unique_ptr<ByteSink> inner_;
  std::string name_;
  std::vector<char> out_;
  ZSTD_CStream* stream_;
  bool finished_ = false;
};

}  // namespace

std::unique_ptr<ByteSource> decompressing(Compression compression, std::unique_ptr<ByteSource> inner, std::string name) {
  switch (compression) {
    case Compression::kGzip: return std::make_unique<GzipSource>(std::move(inner), std::move(name));
    case Compression::kZstd: return std::make_unique<ZstdSource>(std::move(inner), std::move(name));
    case Compression::kNone: break;
  }
  return inner;
}

std::unique_ptr<ByteSink> compressing(Compression compression, std::unique_ptr<ByteSink> inner, std::string name) {
  switch (compression) {
    case Compression::kGzip: return std::make_unique<GzipSink>(std::move(inner), std::move(name));
    case Compression::kZstd: return std::make_unique<ZstdSink>(std::move(inner), std::move(name));
    case Compression::kNone: break;
  }
  return inner;
}

}  // namespace ayeaye
