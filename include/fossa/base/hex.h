// hex_digit_value(): one hexadecimal digit's value, for every decoder of escaped text (URLs'
// %XX, PostgreSQL's COPY text \xNN and bytea).
#pragma once

namespace fossa {

// 0 to 15, or -1 when `c` is not a hexadecimal digit (either case).
constexpr int hex_digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace fossa
