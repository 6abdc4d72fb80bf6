// The exact bytes csv:// and tsv:// datasets write, through add_row() and add(): quoting (RFC 4180,
// quotes doubled, only where a field needs it, as Python's csv module), tricky fields, and every
// field length around the writer's 4-, 8- and 16-byte steps. These pin the output: a faster writer
// must write the same bytes.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ayeaye/dataset.h"
#include "unit/dataset_fixture.h"

namespace {

using ayeaye_test::Owner;
using ayeaye_test::TempDirectory;

// The rule, spelled out the slow and obvious way: quote a field that holds the delimiter, '"',
// '\r' or '\n' (or that is a row's only field and empty), doubling its quotes.
std::string reference_field(const std::string& value, char delimiter) {
  if (value.find_first_of(std::string{delimiter, '"', '\r', '\n'}) == std::string::npos) return value;
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string reference_line(const std::vector<std::string>& fields, char delimiter) {
  if (fields.size() == 1 && fields[0].empty()) return "\"\"\n";
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) line += delimiter;
    line += reference_field(fields[i], delimiter);
  }
  return line + "\n";
}

void add_row(ayeaye::Dataset& out, const std::vector<std::string>& fields) {
  std::vector<std::string_view> views(fields.begin(), fields.end());
  out.add_row(views);
}

}  // namespace

TEST(CsvOutput, TrickyFieldsAreQuotedOnlyWhereNeededWithQuotesDoubled) {
  TempDirectory dir;
  Owner owner(dir.path());
  ayeaye::Dataset out(&owner, "csv://{dir}/out.csv", ayeaye::Access::kWrite, {"a", "b", "c"});
  out.add_row({"plain", "with, comma", ""});
  out.add_row({"say \"hi\"", "\"", "\"\""});
  out.add_row({"two\nlines", "cr\ronly", "crlf\r\n"});
  out.add_row({" lead", "trail ", "  "});
  out.add_row({"Zürich", "São Paulo", "日本語, with a comma"});
  out.add_row({"tab\there", ";semi;", "back\\slash"});
  out.add_row({"1.5", "-0.00", "1e+300"});
  out.add_row({"", "", ""});
  owner.close_datasets();
  EXPECT_EQ(dir.read("out.csv"),
            "a,b,c\n"
            "plain,\"with, comma\",\n"
            "\"say \"\"hi\"\"\",\"\"\"\",\"\"\"\"\"\"\n"
            "\"two\nlines\",\"cr\ronly\",\"crlf\r\n\"\n"
            " lead,trail ,  \n"
            "Zürich,São Paulo,\"日本語, with a comma\"\n"
            "tab\there,;semi;,back\\slash\n"
            "1.5,-0.00,1e+300\n"
            ",,\n");
}

TEST(CsvOutput, TsvQuotesTabsAndLeavesCommasAlone) {
  TempDirectory dir;
  Owner owner(dir.path());
  ayeaye::Dataset out(&owner, "tsv://{dir}/out.tsv", ayeaye::Access::kWrite, {"a", "b"});
  out.add_row({"with, comma", "tab\there"});
  out.add_row({"\"q\"", "line\nbreak"});
  owner.close_datasets();
  EXPECT_EQ(dir.read("out.tsv"), "a\tb\nwith, comma\t\"tab\there\"\n\"\"\"q\"\"\"\t\"line\nbreak\"\n");
}

TEST(CsvOutput, HeaderNamesAreQuotedByTheSameRule) {
  TempDirectory dir;
  Owner owner(dir.path());
  ayeaye::Dataset out(&owner, "csv://{dir}/out.csv", ayeaye::Access::kWrite, {"plain", "with, comma", "say \"x\""});
  out.add_row({"1", "2", "3"});
  owner.close_datasets();
  EXPECT_EQ(dir.read("out.csv"), "plain,\"with, comma\",\"say \"\"x\"\"\"\n1,2,3\n");
}

// A one-column row whose field is empty would be a blank line, which readers (ours and Python's)
// skip: it is written as "" so the row reads back, as Python's csv module writes it.
TEST(CsvOutput, ARowOfOneEmptyFieldIsWrittenQuotedSoItReadsBack) {
  TempDirectory dir;
  Owner owner(dir.path());
  ayeaye::Dataset out(&owner, "csv://{dir}/out.csv", ayeaye::Access::kWrite, {"only"});
  out.add_row({"x"});
  out.add_row({""});
  out.add({{"only", ""}});
  out.add_row({"y"});
  owner.close_datasets();
  EXPECT_EQ(dir.read("out.csv"), "only\nx\n\"\"\n\"\"\ny\n");
  ayeaye::Dataset back(&owner, "csv://{dir}/out.csv");
  std::vector<std::string> values;
  for (const ayeaye::Row& row : back.rows()) values.emplace_back(row[0]);
  EXPECT_EQ(values, (std::vector<std::string>{"x", "", "", "y"}));
}

// Every length from 0 to 70 with each special byte at each position (and none): the writer checks
// and copies fields in 4-, 8- and 16-byte steps with overlapping tails.
TEST(CsvOutput, EveryFieldLengthWithASpecialByteAtEveryPositionIsWrittenExactly) {
  for (const char delimiter : {',', '\t'}) {
    TempDirectory dir;
    Owner owner(dir.path());
    const std::string engine = delimiter == ',' ? "csv" : "tsv";
    ayeaye::Dataset out(&owner, engine + "://{dir}/out", ayeaye::Access::kWrite, {"before", "field", "after"});
    std::string expected = reference_line({"before", "field", "after"}, delimiter);
    for (std::size_t size = 0; size <= 70; ++size) {
      std::string field(size, 'x');
      for (std::size_t i = 0; i < size; ++i) field[i] = static_cast<char>('a' + i % 26);
      std::vector<std::string> fields = {"b", field, "a"};
      add_row(out, fields);
      expected += reference_line(fields, delimiter);
      for (std::size_t at = 0; at < size; ++at) {
        for (const char special : {delimiter, '"', '\r', '\n', delimiter == ',' ? '\t' : ','}) {
          fields[1] = field;
          fields[1][at] = special;
          add_row(out, fields);
          expected += reference_line(fields, delimiter);
        }
      }
    }
    owner.close_datasets();
    EXPECT_EQ(dir.read("out"), expected) << engine;
  }
}

// More than the writer's buffer (1 MiB): lines that straddle a flush arrive whole and in order.
TEST(CsvOutput, OutputLargerThanTheBufferArrivesWholeAndInOrder) {
  TempDirectory dir;
  Owner owner(dir.path());
  ayeaye::Dataset out(&owner, "csv://{dir}/out.csv", ayeaye::Access::kWrite, {"i", "text"});
  std::string expected = "i,text\n";
  const std::string long_text(5000, 'z');
  for (int i = 0; i < 100000; ++i) {
    const std::string number = std::to_string(i);
    const std::string text = i % 7 == 0 ? "with \"quotes\", " + number : i % 1000 == 0 ? long_text : "t" + number;
    add_row(out, {number, text});
    expected += reference_line({number, text}, ',');
  }
  // One field larger than the buffer itself.
  const std::string huge(3 << 20, 'h');
  add_row(out, {"huge", huge + "\"" + huge});
  expected += reference_line({"huge", huge + "\"" + huge}, ',');
  owner.close_datasets();
  EXPECT_EQ(dir.read("out.csv"), expected);
}

TEST(CsvOutput, JsonRecordsWriteStringsAsTheyAreAndOtherValuesAsJsonText) {
  TempDirectory dir;
  Owner owner(dir.path());
  ayeaye::Dataset out(&owner, "csv://{dir}/out.csv", ayeaye::Access::kWrite, {"s", "n", "x"});
  out.add({{"s", "a, \"b\""}, {"n", 3}, {"x", 2.5}});
  out.add({{"s", "plain"}, {"n", -0.0}, {"x", nullptr}});
  out.add({{"s", "1e300"}, {"n", 1e300}, {"x", true}});
  out.add({{"n", 0.1}});
  owner.close_datasets();
  EXPECT_EQ(dir.read("out.csv"),
            "s,n,x\n"
            "\"a, \"\"b\"\"\",3,2.5\n"
            "plain,-0.0,\n"
            "1e300,1e+300,true\n"
            ",0.1,\n");
}
