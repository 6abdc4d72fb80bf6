// ayeaye::fixed_to_chars writes exactly what std::to_chars(..., chars_format::fixed, decimals)
// writes (and printf's "%.*f", and Python's "%.2f"): checked value by value against it on the
// values where rounding is delicate (true ties, near ties, the edges of the fast path) and on
// many generated ones, with a fixed seed.
#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <string>

#include "ayeaye/number_text.h"

namespace {

std::string standard(double value, int decimals) {
  char text[400];
  const auto [end, error] = std::to_chars(text, text + sizeof text, value, std::chars_format::fixed, decimals);
  return error == std::errc() ? std::string(text, end) : "(error)";
}

std::string ours(double value, int decimals) {
  char text[400];
  const auto [end, error] = ayeaye::fixed_to_chars(text, text + sizeof text, value, decimals);
  return error == std::errc() ? std::string(text, end) : "(error)";
}

// A failure names the value exactly (hex float) so it can be reproduced.
std::string described(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%a with %d decimals", value, decimals);
  return text;
}

}  // namespace

TEST(FixedToChars, WritesWhatToCharsWritesForEveryDecimalCount) {
  const double values[] = {0.0,  -0.0,   1.0,     -1.0,       0.5,   1.5,     2.5,        -2.5,    0.125,   0.375,
                           1.005, 2.675, 1.115,   0.285,      1e-7,  -1e-7,   0.001,      -0.001,  123.456, 999.995,
                           1e15, 1e16,  4503599627370495.5, 4503599627370496.0, 9007199254740993.0, 1e22, 1e23,
                           1e300, DBL_MAX, DBL_MIN, 4.9e-324, std::nextafter(0.5, 1.0), std::nextafter(0.5, 0.0),
                           std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
                           std::numeric_limits<double>::quiet_NaN()};
  for (const double value : values) {
    for (int decimals = -1; decimals <= 30; ++decimals) {
      EXPECT_EQ(ours(value, decimals), standard(value, decimals)) << described(value, decimals);
    }
  }
}

// k / 2^n is exact in binary, so some of them times 10^decimals are exactly halves: true ties,
// rounded to even. Their neighbours one ulp away are not ties and round away from them.
TEST(FixedToChars, TrueTiesGoToEvenAndTheirNeighboursDoNot) {
  for (int n = 1; n <= 12; ++n) {
    for (int k = 1; k < 4000; k += 2) {
      const double tie = std::ldexp(k, -n);
      for (const double value : {tie, -tie, std::nextafter(tie, 0.0), std::nextafter(tie, 1e9)}) {
        for (int decimals = 0; decimals <= 12; ++decimals) {
          ASSERT_EQ(ours(value, decimals), standard(value, decimals)) << described(value, decimals);
        }
      }
    }
  }
}

TEST(FixedToChars, GeneratedValuesOfEveryMagnitudeMatch) {
  std::mt19937_64 random(20261207);
  std::uniform_real_distribution<double> amount(0, 1000);
  std::uniform_int_distribution<long long> cents(-100000000, 100000000);
  std::uniform_int_distribution<int> decimal_count(0, 22);
  std::uniform_int_distribution<int> exponent(-60, 80);
  for (int i = 0; i < 300000; ++i) {
    const double money = amount(random) * 1.2;  // the benchmark's transform
    ASSERT_EQ(ours(money, 2), standard(money, 2)) << described(money, 2);
    const double from_cents = static_cast<double>(cents(random)) / 100;
    ASSERT_EQ(ours(from_cents, 2), standard(from_cents, 2)) << described(from_cents, 2);
    const double any = std::ldexp(amount(random) / 1000, exponent(random)) * (i % 2 ? -1 : 1);
    const int decimals = decimal_count(random);
    ASSERT_EQ(ours(any, decimals), standard(any, decimals)) << described(any, decimals);
  }
}

TEST(FixedToChars, ABufferTooSmallIsValueTooLargeAtLast) {
  char text[16];
  for (const double value : {-1234.5678, 0.0, 1e300}) {
    const std::string whole = standard(value, 3);
    for (std::size_t size = 0; size < std::min(whole.size(), sizeof text); ++size) {
      const auto [end, error] = ayeaye::fixed_to_chars(text, text + size, value, 3);
      EXPECT_EQ(error, std::errc::value_too_large) << value << " in " << size;
      EXPECT_EQ(end, text + size);
    }
  }
  const auto [end, error] = ayeaye::fixed_to_chars(text, text + 9, -1234.5678, 3);
  ASSERT_EQ(error, std::errc());
  EXPECT_EQ(std::string(text, end), "-1234.568");
}
