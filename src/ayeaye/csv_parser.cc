#include "csv_parser.h"

#include <algorithm>
#include <charconv>
#include <cstring>

#include "ayeaye/error.h"
#include "plain_decimal.h"

namespace ayeaye {
namespace {

// The special bytes (delimiter, quote, CR, LF) of a buffer, found a 64-byte block at a time and
// handed out one by one from the block's bit mask: finding where a field ends costs a few
// instructions whatever its length, and a block read for one record serves the next.
class SpecialBytes {
 public:
  // `data` has CsvScanner::kPadding readable bytes after `end`; the special bytes of
  // [block, block + 64) before `end` are the set bits of `mask` (mask_at()).
  SpecialBytes(const CsvScanner& scanner, const char* data, std::size_t end, std::size_t block, std::uint64_t mask)
      : scanner_(scanner), data_(data), end_(end), block_(block), mask_(mask) {}

  // The position of the first special byte at or after `from`, or `end`. `from` >= the block's
  // start (at least every position next() returned before).
  [[gnu::always_inline]] std::size_t next(std::size_t from) {
    for (;;) {
      if (from - block_ < CsvScanner::kBlockBytes) {
        const std::uint64_t ahead = mask_ & (~std::uint64_t{0} << (from - block_));
        if (ahead != 0) return block_ + static_cast<std::size_t>(__builtin_ctzll(ahead));
        from = block_ + CsvScanner::kBlockBytes;  // none left in this block
      }
      if (from >= end_) return end_;
      block_ = from;
      mask_ = mask_at(scanner_, data_, end_, block_);
    }
  }
  // The special bytes of [block, block + 64) before `end` (a special byte past it is none: the
  // data there is the padding, or data not yet parsed that the next refill moves).
  static std::uint64_t mask_at(const CsvScanner& scanner, const char* data, std::size_t end, std::size_t block) {
    const std::uint64_t mask = scanner.block_mask(data + block);
    return end - block >= CsvScanner::kBlockBytes ? mask : mask & ((std::uint64_t{1} << (end - block)) - 1);
  }
  // Where the walk is, for the next record to go on from.
  void save(std::size_t& block, std::uint64_t& mask) const {
    block = block_;
    mask = mask_;
  }

 private:
  const CsvScanner& scanner_;
  const char* data_;
  std::size_t end_;
  std::size_t block_;
  std::uint64_t mask_;
};

}  // namespace

CsvParser::CsvParser(std::unique_ptr<ByteSource> source, char delimiter, std::string name)
    : source_(std::move(source)),
      delimiter_(delimiter),
      name_(std::move(name)),
      scanner_(delimiter),
      buffer_() {
  if (const WholeBytes whole = source_->whole(CsvScanner::kPadding); whole.bytes.data() != nullptr) {
    mapped_ = whole.bytes.data();
    cut_short_ = whole.cut_short;
    end_ = whole.bytes.size();
    eof_ = true;
  } else {
    buffer_.resize(kBufferBytes + CsvScanner::kPadding);
    refill();
    while (!eof_ && end_ < 3) refill();
  }
  if (end_ - begin_ >= 3 && std::memcmp(data() + begin_, "\xEF\xBB\xBF", 3) == 0) begin_ += 3;
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
  block_valid_ = false;  // its positions and the bytes after the old end_ have changed
  const std::size_t got = source_->read(buffer_.data() + end_, capacity() - end_);
  if (got == 0) eof_ = true;
  end_ += got;
}

// One record from `begin`: its fields into views_, or kNeedMore when the buffer ends inside it
// before the source does (the caller refills and parses the record again from its start, so
// nothing is kept from a try that ran out of data).
CsvParser::Parsed CsvParser::parse_at(std::size_t begin) {
  const char* const data = this->data();
  const std::size_t end = end_;
  if (!block_valid_ || begin < block_) {
    block_ = begin;
    block_mask_ = SpecialBytes::mask_at(scanner_, data, end, begin);
    block_valid_ = true;
  }
  SpecialBytes specials(scanner_, data, end, block_, block_mask_);
  // The fields go straight into views_ (kept in locals here: this loop is the parser's hot path).
  std::string_view* views = views_.data();
  std::size_t count = 0;
  const auto add_field = [&](const char* text, std::size_t size) {
    if (count == views_.size()) {
      views_.resize(views_.size() * 2 + 16);
      views = views_.data();
    }
    views[count++] = std::string_view(text, size);
  };
  std::size_t pos = begin;
  std::size_t lines_inside = 0;  // line breaks inside quoted fields
  bool quoted = false;
  unescaped_.clear();
  for (;;) {  // one field a turn, from `pos`
    if (pos == end) {
      if (!eof_) return Parsed::kNeedMore;
      if (count == 0 && pos == begin) return Parsed::kEnd;
      add_field(data + pos, 0);  // after a final delimiter, or an empty last line
      break;
    }
    char c;  // what ends the field: the delimiter, '\r' or '\n'
    if (data[pos] != '"') {
      const std::size_t at = specials.next(pos);
      if (at == end) {  // the last record has no line break
        if (!eof_) return Parsed::kNeedMore;
        add_field(data + pos, end - pos);
        pos = end;
        break;
      }
      c = data[at];
      if (c == '"') {
        fail(next_line_ + lines_inside, "a quote inside an unquoted field (column " + std::to_string(count + 1) + ")");
      }
      add_field(data + pos, at - pos);
      pos = at;
    } else {
      quoted = true;
      const std::size_t start = pos + 1;
      bool doubled = false;
      std::size_t at = start;  // the closing quote, once found
      for (;;) {
        at = specials.next(at);
        if (at == end) {
          if (!eof_) return Parsed::kNeedMore;
          fail(record_line_ = next_line_, "a quoted field is never closed");
        }
        const char inside = data[at++];
        if (inside == '\n') {
          ++lines_inside;
        } else if (inside == '"') {
          if (at == end && !eof_) return Parsed::kNeedMore;  // is it doubled? the next byte says
          if (at == end || data[at] != '"') break;
          doubled = true;
          ++at;
        }
      }
      if (doubled) unescaped_.push_back({count, start, at - 1 - start});
      add_field(data + start, at - 1 - start);
      pos = at;  // just after the closing quote
      if (pos == end) break;  // the last record has no line break
      c = data[pos];
      if (c != delimiter_ && c != '\r' && c != '\n') {
        fail(next_line_ + lines_inside, "text after a closing quote (column " + std::to_string(count) + ")");
      }
    }
    ++pos;
    if (c == delimiter_) continue;
    if (c == '\r') {
      if (pos == end && !eof_) return Parsed::kNeedMore;
      if (pos < end && data[pos] == '\n') ++pos;
    }
    break;
  }
  // The record is whole: the fields with doubled quotes are undone into scratch_, which no longer
  // moves while their views are in use.
  if (!unescaped_.empty()) {
    std::size_t room = 16;
    for (const Unescaped& field : unescaped_) room += field.size;
    if (scratch_.size() < room) scratch_.resize(room);
    char* out = scratch_.data();
    for (const Unescaped& field : unescaped_) {
      char* const text_end = CsvScanner::undouble_quotes(data + field.offset, field.size, out);
      views[field.field] = std::string_view(out, static_cast<std::size_t>(text_end - out));
      out = text_end;
    }
  }
  specials.save(block_, block_mask_);
  count_ = count;
  blank_line_ = count == 1 && !quoted && views[0].empty();
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
    const bool more = read_record();
    if (cut_short_ != nullptr && cut_short_->load(std::memory_order_acquire)) {
      fail(more ? record_line_ : next_line_, "the file was cut short while it was being read");
    }
    if (!more) return false;
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
