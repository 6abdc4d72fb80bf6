// Which way the CSV writer copies fields: the baseline (SSE2 on every x86-64, words or bytes
// elsewhere: csv_scan.h) or, chosen at run time on a CPU that has them, AVX-512 (BW, VL) and BMI2
// (csv_text_avx512.cc). The build stays baseline x86-64: only functions marked
// FOSSA_CSV_AVX512_TARGET are compiled for AVX-512, and they run only when csv_avx512_available()
// says the CPU can. Both ways write the same bytes; the unit tests run each on the same inputs.
// (The parser stays baseline: an AVX-512 block mask was measured no faster there; bench/RESULTS.md.)
// Internal.
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

}  // namespace ayeaye
