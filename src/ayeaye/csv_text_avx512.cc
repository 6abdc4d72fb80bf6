// CsvText's wide way of copying fields, for CPUs with AVX-512 (BW and VL) and BMI2, chosen at run
// time (csv_simd.h; elsewhere this way is never taken). Most fields of real
// data are short: a field of up to 32 bytes is read with one masked load — which touches only the
// field's own bytes, so it never reads past the caller's string — checked for the delimiter,
// '"', '\r' and '\n' with four compares into one bit mask, and stored whole (the row's room has
// CsvText::kSlack bytes to spare). A short field that needs quotes but holds no '"' (the usual
// reason is a delimiter) is stored once more, between its quotes. Longer fields and fields with
// quotes inside go the baseline way. The bytes written are the baseline's: the unit tests write
// the same rows both ways.
#include "csv_text.h"

namespace ayeaye {

#if FOSSA_CSV_AVX512

FOSSA_CSV_AVX512_TARGET char* CsvText::put_fields_avx512(
    char* out, std::span<const std::string_view> fields) const {
  const __m256i delimiter = _mm256_set1_epi8(delimiter_), quote = _mm256_set1_epi8('"'), cr = _mm256_set1_epi8('\r'),
                lf = _mm256_set1_epi8('\n');
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) *out++ = delimiter_;
    const std::string_view field = fields[i];
    const std::size_t size = field.size();
    if (size > 32) {
      out = scanner_.copy_finding_any(field.data(), size, out) ? put_quoted(out, field) : out + size;
      continue;
    }
    const __mmask32 bytes = _bzhi_u32(~0u, static_cast<unsigned>(size));  // all 32 when size is 32
    const __m256i text = _mm256_maskz_loadu_epi8(bytes, field.data());
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), text);
    const __mmask32 quotes = _mm256_mask_cmpeq_epi8_mask(bytes, text, quote);
    const __mmask32 others = _mm256_mask_cmpeq_epi8_mask(bytes, text, delimiter) |
                             _mm256_mask_cmpeq_epi8_mask(bytes, text, cr) | _mm256_mask_cmpeq_epi8_mask(bytes, text, lf);
    if ((quotes | others) == 0) {
      out += size;
    } else if (quotes == 0) {
      *out = '"';
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 1), text);
      out[size + 1] = '"';
      out += size + 2;
    } else {
      out = put_quoted(out, field);
    }
  }
  return out;
}

#else

char* CsvText::put_fields_avx512(char* out, std::span<const std::string_view> fields) const {
  return put_fields(out, fields);
}

#endif

}  // namespace ayeaye
