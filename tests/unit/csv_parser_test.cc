// The CSV parser and scanner behind the fast record path, against plain reference rules: random
// records (delimiters, quotes, CR/LF and multi-byte text inside fields) arriving in random small
// pieces, so records are cut at every kind of place; and the writer's quoting read back.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "ayeaye/dataset.h"
#include "csv_parser.h"
#include "csv_scan.h"
#include "unit/dataset_fixture.h"

namespace {

using Records = std::vector<std::vector<std::string>>;

// A ByteSource that hands out its text a few bytes at a time.
class PieceSource : public ayeaye::ByteSource {
 public:
  PieceSource(std::string text, unsigned seed) : text_(std::move(text)), random_(seed) {}
  std::size_t read(char* buffer, std::size_t size) override {
    const std::size_t piece = std::min({size, text_.size() - at_, std::size_t{1} + random_() % 40});
    std::copy_n(text_.data() + at_, piece, buffer);
    at_ += piece;
    return piece;
  }

 private:
  std::string text_;
  std::size_t at_ = 0;
  std::minstd_rand random_;
};

std::string random_field(std::minstd_rand& random) {
  static const std::vector<std::string> kPieces = {"a", "b", "7", ",", "\"", "\n", "\r\n", " ", "é", "x-y", "0123456789abcdefghij"};
  std::string field;
  const std::size_t pieces = random() % 6;
  for (std::size_t i = 0; i < pieces; ++i) field += kPieces[random() % kPieces.size()];
  return field;
}

// RFC 4180 as written: quote a field holding a delimiter, quote or line break (and some others,
// which a reader must accept too); double the quotes inside. `lines`: the line each record starts on.
std::string encode(const Records& records, std::minstd_rand& random, std::vector<std::size_t>& lines) {
  std::string text;
  for (const auto& record : records) {
    lines.push_back(1 + static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')));
    for (std::size_t i = 0; i < record.size(); ++i) {
      if (i > 0) text += ',';
      const std::string& field = record[i];
      if (field.find_first_of(",\"\r\n") == std::string::npos && random() % 4 != 0) {
        text += field;
        continue;
      }
      text += '"';
      for (char c : field) text += c == '"' ? std::string("\"\"") : std::string(1, c);
      text += '"';
    }
    text += random() % 2 == 0 ? "\n" : "\r\n";
  }
  return text;
}

Records parse(const std::string& text, unsigned seed, std::vector<std::size_t>& lines) {
  ayeaye::CsvParser parser(std::make_unique<PieceSource>(text, seed), ',', "random.csv");
  Records records{parser.header()};
  lines.push_back(parser.line());
  ayeaye::Row row;
  while (parser.next(row)) {
    lines.push_back(row.line());
    records.emplace_back();
    for (std::size_t i = 0; i < row.size(); ++i) records.back().emplace_back(row[i]);
  }
  return records;
}

}  // namespace

TEST(CsvParser, RandomRecordsCutIntoRandomPiecesParseToTheirFieldsAndLines) {
  for (unsigned seed = 1; seed <= 300; ++seed) {
    std::minstd_rand random(seed);
    const std::size_t columns = 2 + random() % 4;
    Records records(1 + random() % 20, std::vector<std::string>(columns));
    for (auto& record : records) {
      for (auto& field : record) field = random_field(random);
    }
    std::vector<std::size_t> lines;
    std::vector<std::size_t> lines_read;
    const std::string text = encode(records, random, lines);
    ASSERT_EQ(parse(text, seed, lines_read), records) << "seed " << seed << ", text:\n" << text;
    ASSERT_EQ(lines_read, lines) << "seed " << seed << ", text:\n" << text;
  }
}

// Both the SIMD path (on this machine) and the portable one (elsewhere) agree with the plain rule,
// finding (the parser) and copying (the writer).
TEST(CsvScanner, FindsEachSpecialByteAtEveryPositionAndLength) {
  const ayeaye::CsvScanner scanner('\t');
  auto check = [&](const std::string& text, std::size_t size, const char* expected, const std::string& what) {
    const char* end = text.data() + size;
    EXPECT_EQ(scanner.any(text.data(), size), expected != end) << what;
    EXPECT_EQ(scanner.any_portable(text.data(), size), expected != end) << what;
    EXPECT_EQ(scanner.find_padded(text.data(), end), expected) << what;
    EXPECT_EQ(scanner.find_portable(text.data(), end), expected) << what;
    // The writer's copy: the whole field when it needs no quotes, and never a byte past its end.
    for (const bool portable : {false, true}) {
      std::string out(size + 8, '#');
      const bool found = portable ? scanner.copy_finding_any_portable(text.data(), size, out.data())
                                  : scanner.copy_finding_any(text.data(), size, out.data());
      EXPECT_EQ(found, expected != end) << what << (portable ? " (portable copy)" : " (copy)");
      if (!found) {
        EXPECT_EQ(out.substr(0, size), text.substr(0, size)) << what;
      }
      EXPECT_EQ(out.substr(size), "########") << what;
    }
  };
  for (std::size_t size = 0; size <= 40; ++size) {
    std::string text(size + ayeaye::CsvScanner::kPadding, 'a');
    check(text, size, text.data() + size, "none in " + std::to_string(size));
    for (char special : {'\t', '"', '\r', '\n'}) {
      text[size] = special;  // just past the end: must not count
      check(text, size, text.data() + size, "one just past " + std::to_string(size));
      for (std::size_t at = 0; at < size; ++at) {
        std::string with = text;
        with[at] = special;
        check(with, size, with.data() + at, "at " + std::to_string(at) + " of " + std::to_string(size));
      }
      text[size] = 'a';
    }
  }
  const std::string tabs(40, '\t');
  EXPECT_FALSE(ayeaye::CsvScanner(',').any(tabs.data(), tabs.size()));
  EXPECT_FALSE(ayeaye::CsvScanner(',').any_portable(tabs.data(), tabs.size()));
}

TEST(CsvParser, RandomFieldsWrittenWithAddRowSomeLargerThanItsBufferReadBackTheSame) {
  ayeaye_test::TempDirectory dir;
  ayeaye_test::Owner owner(dir.path());
  std::minstd_rand random(7);
  Records written;
  {
    ayeaye::Dataset out(&owner, "csv://{dir}/random.csv", ayeaye::Access::kWrite, {"a", "b", "c"});
    for (int i = 0; i < 2000; ++i) {
      written.push_back({random_field(random), random_field(random), "end"});
      if (i % 500 == 0) written.back()[1] += std::string(3 << 20, 'x') + "\"";  // beyond the writer's buffer
      out.add_row({written.back()[0], written.back()[1], written.back()[2]});
    }
  }
  ayeaye::Dataset back(&owner, "csv://{dir}/random.csv");
  Records read;
  for (const ayeaye::Row& row : back.rows()) read.push_back({std::string(row[0]), std::string(row[1]), std::string(row[2])});
  EXPECT_EQ(read, written);
}
