#include "csv_parser.h"

#include <charconv>
#include <cstring>

#include "ayeaye/error.h"
#include "plain_decimal.h"

namespace ayeaye {
namespace {

std::size_t count_line_breaks(const char* p, const char* end) {
  std::size_t count = 0;
  while ((p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)))) != nullptr) {
    ++count;
    ++p;
  }
  return count;
}

}  // namespace

CsvParser::CsvParser(std::unique_ptr<ByteSource> source, char delimiter, std::string name)
    : source_(std::move(source)),
      delimiter_(delimiter),
      name_(std::move(name)),
      scanner_(delimiter),
      buffer_(kBufferBytes + CsvScanner::kPadding) {
  refill();
  while (!eof_ && end_ < 3) refill();
  if (end_ - begin_ >= 3 && std::memcmp(buffer_.data() + begin_, "\xEF\xBB\xBF", 3) == 0) begin_ += 3;
  if (!read_record()) return;  // an empty file has no header and no records
  header_.assign(views_.begin(), views_.begin() + static_cast<std::ptrdiff_t>(count_));
}

void CsvParser::fail(std::size_t line, const std::string& what) const {
  throw DataError(name_ + ":" + std::to_string(line) + ": " + what);
}

void CsvParser::refill() {
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == capacity()) {
    if (capacity() >= kMaxRecordBytes) {
      fail(next_line_, "a record longer than " + std::to_string(kMaxRecordBytes >> 20) + " MiB (an unclosed quote?)");
    }
    buffer_.resize(capacity() * 2 + CsvScanner::kPadding);
  }
  const std::size_t got = source_->read(buffer_.data() + end_, capacity() - end_);
  if (got == 0) eof_ = true;
  end_ += got;
}

// One record from `begin`: its fields into views_, or kNeedMore when the buffer ends inside it
// before the source does (the caller refills and parses the record again from its start).
CsvParser::Parsed CsvParser::parse_at(std::size_t begin) {
  const char* const data = buffer_.data();
  std::size_t pos = begin;
  std::size_t lines_inside = 0;  // line breaks inside quoted fields
  bool quoted = false;
  count_ = 0;
  scratch_.clear();
  unescaped_.clear();
  for (;;) {
    if (pos == end_) {
      if (!eof_) return Parsed::kNeedMore;
      if (count_ == 0 && pos == begin) return Parsed::kEnd;
      add_field(data + pos, 0);  // after a final delimiter, or an empty last line
      break;
    }
    if (data[pos] == '"') {
      quoted = true;
      const std::size_t start = ++pos;
      std::size_t piece = start;  // with doubled quotes: the text not yet copied to scratch_
      std::size_t offset = std::string::npos;
      for (;;) {
        const void* quote = std::memchr(data + pos, '"', end_ - pos);
        if (quote == nullptr) {
          if (!eof_) return Parsed::kNeedMore;
          fail(record_line_ = next_line_, "a quoted field is never closed");
        }
        const std::size_t at = static_cast<const char*>(quote) - data;
        lines_inside += count_line_breaks(data + pos, data + at);
        if (at + 1 == end_ && !eof_) return Parsed::kNeedMore;
        pos = at + 1;
        if (at + 1 < end_ && data[at + 1] == '"') {  // a doubled quote: keep one
          if (offset == std::string::npos) offset = scratch_.size();
          scratch_.append(data + piece, at + 1 - piece);
          piece = ++pos;
          continue;
        }
        if (offset == std::string::npos) {
          add_field(data + start, at - start);
        } else {
          scratch_.append(data + piece, at - piece);
          unescaped_.push_back({count_, offset, scratch_.size() - offset});
          add_field(nullptr, 0);
        }
        break;
      }
      if (pos < end_ && data[pos] != delimiter_ && data[pos] != '\r' && data[pos] != '\n') {
        fail(next_line_ + lines_inside, "text after a closing quote (column " + std::to_string(count_) + ")");
      }
    } else {
      const std::size_t start = pos;
      pos = static_cast<std::size_t>(scanner_.find_padded(data + pos, data + end_) - data);
      if (pos == end_ && !eof_) return Parsed::kNeedMore;
      if (pos < end_ && data[pos] == '"') {
        fail(next_line_ + lines_inside, "a quote inside an unquoted field (column " + std::to_string(count_ + 1) + ")");
      }
      add_field(data + start, pos - start);
    }
    if (pos == end_) break;  // the last record has no line break
    const char c = data[pos];
    if (c == delimiter_) {
      ++pos;
      continue;
    }
    if (c == '\r') {
      if (pos + 1 == end_ && !eof_) return Parsed::kNeedMore;
      if (pos + 1 < end_ && data[pos + 1] == '\n') ++pos;
    }
    ++pos;
    break;
  }
  for (const Unescaped& field : unescaped_) views_[field.field] = std::string_view(scratch_.data() + field.offset, field.size);
  blank_line_ = count_ == 1 && !quoted && views_[0].empty();
  record_line_ = next_line_;
  next_line_ += 1 + lines_inside;
  begin_ = pos;
  return Parsed::kRecord;
}

bool CsvParser::read_record() {
  for (;;) {
    const Parsed parsed = parse_at(begin_);
    if (parsed == Parsed::kRecord) return true;
    if (parsed == Parsed::kEnd) return false;
    refill();
  }
}

bool CsvParser::next(Row& row) {
  for (;;) {
    if (!read_record()) return false;
    if (!blank_line_) break;
  }
  if (count_ != header_.size()) {
    fail(record_line_, std::to_string(count_) + " fields, but the header has " + std::to_string(header_.size()));
  }
  point(row, views_.data(), count_, this);
  return true;
}

// --- Row and Rows, the public face ---

std::size_t Row::line() const { return source_->line(); }

std::string Row::where(std::size_t column) const {
  std::string text = source_->position() + ": column " + std::to_string(column + 1);
  if (column < source_->header().size()) text += " (" + source_->header()[column] + ")";
  return text;
}

void Row::throw_no_column(std::size_t column) const {
  throw DataError(where(column) + ": no such column; the header has " + std::to_string(size_));
}

long long Row::integer(std::size_t column) const {
  const std::string_view text = (*this)[column];
  if (text.data() == nullptr) throw DataError(where(column) + ": NULL is not an integer");
  long long value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
    throw DataError(where(column) + ": '" + std::string(text) + "' is not an integer");
  }
  return value;
}

double Row::number(std::size_t column) const {
  const std::string_view text = (*this)[column];
  if (text.data() == nullptr) throw DataError(where(column) + ": NULL is not a number");
  double value = 0;
  if (parse_plain_decimal(text, value)) return value;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
    throw DataError(where(column) + ": '" + std::string(text) + "' is not a number");
  }
  return value;
}

bool Row::boolean(std::size_t column) const {
  const std::string_view text = (*this)[column];
  if (text.data() == nullptr) throw DataError(where(column) + ": NULL is not a boolean");
  if (text == "t" || text == "true" || text == "1") return true;
  if (text == "f" || text == "false" || text == "0") return false;
  throw DataError(where(column) + ": '" + std::string(text) + "' is not a boolean (t, true, 1, f, false or 0)");
}

std::size_t Rows::column(std::string_view name) const {
  const auto& header = source_->header();
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return i;
  }
  std::string names;
  for (const auto& field : header) names += (names.empty() ? "" : ", ") + field;
  throw DataError(source_->name() + ": no column '" + std::string(name) + "' in the header (" + names + ")");
}

std::size_t Rows::column_count() const { return source_->header().size(); }

Rows::Iterator::Iterator(RowSource* source) : source_(source) { ++*this; }

Rows::Iterator& Rows::Iterator::operator++() {
  if (source_ != nullptr && !source_->next(row_)) source_ = nullptr;
  return *this;
}

}  // namespace ayeaye
