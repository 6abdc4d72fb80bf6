// CSV (or TSV) rows formatted into one flat buffer: the writer's pure core, no I/O. The csv writer
// of dataset_io.cc appends rows here and hands the text to its sink about a MiB at a time.
//
// The rule (RFC 4180, as Python's csv module with QUOTE_MINIMAL): a field holding the delimiter,
// '"', '\r' or '\n' is written in quotes with its quotes doubled; every other field as it is —
// spaces, UTF-8, backslashes untouched. A row whose only field is empty is written as "", since
// an empty line would read back as no row at all. Lines end with '\n'.
//
// Why it is fast: one bound on a row's size reserves room once, so fields are copied without a
// check per byte or per field; a field is checked for special bytes while it is copied, 16 bytes
// a step (csv_scan.h); only a field that needs quotes is copied again, 16 bytes a step with its
// quotes doubled on the way (a short one with no quote inside, in two overlapping moves). On a
// CPU with AVX-512 (BW, VL) and BMI2, chosen at run time, a field of up to 32 bytes is loaded,
// checked and copied in one masked step (csv_text_avx512.cc); both ways write the same bytes.
// Not thread-safe: one writer owns it.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "csv_scan.h"
#include "csv_simd.h"

namespace ayeaye {

class CsvText {
 public:
  // `simd`: how fields are copied (csv_simd.h).
  explicit CsvText(char delimiter, CsvSimd simd = CsvSimd::kAuto);

  // One row: the fields, separated by the delimiter and quoted where needed, then '\n'.
  void append_row(std::span<const std::string_view> fields);

  // The rows appended since the last clear().
  const char* data() const { return buffer_.data(); }
  std::size_t size() const { return used_; }
  void clear() { used_ = 0; }

 private:
  // What the wide way may write past a field's bytes (whole 32-byte stores), within the room.
  static constexpr std::size_t kSlack = 64;

  // Room for `size` more bytes after the text; grows the buffer (rarely: it is reused after clear()).
  char* room(std::size_t size) {
    if (used_ + size > buffer_.size()) grow(used_ + size);
    return buffer_.data() + used_;
  }
  void grow(std::size_t size);
  // The fields of a row that is not a lone empty field, separated by the delimiter; the end.
  char* put_fields(char* out, std::span<const std::string_view> fields) const;
  char* put_fields_avx512(char* out, std::span<const std::string_view> fields) const;
  char* put_quoted(char* out, std::string_view value) const;

  char delimiter_;
  bool avx512_;
  CsvScanner scanner_;
  std::vector<char> buffer_;
  std::size_t used_ = 0;
};

}  // namespace ayeaye
