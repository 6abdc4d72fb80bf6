// The fast record path (rows as views, add_row), compressed files and wildcards over local files.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "ayeaye/dataset.h"
#include "unit/dataset_fixture.h"
#include "wildcard.h"

namespace {

using ayeaye_test::Owner;
using ayeaye_test::TempDirectory;

std::string data_error(const std::function<void()>& action) {
  try {
    action();
  } catch (const ayeaye::DataError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST(Rows, FieldsByIndexAndByHeaderNameWithQuotingAcrossLines) {
  TempDirectory dir;
  Owner owner(dir.path());
  dir.file("people.csv", "\xEF\xBB\xBFname,note,amount\r\nAda,\"says \"\"hi\"\"\",1.5\r\n\r\n\"Bob\",\"two\nlines\",-2\r\n");
  ayeaye::Dataset people(&owner, "csv://{dir}/people.csv");
  ayeaye::Rows rows = people.rows();
  const std::size_t name = rows.column("name");
  const std::size_t note = rows.column("note");
  const std::size_t amount = rows.column("amount");
  std::vector<std::string> seen;
  for (const ayeaye::Row& row : rows) {
    seen.push_back(std::string(row[name]) + "|" + std::string(row[note]) + "|" + std::to_string(row.number(amount)) +
                   "@" + std::to_string(row.line()));
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"Ada|says \"hi\"|1.500000@2", "Bob|two\nlines|-2.000000@4"}));
}

TEST(Rows, TypedGettersAndUnknownColumnsNameFileLineAndColumn) {
  TempDirectory dir;
  Owner owner(dir.path());
  const std::string path = dir.file("n.csv", "id,amount\n1,2.5\nx,3\n");
  ayeaye::Dataset numbers(&owner, "csv://{dir}/n.csv");
  EXPECT_EQ(data_error([&] { numbers.rows().column("price"); }), path + ": no column 'price' in the header (id, amount)");
  EXPECT_EQ(data_error([&] {
              for (const ayeaye::Row& row : numbers.rows()) (void)row.integer(0);
            }),
            path + ":3: column 1 (id): 'x' is not an integer");
  EXPECT_EQ(data_error([&] {
              for (const ayeaye::Row& row : numbers.rows()) (void)row.integer(1);
            }),
            path + ":2: column 2 (amount): '2.5' is not an integer");
  EXPECT_EQ(data_error([&] {
              for (const ayeaye::Row& row : numbers.rows()) (void)row[2];
            }),
            path + ":2: column 3: no such column; the header has 2");
}

TEST(Rows, AddRowWritesFieldsQuotedWhereNeededAndReadsBack) {
  TempDirectory dir;
  Owner owner(dir.path());
  ayeaye::Dataset out(&owner, "csv://{dir}/out.csv", ayeaye::Access::kWrite, {"a", "b"});
  out.add_row({"plain", "with, comma"});
  out.add_row({"\"quoted\"", "two\nlines"});
  EXPECT_EQ(data_error([&] { out.add_row({"only one"}); }), dir.path() + "/out.csv: add_row() was given 1 fields, but the dataset has 2");
  owner.close_datasets();
  EXPECT_EQ(dir.read("out.csv"), "a,b\nplain,\"with, comma\"\n\"\"\"quoted\"\"\",\"two\nlines\"\n");
  ayeaye::Dataset back(&owner, "csv://{dir}/out.csv");
  std::vector<std::string> fields;
  for (const ayeaye::Row& row : back.rows()) fields.insert(fields.end(), {std::string(row[0]), std::string(row[1])});
  EXPECT_EQ(fields, (std::vector<std::string>{"plain", "with, comma", "\"quoted\"", "two\nlines"}));
}

TEST(Rows, ARecordLongerThanTheBufferIsReadWhole) {
  TempDirectory dir;
  Owner owner(dir.path());
  const std::string big(3 << 20, 'x');  // three times the parser's first buffer
  dir.file("big.csv", "a,b\n\"" + big + "\",1\n2,3\n");
  ayeaye::Dataset in(&owner, "csv://{dir}/big.csv");
  std::vector<std::size_t> sizes;
  for (const ayeaye::Row& row : in.rows()) sizes.push_back(row[0].size());
  EXPECT_EQ(sizes, (std::vector<std::size_t>{big.size(), 1}));
}

TEST(CompressedDatasets, GzAndZstdRoundTripAndAppendReadsOn) {
  TempDirectory dir;
  Owner owner(dir.path());
  for (const std::string modifier : {"gz", "zstd"}) {
    ayeaye::Dataset out(&owner, modifier + "+ndjson://{dir}/x." + modifier, ayeaye::Access::kWrite);
    for (int i = 0; i < 1000; ++i) out.add({{"i", i}});
    owner.close_datasets();
    out.add({{"i", 1000}});  // a second stage appends a member/frame
    owner.close_datasets();
    EXPECT_NE(dir.read("x." + modifier).substr(0, 2), "{\"") << "compressed";
    ayeaye::Dataset in(&owner, modifier + "+ndjson://{dir}/x." + modifier);
    int count = 0;
    for (const auto& record : in) EXPECT_EQ(record["i"], count++);
    EXPECT_EQ(count, 1001) << modifier;

    ayeaye::Dataset csv_out(&owner, modifier + "+csv://{dir}/t.csv." + modifier, ayeaye::Access::kWrite, {"k"});
    csv_out.add_row({"v"});
    owner.close_datasets();
    ayeaye::Dataset csv_in(&owner, modifier + "+csv://{dir}/t.csv." + modifier);
    for (const ayeaye::Row& row : csv_in.rows()) EXPECT_EQ(row[0], "v");
  }
}

TEST(CompressedDatasets, DataThatIsNotCompressedIsAnErrorNamingTheFile) {
  TempDirectory dir;
  Owner owner(dir.path());
  const std::string path = dir.file("plain.csv.gz", "a\n1\n");
  ayeaye::Dataset in(&owner, "gz+csv://{dir}/plain.csv.gz");
  EXPECT_EQ(data_error([&] { in.rows(); }).rfind(path + ": not valid gzip data", 0), 0u);
}

TEST(Wildcards, StarAndQuestionMarkMatchWithinOnePathPart) {
  EXPECT_TRUE(ayeaye::wildcard_match("by_station/AGM*.csv.gz", "by_station/AGM000603.csv.gz"));
  EXPECT_TRUE(ayeaye::wildcard_match("a?c", "abc"));
  EXPECT_FALSE(ayeaye::wildcard_match("a?c", "a/c"));
  EXPECT_FALSE(ayeaye::wildcard_match("by_*.csv", "by_station/x.csv"));
  EXPECT_TRUE(ayeaye::wildcard_match("*/x*.csv", "d/xy.csv"));
  EXPECT_FALSE(ayeaye::wildcard_match("*.csv", "a.csv.gz"));
}

TEST(Wildcards, ALocalWildcardReadsEveryMatchInSortedOrderAndMakesOneSubtaskPerFile) {
  TempDirectory dir;
  Owner owner(dir.path());
  dir.file("st/B2.csv", "id,v\nb,2\n");
  dir.file("st/A1.csv", "id,v\na,1\n");
  dir.file("st/C.txt", "not matched\n");
  dir.file("st/deeper/A3.csv", "id,v\nz,9\n");
  ayeaye::Dataset stations(&owner, "csv://{dir}/st/*.csv");
  EXPECT_EQ(stations.files(), (std::vector<std::string>{"csv://" + dir.path() + "/st/A1.csv", "csv://" + dir.path() + "/st/B2.csv"}));
  std::string ids;
  for (const ayeaye::Row& row : stations.rows()) ids += row[0];
  EXPECT_EQ(ids, "ab");
  const auto subtasks = ayeaye::one_subtask_per_file(stations, "station_figures");
  ASSERT_EQ(subtasks.size(), 2u);
  EXPECT_EQ(subtasks[1].method_name, "station_figures");
  EXPECT_EQ(subtasks[1].method_kwargs["url"], "csv://" + dir.path() + "/st/B2.csv");

  ayeaye::Dataset nothing(&owner, "csv://{dir}/st/*.tsv");
  EXPECT_FALSE(nothing.exists());
  EXPECT_EQ(data_error([&] { nothing.rows(); }), "csv://" + dir.path() + "/st/*.tsv: no file matches");
}
