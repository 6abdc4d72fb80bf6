#include "csv_text.h"

#include <algorithm>
#include <cstring>

namespace ayeaye {

CsvText::CsvText(char delimiter, CsvSimd simd)
    : delimiter_(delimiter), avx512_(csv_use_avx512(simd)), scanner_(delimiter) {}

void CsvText::append_row(std::span<const std::string_view> fields) {
  // The most a row can take: every field quoted with every byte a doubled quote, the delimiters,
  // the line break (and "" for a lone empty field, within the same bound); and the wide way's slack.
  std::size_t bound = fields.size() + 2 + kSlack;
  for (const std::string_view field : fields) bound += 2 * field.size() + 2;
  char* out = room(bound);
  char* const start = out;
  if (fields.size() == 1 && fields[0].empty()) {
    *out++ = '"';
    *out++ = '"';
  } else {
    out = avx512_ ? put_fields_avx512(out, fields) : put_fields(out, fields);
  }
  *out++ = '\n';
  used_ += static_cast<std::size_t>(out - start);
}

char* CsvText::put_fields(char* out, std::span<const std::string_view> fields) const {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) *out++ = delimiter_;
    const std::string_view field = fields[i];
    out = scanner_.copy_finding_any(field.data(), field.size(), out) ? put_quoted(out, field) : out + field.size();
  }
  return out;
}

void CsvText::grow(std::size_t size) { buffer_.resize(std::max(size, 2 * buffer_.size() + 4096)); }

char* CsvText::put_quoted(char* out, std::string_view value) const {
  *out++ = '"';
  out = CsvScanner::copy_doubling_quotes(value.data(), value.size(), out);
  *out++ = '"';
  return out;
}

}  // namespace ayeaye
