// Which way the CSV parser and writer look at bytes: the baseline (SSE2 on every x86-64, words or
// bytes elsewhere: csv_scan.h) or, chosen at run time on a CPU that has them, AVX-512 (BW, VL) and
// BMI2. The build stays baseline x86-64: only the functions marked FOSSA_CSV_AVX512_TARGET are
// compiled for AVX-512, and they run only when avx512_available() says the CPU can. Both ways give
// the same rows and the same bytes; the unit tests run each on the same inputs. Internal.
#pragma once

#include <cstdint>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define FOSSA_CSV_AVX512 1
#define FOSSA_CSV_AVX512_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,bmi,bmi2")))
#endif

namespace ayeaye {

// kAuto: the fastest way this CPU runs. Tests ask for each way by name.
enum class CsvSimd { kAuto, kBaseline, kAvx512 };

// Whether this CPU (and this build) runs the AVX-512 way.
inline bool csv_avx512_available() {
#if FOSSA_CSV_AVX512
  static const bool available = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                                __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("bmi2");
  return available;
#else
  return false;
#endif
}

// The way to take for `simd`: kAvx512 where it is not available is the baseline.
inline bool csv_use_avx512(CsvSimd simd) { return simd != CsvSimd::kBaseline && csv_avx512_available(); }

#if FOSSA_CSV_AVX512
// Bit i set: p[i] is the delimiter, '"', '\r' or '\n', for i < 64 (reads exactly p[0..63]); as
// CsvScanner::block_mask(), in one load and four compares.
FOSSA_CSV_AVX512_TARGET inline std::uint64_t csv_block_mask_avx512(char delimiter, const char* p) {
  const __m512i text = _mm512_loadu_si512(p);
  return _mm512_cmpeq_epi8_mask(text, _mm512_set1_epi8(delimiter)) | _mm512_cmpeq_epi8_mask(text, _mm512_set1_epi8('"')) |
         _mm512_cmpeq_epi8_mask(text, _mm512_set1_epi8('\r')) | _mm512_cmpeq_epi8_mask(text, _mm512_set1_epi8('\n'));
}
#endif

}  // namespace ayeaye
