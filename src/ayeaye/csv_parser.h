// The CSV/TSV parser behind both record paths: it reads a ByteSource into a buffer and hands out
// each record as string_views into it (a quoted field with doubled quotes is unescaped into a
// side buffer). RFC 4180: fields quoted with '"', "" inside quotes, quoted fields may span lines,
// \n or \r\n; a UTF-8 BOM at the start is skipped; blank lines are skipped (a line that is just
// "" is a row of one empty field, as the writer writes one). Limits: a record of
// at most kMaxRecordBytes. Every error names file:line. A local file is read in place, mapped
// (ByteSource::whole(), mapped_file.h), with no buffer and no limit on a record; anything else
// through the buffer. Internal.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ayeaye/row.h"
#include "byte_stream.h"
#include "csv_scan.h"

namespace ayeaye {

// Where Rows come from: one parser, or the parsers of several files one after another.
class RowSource {
 public:
  virtual ~RowSource() = default;
  // The next row into `row`; false at the end.
  virtual bool next(Row& row) = 0;
  virtual const std::vector<std::string>& header() const = 0;
  // The file being read and the line the current row starts on.
  virtual const std::string& name() const = 0;
  virtual std::size_t line() const = 0;
  // Where the current row is, for messages: "file:line".
  virtual std::string position() const { return name() + ":" + std::to_string(line()); }

 protected:
  static void point(Row& row, const std::string_view* fields, std::size_t size, const RowSource* source) {
    row.fields_ = fields;
    row.size_ = size;
    row.source_ = source;
  }
};

class CsvParser final : public RowSource {
 public:
  static constexpr std::size_t kBufferBytes = 1 << 20;
  static constexpr std::size_t kMaxRecordBytes = 64 << 20;

  CsvParser(std::unique_ptr<ByteSource> source, char delimiter, std::string name);

  bool next(Row& row) override;
  const std::vector<std::string>& header() const override { return header_; }
  const std::string& name() const override { return name_; }
  std::size_t line() const override { return record_line_; }

  // The current record's fields (after next()).
  std::span<const std::string_view> fields() const { return {views_.data(), count_}; }

 private:
  enum class Parsed { kRecord, kEnd, kNeedMore };
  // A quoted field with doubled quotes: its text (between the quotes) is buffer_[offset, offset + size).
  struct Unescaped {
    std::size_t field;
    std::size_t offset;
    std::size_t size;
  };
  bool read_record();  // the next record's fields, blank lines included; false at the end
  Parsed parse_at(std::size_t begin);
  void refill();
  std::size_t capacity() const { return buffer_.size() - CsvScanner::kPadding; }
  const char* data() const { return mapped_ != nullptr ? mapped_ : buffer_.data(); }
  [[noreturn]] void fail(std::size_t line, const std::string& what) const;

  std::unique_ptr<ByteSource> source_;
  char delimiter_;
  std::string name_;
  CsvScanner scanner_;
  std::vector<char> buffer_;  // capacity() bytes of data, then the scanner's padding
  // The whole file in memory, when the source offers it (then no buffer_ and no refill), and the
  // flag set if the file is cut short meanwhile.
  const char* mapped_ = nullptr;
  const std::atomic<bool>* cut_short_ = nullptr;
  std::size_t begin_ = 0;     // the unparsed data is data()[begin_, end_)
  std::size_t end_ = 0;
  bool eof_ = false;
  // The block scan's place, kept from one record to the next until a refill moves the data.
  std::size_t block_ = 0;
  std::uint64_t block_mask_ = 0;
  bool block_valid_ = false;
  std::vector<Unescaped> unescaped_;
  std::vector<char> scratch_;  // the text of the current record's unescaped_ fields
  std::vector<std::string_view> views_;  // the current record's fields are the first count_
  std::size_t count_ = 0;
  bool blank_line_ = false;  // the current record is an empty line (not even "")
  std::vector<std::string> header_;
  std::size_t next_line_ = 1;
  std::size_t record_line_ = 0;
};

}  // namespace ayeaye
