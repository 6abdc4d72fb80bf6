// parse_plain_decimal, Row::number()'s quick way, reads exactly what std::from_chars reads, and
// leaves to it everything that is not a plain decimal within its limits.
#include <gtest/gtest.h>

#include <charconv>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>

#include "plain_decimal.h"

namespace {

// The bits, so -0.0 and 0.0 differ.
std::uint64_t bits(double value) {
  std::uint64_t out;
  std::memcpy(&out, &value, sizeof out);
  return out;
}

// When the quick way answers, it answers what from_chars does (which must then accept the text whole).
void expect_as_from_chars(const std::string& text, bool expect_quick) {
  double quick = 0;
  const bool answered = ayeaye::parse_plain_decimal(text, quick);
  EXPECT_EQ(answered, expect_quick) << "'" << text << "'";
  if (!answered) return;
  double standard = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), standard);
  ASSERT_EQ(error, std::errc()) << text;
  ASSERT_EQ(end, text.data() + text.size()) << text;
  EXPECT_EQ(bits(quick), bits(standard)) << "'" << text << "'";
}

}  // namespace

TEST(PlainDecimal, ReadsWhatFromCharsReads) {
  for (const char* text : {"0", "-0", "0.0", "-0.0", "1", "-1", "42.10", "0.1", "0.3", "123.456", "999.995", "0.5",
                           "2.675", "00012.50", "9007199254740992", "-9007199254740992", "0.0000000000000001",
                           "900719925474099.2", "1234567890123456789"}) {
    expect_as_from_chars(text, std::string(text) != "1234567890123456789");  // that one: digits past 2^53
  }
}

TEST(PlainDecimal, LeavesEverythingElseToFromChars) {
  for (const char* text : {"", "-", ".5", "1.", "+1", "1e5", "1E5", "inf", "nan", "0x10", " 1", "1 ", "1,5", "1.2.3",
                           "--1", "9007199254740993", "12345678901234567890", "0.00000000000000000000001", "1.5x"}) {
    double value = 7;
    EXPECT_FALSE(ayeaye::parse_plain_decimal(text, value)) << "'" << text << "'";
    EXPECT_EQ(value, 7) << "untouched";
  }
}

TEST(PlainDecimal, GeneratedDecimalsMatchFromCharsBitForBit) {
  std::mt19937_64 random(26);
  std::uniform_int_distribution<std::uint64_t> mantissa(0, std::uint64_t{1} << 53);
  std::uniform_int_distribution<int> decimals(0, 19);
  char text[64];
  for (int i = 0; i < 300000; ++i) {
    const std::uint64_t m = mantissa(random) >> (random() % 53);
    const int d = decimals(random);
    std::string digits = std::to_string(m);
    if (d > 0) {
      if (digits.size() <= static_cast<std::size_t>(d)) digits.insert(0, d - digits.size() + 1, '0');
      digits.insert(digits.size() - d, ".");
    }
    std::snprintf(text, sizeof text, "%s%s", i % 3 == 0 ? "-" : "", digits.c_str());
    const std::string s = text;
    const std::size_t count = s.size() - (s[0] == '-') - (d > 0);
    expect_as_from_chars(s, count <= 19);
    if (::testing::Test::HasFailure()) return;
  }
}
