// The writer's core, CsvText, written both ways it can copy fields — the baseline and the AVX-512
// way a CPU that has it takes (csv_simd.h) — on the same rows: the same bytes, the plain rule's
// bytes, and never a byte read past a field's end (a field right before an unreadable page).
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "csv_simd.h"
#include "csv_text.h"

namespace {

using ayeaye::CsvSimd;
using ayeaye::CsvText;

// The rule, the slow and obvious way (as csv_output_test.cc spells it).
std::string reference_line(const std::vector<std::string>& fields, char delimiter) {
  if (fields.size() == 1 && fields[0].empty()) return "\"\"\n";
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) line += delimiter;
    const std::string& value = fields[i];
    if (value.find_first_of(std::string{delimiter, '"', '\r', '\n'}) == std::string::npos) {
      line += value;
      continue;
    }
    line += '"';
    for (const char c : value) line += c == '"' ? std::string("\"\"") : std::string(1, c);
    line += '"';
  }
  return line + "\n";
}

// The rows written each way; both must be `expected`.
void expect_written_both_ways(const std::vector<std::vector<std::string>>& rows, char delimiter) {
  std::string expected;
  for (const auto& row : rows) expected += reference_line(row, delimiter);
  for (const CsvSimd simd : {CsvSimd::kBaseline, CsvSimd::kAvx512}) {
    CsvText text(delimiter, simd);
    for (const auto& row : rows) {
      const std::vector<std::string_view> views(row.begin(), row.end());
      text.append_row(views);
    }
    ASSERT_EQ(std::string(text.data(), text.size()), expected)
        << (simd == CsvSimd::kBaseline ? "baseline" : ayeaye::csv_avx512_available() ? "AVX-512" : "AVX-512 (not on this CPU)");
  }
}

}  // namespace

// Every length from 0 to 70 (around the wide way's 32-byte step and the baseline's 4-, 8- and 16-byte
// ones) with each special byte at each position, and none.
TEST(CsvText, EveryFieldLengthWithEachSpecialByteAtEachPositionIsWrittenTheSameBothWays) {
  for (const char delimiter : {',', '\t'}) {
    std::vector<std::vector<std::string>> rows;
    for (std::size_t size = 0; size <= 70; ++size) {
      std::string field(size, 'x');
      for (std::size_t i = 0; i < size; ++i) field[i] = static_cast<char>('a' + i % 26);
      rows.push_back({"b", field, "a"});
      rows.push_back({field});
      for (std::size_t at = 0; at < size; ++at) {
        for (const char special : {delimiter, '"', '\r', '\n', delimiter == ',' ? '\t' : ',', '\0'}) {
          std::string with = field;
          with[at] = special;
          rows.push_back({with, "", with});
        }
      }
    }
    expect_written_both_ways(rows, delimiter);
  }
}

TEST(CsvText, RandomRowsOfShortAndLongFieldsAreWrittenTheSameBothWays) {
  std::minstd_rand random(26);
  static const std::vector<std::string> kPieces = {"a", "7", ",", "\"", "\n", "\r", "\t", " ", "é", "São Paulo", std::string(40, 'z')};
  std::vector<std::vector<std::string>> rows;
  for (int i = 0; i < 5000; ++i) {
    std::vector<std::string> row(1 + random() % 6);
    for (auto& field : row) {
      for (std::size_t pieces = random() % 5; pieces > 0; --pieces) field += kPieces[random() % kPieces.size()];
    }
    rows.push_back(std::move(row));
  }
  expect_written_both_ways(rows, ',');
}

// A field that ends where readable memory ends: the wide way's masked load reads only the field's
// own bytes (a load past its end would fault here).
TEST(CsvText, AFieldEndingAtAnUnreadablePageIsReadOnlyToItsEnd) {
  const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  void* const mapped = ::mmap(nullptr, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(mapped, MAP_FAILED);
  char* const memory = static_cast<char*>(mapped);
  ASSERT_EQ(::mprotect(memory + page, page, PROT_NONE), 0);
  char* const end = memory + page;
  for (std::size_t size = 0; size <= 40; ++size) {
    for (std::size_t i = 0; i < size; ++i) end[-1 - static_cast<std::ptrdiff_t>(i)] = static_cast<char>(i == 3 ? ',' : 'a' + i % 26);
    const std::string_view field(end - size, size);
    for (const CsvSimd simd : {CsvSimd::kBaseline, CsvSimd::kAvx512}) {
      CsvText text(',', simd);
      const std::string_view fields[] = {field, field};
      text.append_row(fields);
      const std::string value(field);
      EXPECT_EQ(std::string(text.data(), text.size()), reference_line({value, value}, ',')) << size;
    }
  }
  ::munmap(mapped, 2 * page);
}
