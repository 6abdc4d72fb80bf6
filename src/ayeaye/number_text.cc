#include "ayeaye/number_text.h"

#include <cmath>
#include <cstdint>
#include <system_error>

namespace ayeaye {
namespace {

// 10^0 .. 10^22: every one exactly a double.
constexpr double kPowersOfTen[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                   1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
constexpr int kMaxDecimals = 22;
constexpr double kTwoTo52 = 4503599627370496.0;  // from here up, every double is an integer

// |value| * 10^decimals rounded to the nearest integer, halves to even — of the exact product,
// not of its double: for `scaled` = the product rounded to a double (below 2^52),
//  * away from a half, the nearest integer of `scaled` is that of the exact product: both are
//    within half an ulp of each other, and `scaled` is then at least an ulp from the half;
//  * at a half (k + 0.5 exactly), the product's rounding error, which fma gives exactly, says on
//    which side of the half the exact product lies; none means a true tie, which goes to even.
double round_scaled(double magnitude, double scale, double scaled) {
  // Adding and taking away 2^52 rounds to an integer in the current (nearest, ties-to-even) mode.
  double units = (scaled + kTwoTo52) - kTwoTo52;
  const double rest = scaled - units;  // exact
  if (rest == 0.5 || rest == -0.5) {
    const double error = std::fma(magnitude, scale, -scaled);  // magnitude * scale - scaled, exactly
    if (rest == 0.5 && error > 0) units += 1;
    if (rest == -0.5 && error < 0) units -= 1;
  }
  return units;
}

}  // namespace

std::to_chars_result fixed_to_chars(char* first, char* last, double value, int decimals) {
  if (decimals < 0 || decimals > kMaxDecimals || !std::isfinite(value)) {
    return std::to_chars(first, last, value, std::chars_format::fixed, decimals);
  }
  const double magnitude = std::fabs(value);
  const double scale = kPowersOfTen[decimals];
  const double scaled = magnitude * scale;
  if (!(scaled < kTwoTo52)) return std::to_chars(first, last, value, std::chars_format::fixed, decimals);

  const auto units = static_cast<std::uint64_t>(round_scaled(magnitude, scale, scaled));
  // units < 2^52 < 10^16: with more than 15 decimals the whole part is 0 and the fraction is units.
  const std::uint64_t unit = decimals > 15 ? 0 : static_cast<std::uint64_t>(scale);
  const std::uint64_t whole = unit == 0 ? 0 : units / unit;
  const std::uint64_t fraction = unit == 0 ? units : units % unit;

  char* out = first;
  if (std::signbit(value)) {
    if (out == last) return {last, std::errc::value_too_large};
    *out++ = '-';
  }
  const auto [after_whole, error] = std::to_chars(out, last, whole);
  if (error != std::errc()) return {last, std::errc::value_too_large};
  out = after_whole;
  if (decimals == 0) return {out, std::errc()};
  if (last - out < decimals + 1) return {last, std::errc::value_too_large};
  *out++ = '.';
  std::uint64_t rest = fraction;
  for (char* digit = out + decimals - 1; digit >= out; --digit) {
    *digit = static_cast<char>('0' + rest % 10);
    rest /= 10;
  }
  return {out + decimals, std::errc()};
}

}  // namespace ayeaye
