// Numbers as text for the fast record path: a double with a fixed number of decimals, as a model
// writes amounts into a csv row.
//
//   char text[32];
//   const auto [end, error] = ayeaye::fixed_to_chars(text, text + sizeof text, amount * 1.2, 2);
//   summary.add_row({row[name], std::string_view(text, end - text)});
//
// The bytes are those of std::to_chars(first, last, value, std::chars_format::fixed, decimals),
// printf's "%.*f" and Python's "%.2f" % value: the decimal value of the double rounded correctly,
// halves to even, "-" on every negative value (also one that rounds to zero: "-0.00"). About four
// times faster than libstdc++ 12's std::to_chars in the common case — an ordinary value (below 2^52
// once scaled) and 0 to 22 decimals; anything else (huge values, inf, nan, more decimals) is
// std::to_chars's own answer. Thread-safe; no allocation.
#pragma once

#include <charconv>

namespace ayeaye {

// As std::to_chars: on success {end of the text, errc()}; when [first, last) is too small,
// {last, errc::value_too_large} and the contents of [first, last) are unspecified.
std::to_chars_result fixed_to_chars(char* first, char* last, double value, int decimals);

}  // namespace ayeaye
