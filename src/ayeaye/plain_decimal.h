// The quick way to read the commonest numbers in data — "1234", "-0.5", "42.10" — exactly as
// std::from_chars reads them, for Row::number(). Internal.
//
// A plain decimal (an optional '-', digits, optionally '.' and digits; no exponent, no spaces)
// whose digits, the point ignored, make an integer m ≤ 2^53 with at most 22 decimals d is m / 10^d:
// both are exact doubles, so the one division IEEE rounds correctly is the correctly rounded
// value, which is what from_chars gives (Clinger's fast path). Anything else is left to from_chars.
#pragma once

#include <cstdint>
#include <string_view>

namespace ayeaye {

// True, with `value` set, when `text` is such a plain decimal; false (value untouched) otherwise.
inline bool parse_plain_decimal(std::string_view text, double& value) {
  static constexpr double kPowersOfTen[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                            1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  const char* p = text.data();
  const char* const end = p + text.size();
  const bool negative = p != end && *p == '-';
  if (negative) ++p;
  std::uint64_t digits = 0;  // wraps past 19 digits, which are then refused
  const char* const first = p;
  for (; p != end && static_cast<unsigned char>(*p - '0') < 10; ++p) digits = digits * 10 + static_cast<unsigned>(*p - '0');
  if (p == first) return false;  // "", "-", ".5", "inf", ...: from_chars decides
  std::size_t count = static_cast<std::size_t>(p - first);
  std::size_t decimals = 0;
  if (p != end && *p == '.') {
    const char* const fraction = ++p;
    for (; p != end && static_cast<unsigned char>(*p - '0') < 10; ++p) digits = digits * 10 + static_cast<unsigned>(*p - '0');
    decimals = static_cast<std::size_t>(p - fraction);
    if (decimals == 0) return false;  // "1.": from_chars decides
    count += decimals;
  }
  if (p != end || count > 19 || decimals > 22 || digits > (std::uint64_t{1} << 53)) return false;
  const double magnitude = static_cast<double>(digits) / kPowersOfTen[decimals];
  value = negative ? -magnitude : magnitude;
  return true;
}

}  // namespace ayeaye
