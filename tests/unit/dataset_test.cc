#include "ayeaye/dataset.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "unit/dataset_fixture.h"

namespace {

using ayeaye_test::Owner;
using ayeaye_test::TempDirectory;

std::vector<ayeaye::Json> all(ayeaye::Dataset& dataset) {
  std::vector<ayeaye::Json> records;
  for (const auto& record : dataset) records.push_back(record);
  return records;
}

std::string error_of(ayeaye::Dataset& dataset) {
  try {
    all(dataset);
  } catch (const ayeaye::DataError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST(Dataset, ReadsCsvRecordsByFieldNameWithQuotingAndBom) {
  TempDirectory dir;
  dir.file("people.csv", "\xEF\xBB\xBFname,note\r\nann,\"says \"\"hi\"\", twice\"\r\nbob,\"two\nlines\"\n\n");
  Owner owner(dir.path());
  ayeaye::Dataset people(&owner, "csv://{dir}/people.csv");
  const auto records = all(people);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0]["name"], "ann");
  EXPECT_EQ(records[0]["note"], "says \"hi\", twice");
  EXPECT_EQ(records[1]["note"], "two\nlines");
}

TEST(Dataset, ReadsTsv) {
  TempDirectory dir;
  dir.file("x.tsv", "a\tb\n1\t2,3\n");
  Owner owner(dir.path());
  ayeaye::Dataset x(&owner, "tsv://{dir}/x.tsv");
  const auto records = all(x);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0]["b"], "2,3");
}

TEST(Dataset, WritesCsvThatReadsBack) {
  TempDirectory dir;
  Owner owner(dir.path());
  ayeaye::Dataset out(&owner, "csv://{dir}/sub/out.csv", ayeaye::Access::kReadWrite, {"name", "n"});
  out.add({{"name", "a,b"}, {"n", 1}});
  out.add({{"name", "say \"x\""}, {"n", 2.5}});
  out.close();
  EXPECT_EQ(dir.read("sub/out.csv"), "name,n\n\"a,b\",1\n\"say \"\"x\"\"\",2.5\n");
  const auto records = all(out);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1]["name"], "say \"x\"");
}

TEST(Dataset, CsvWriterRefusesUnknownFields) {
  TempDirectory dir;
  Owner owner(dir.path());
  ayeaye::Dataset out(&owner, "csv://{dir}/out.csv", ayeaye::Access::kWrite, {"a"});
  EXPECT_THROW(out.add({{"a", 1}, {"b", 2}}), ayeaye::DataError);
}

TEST(Dataset, NdjsonRoundTrips) {
  TempDirectory dir;
  Owner owner(dir.path());
  ayeaye::Dataset out(&owner, "ndjson://{dir}/x.ndjson", ayeaye::Access::kReadWrite);
  out.add({{"k", 1}});
  out.add({{"k", {1, 2}}});
  const auto records = all(out);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1]["k"], ayeaye::Json::array({1, 2}));
}

TEST(Dataset, JsonDocumentIsReadAndWrittenWhole) {
  TempDirectory dir;
  Owner owner(dir.path());
  ayeaye::Dataset doc(&owner, "json://{dir}/doc.json;indent=2", ayeaye::Access::kReadWrite);
  doc.write_json({{"colours", {"red", "blue"}}});
  EXPECT_EQ(doc.read_json()["colours"][1], "blue");
  EXPECT_NE(dir.read("doc.json").find("\n  \"colours\""), std::string::npos) << "indent=2 applies";
  dir.file("list.json", "[{\"a\": 1}, {\"a\": 2}]");
  ayeaye::Dataset list(&owner, "json://{dir}/list.json");
  EXPECT_EQ(all(list).size(), 2u);
}

TEST(Dataset, MalformedDataNamesFileAndLine) {
  TempDirectory dir;
  Owner owner(dir.path());
  dir.file("wide.csv", "a,b\n1,2\n1,2,3\n");
  ayeaye::Dataset wide(&owner, "csv://{dir}/wide.csv");
  EXPECT_EQ(error_of(wide), dir.path() + "/wide.csv:3: 3 fields, but the header has 2");

  dir.file("open.csv", "a\n\"never closed\n\n");
  ayeaye::Dataset open(&owner, "csv://{dir}/open.csv");
  EXPECT_EQ(error_of(open), dir.path() + "/open.csv:2: a quoted field is never closed");

  dir.file("bad.ndjson", "{\"a\": 1}\n\n{\"a\": oops}\n");
  ayeaye::Dataset bad(&owner, "ndjson://{dir}/bad.ndjson");
  EXPECT_NE(error_of(bad).find(dir.path() + "/bad.ndjson:3: not valid JSON"), std::string::npos);

  dir.file("bad.json", "{\n  \"a\": 1,\n  oops\n}\n");
  ayeaye::Dataset bad_json(&owner, "json://{dir}/bad.json");
  EXPECT_NE(error_of(bad_json).find(dir.path() + "/bad.json: not valid JSON: parse error at line 3"), std::string::npos) << error_of(bad_json);
}

TEST(Dataset, TemplateNamingAMissingKeyFailsNamingIt) {
  Owner owner("/tmp");
  ayeaye::Dataset missing(&owner, "csv://{output_datasets}/x.csv");
  try {
    missing.path();
    FAIL();
  } catch (const ayeaye::MissingContextKey& e) {
    EXPECT_EQ(e.key(), "output_datasets");
  }
}

TEST(Dataset, BadUrlsAreExplained) {
  Owner owner("/tmp");
  ayeaye::Dataset no_engine(&owner, "/tmp/x.csv");
  EXPECT_THROW(no_engine.path(), ayeaye::Error);
  ayeaye::Dataset unknown(&owner, "xls://x.xls");
  EXPECT_THROW(unknown.path(), ayeaye::Error);
}

TEST(Dataset, AccessModesAreEnforced) {
  TempDirectory dir;
  Owner owner(dir.path());
  ayeaye::Dataset read_only(&owner, "csv://{dir}/r.csv");
  EXPECT_THROW(read_only.add({{"a", 1}}), ayeaye::Error);
  ayeaye::Dataset write_only(&owner, "csv://{dir}/w.csv", ayeaye::Access::kWrite);
  EXPECT_THROW(write_only.begin(), ayeaye::Error);
}

TEST(Dataset, PerSubtaskTemplateMakesOneDatasetEachAndKnowsIfItExists) {
  TempDirectory dir;
  Owner owner(dir.path());
  ayeaye::DatasetTemplate docs(&owner, "csv://{dir}/{subtask_id}_results.csv");
  ayeaye::Dataset& a = docs.new_dataset({{"subtask_id", "a"}});
  EXPECT_EQ(a.path(), dir.path() + "/a_results.csv");
  EXPECT_FALSE(a.exists());
  a.add({{"name", "hello_world"}});
  owner.close_datasets();
  EXPECT_TRUE(a.exists());
  EXPECT_EQ(dir.read("a_results.csv"), "name\nhello_world\n");
  EXPECT_FALSE(docs.new_dataset({{"subtask_id", "b"}}).exists());
}

TEST(Dataset, ClosingBetweenStagesRestartsReadingAndAppendsWriting) {
  TempDirectory dir;
  Owner owner(dir.path());
  ayeaye::Dataset log(&owner, "ndjson://{dir}/log.ndjson", ayeaye::Access::kWrite);
  log.add({{"stage", 1}});
  owner.close_datasets();
  log.add({{"stage", 2}});
  owner.close_datasets();
  EXPECT_EQ(dir.read("log.ndjson"), "{\"stage\":1}\n{\"stage\":2}\n") << "the second stage appends";

  dir.file("in.csv", "a\n1\n2\n");
  ayeaye::Dataset in(&owner, "csv://{dir}/in.csv");
  auto it = in.begin();
  EXPECT_EQ((*it)["a"], "1");
  owner.close_datasets();
  EXPECT_EQ(all(in).size(), 2u) << "reading starts again after close";
}

TEST(Dataset, WrittenRecordsSurviveTheModelThrowing) {
  TempDirectory dir;
  {
    Owner owner(dir.path());
    ayeaye::Dataset out(&owner, "csv://{dir}/partial.csv", ayeaye::Access::kWrite);
    out.add({{"x", "1"}});
  }  // destroyed without close(), as when a subtask throws
  EXPECT_EQ(dir.read("partial.csv"), "x\n1\n");
}

TEST(Dataset, ARecordNestedBeyondTheLimitIsADataErrorNamingItsLine) {
  TempDirectory dir;
  Owner owner(dir.path());
  dir.file("deep.ndjson", "{\"a\": 1}\n{\"a\": " + std::string(10'000, '[') + std::string(10'000, ']') + "}\n");
  ayeaye::Dataset deep(&owner, "ndjson://{dir}/deep.ndjson");
  EXPECT_NE(error_of(deep).find(dir.path() + "/deep.ndjson:2: not valid JSON: nesting deeper than 256 levels at a"),
            std::string::npos)
      << error_of(deep);
}
