// The CSV parser and scanner behind the fast record path, against plain reference rules: random
// records (delimiters, quotes, CR/LF and multi-byte text inside fields) arriving in random small
// pieces, so records are cut at every kind of place; and the writer's quoting read back.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "ayeaye/dataset.h"
#include "ayeaye/error.h"
#include "csv_parser.h"
#include "csv_scan.h"
#include "unit/csv_reference.h"
#include "unit/dataset_fixture.h"

namespace {

using csv_reference::PieceSource;
using csv_reference::read_by_the_rules;
using csv_reference::read_with_parser;
using csv_reference::Reading;
using csv_reference::Records;

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

// Text that is CSV or nearly: random records written by the rules, long fields among them (so
// quotes and delimiters fall at every offset of the parser's 64-byte blocks), sometimes a BOM,
// then in half the texts a stray quote, delimiter, CR, LF or run of text put anywhere.
std::string random_text(std::minstd_rand& random) {
  const std::size_t columns = 1 + random() % 4;
  Records records(random() % 12, std::vector<std::string>(columns));
  for (auto& record : records) {
    for (auto& field : record) field = random() % 8 == 0 ? std::string(61, 'x') + random_field(random) : random_field(random);
  }
  std::vector<std::size_t> lines;
  std::string text = (random() % 10 == 0 ? "\xEF\xBB\xBF" : "") + encode(records, random, lines);
  static const std::vector<std::string> kStrays = {"\"", "\"", ",", "\n", "\r", "\r\n", "\"\"", "a", std::string(70, 'y')};
  if (random() % 2 == 0) {
    for (std::size_t strays = 1 + random() % 2; strays > 0; --strays) {
      text.insert(random() % (text.size() + 1), kStrays[random() % kStrays.size()]);
    }
  }
  if (random() % 4 == 0 && !text.empty()) text.pop_back();  // the last line without its line break
  return text;
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

// Well-formed or not, in pieces of 1 to 40 bytes (records cut everywhere, refills mid-field) or
// whole: the same rows, lines and error message as the plain rules.
TEST(CsvParser, RandomTextInAnyPiecesReadsAsThePlainRulesSayErrorsIncluded) {
  std::size_t errors = 0;
  for (unsigned seed = 1; seed <= 3000; ++seed) {
    std::minstd_rand random(seed);
    const std::string text = random_text(random);
    const Reading expected = read_by_the_rules(text);
    errors += !expected.error.empty();
    ASSERT_EQ(read_with_parser(text, seed, 40), expected) << "seed " << seed << ", text:\n" << text;
    ASSERT_EQ(read_with_parser(text, seed, 1 << 20), expected) << "seed " << seed << " (whole), text:\n" << text;
  }
  EXPECT_GT(errors, 300u);  // the errors were exercised too
  EXPECT_LT(errors, 2700u);  // and so were whole readings
}

// A quote, delimiter or line break at every offset around the parser's 64-byte blocks, in fields
// before and after it, with the text arriving whole and in pieces.
TEST(CsvParser, SpecialBytesAtEveryBlockOffsetEndFieldsWhereTheyShould) {
  for (std::size_t before = 0; before < 140; ++before) {
    const std::string plain(before, 'p');
    const std::string text = "h1,h2\n" + plain + ",\"q\"\"" + plain + "\"\r\n\"" + plain + "\n\",x\n" + plain + "," + plain;
    const Reading expected{{{"h1", "h2"}, {plain, "q\"" + plain}, {plain + "\n", "x"}, {plain, plain}}, {1, 2, 3, 5}, ""};
    ASSERT_EQ(read_by_the_rules(text), expected) << before;
    for (const std::size_t largest : {std::size_t{1}, std::size_t{7}, std::size_t{64}, std::size_t{1} << 20}) {
      ASSERT_EQ(read_with_parser(text, static_cast<unsigned>(before), largest), expected) << before << " " << largest;
    }
  }
}

// Both the SIMD path (on this machine) and the portable one (elsewhere) agree with the plain rule,
// finding (the parser's block masks) and copying (the writer).
TEST(CsvScanner, FindsEachSpecialByteAtEveryPositionAndLength) {
  const ayeaye::CsvScanner scanner('\t');
  auto check = [&](const std::string& text, std::size_t size, const char* expected, const std::string& what) {
    const char* end = text.data() + size;
    EXPECT_EQ(scanner.any(text.data(), size), expected != end) << what;
    EXPECT_EQ(scanner.any_portable(text.data(), size), expected != end) << what;
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

TEST(CsvScanner, ABlockMaskHasABitForEachSpecialByteOfItsSixtyFourAndNoOther) {
  const ayeaye::CsvScanner scanner(';');
  std::minstd_rand random(3);
  const std::string alphabet = "ab;\"\r\n,\t\xC3\xA9\x80\xFF";  // the specials, and bytes that are not
  for (int round = 0; round < 2000; ++round) {
    std::string text(ayeaye::CsvScanner::kBlockBytes + 1, 'x');
    // Mostly plain text, a few specials; every bit position gets its turn over the rounds.
    for (int i = 0; i < 4; ++i) text[random() % text.size()] = alphabet[random() % alphabet.size()];
    if (round < 64) text[static_cast<std::size_t>(round)] = '"';
    std::uint64_t expected = 0;
    for (std::size_t i = 0; i < ayeaye::CsvScanner::kBlockBytes; ++i) {
      const char c = text[i];
      if (c == ';' || c == '"' || c == '\r' || c == '\n') expected |= std::uint64_t{1} << i;
    }
    ASSERT_EQ(scanner.block_mask(text.data()), expected) << text;
    ASSERT_EQ(scanner.block_mask_portable(text.data()), expected) << text;
  }
}

// Doubling the quotes of a field (the writer) and undoing it (the parser), 16 bytes a step: every
// length to 50 with quotes at one or two places, and runs of quotes; the doubled text undoubles
// back, and the writer writes nothing past its end.
TEST(CsvScanner, QuotesDoubleAndUndoubleAtEveryPositionAndLength) {
  auto check = [](const std::string& field) {
    std::string doubled;
    for (const char c : field) doubled += c == '"' ? std::string("\"\"") : std::string(1, c);
    std::string out(2 * field.size() + 8, '#');
    const char* const end = ayeaye::CsvScanner::copy_doubling_quotes(field.data(), field.size(), out.data());
    const char* const begin = out.data();
    ASSERT_EQ(std::string(begin, end), doubled) << field;
    ASSERT_EQ(out.substr(doubled.size()), std::string(out.size() - doubled.size(), '#')) << field;
    const std::string padded = doubled + std::string(16, '"');  // quotes after the end must not count
    std::string undone(field.size() + 16, '#');
    const char* const undone_end = ayeaye::CsvScanner::undouble_quotes(padded.data(), doubled.size(), undone.data());
    ASSERT_EQ(std::string(static_cast<const char*>(undone.data()), undone_end), field) << doubled;
    std::string portable(field.size(), '#');
    const char* const portable_end = ayeaye::CsvScanner::undouble_quotes_portable(doubled.data(), doubled.size(), portable.data());
    ASSERT_EQ(std::string(static_cast<const char*>(portable.data()), portable_end), field) << doubled;
  };
  for (std::size_t size = 0; size <= 50; ++size) {
    std::string field(size, 'a');
    for (std::size_t i = 0; i < size; ++i) field[i] = static_cast<char>('a' + i % 26);
    check(field);
    check(std::string(size, '"'));
    for (std::size_t at = 0; at < size; ++at) {
      std::string one = field;
      one[at] = '"';
      check(one);
      for (std::size_t second = at + 1; second < size; ++second) {
        std::string two = one;
        two[second] = '"';
        check(two);
      }
    }
  }
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
