// libFuzzer target: any bytes as a CSV file, read by the parser behind the fast record path
// (src/ayeaye/csv_parser.h) with its input arriving in pieces of a size the first byte chooses
// (a byte or two at a time up to whole), against the parser's rules written out plainly
// (tests/unit/csv_reference.h). Any difference in rows, lines or error message is a finding; so is
// a crash, a read outside the buffer and its padding (ASan), or a hang.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "../unit/csv_reference.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t largest_piece = data[0] < 128 ? std::size_t{1} + data[0] % 64 : std::size_t{1} << 20;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (csv_reference::read_with_parser(text, data[0], largest_piece) != csv_reference::read_by_the_rules(text)) std::abort();
  return 0;
}
