// Dataset URLs in Aye-Aye's syntax, `[modifier+...]engine://...`: what each part means, and the
// errors that name the URL.
#include "dataset_url.h"

#include <gtest/gtest.h>

namespace {

using ayeaye::Compression;
using ayeaye::parse_dataset_url;

std::string error_of(const std::string& url) {
  auto parsed = parse_dataset_url(url);
  return parsed ? "(no error)" : parsed.error();
}

}  // namespace

TEST(DatasetUrl, APlainEngineNamesALocalFile) {
  auto parsed = parse_dataset_url("csv:///data/people.csv");
  ASSERT_TRUE(parsed) << parsed.error();
  EXPECT_EQ(parsed->engine, "csv");
  EXPECT_FALSE(parsed->s3);
  EXPECT_EQ(parsed->compression, Compression::kNone);
  EXPECT_EQ(parsed->path, "/data/people.csv");
  EXPECT_FALSE(parsed->wildcard);
}

TEST(DatasetUrl, ModifiersNameStorageAndCompressionInAnyOrder) {
  auto s3 = parse_dataset_url("s3+gz+csv://noaa-ghcn-pds/csv.gz/by_station/AGM000603*.csv.gz");
  ASSERT_TRUE(s3) << s3.error();
  EXPECT_TRUE(s3->s3);
  EXPECT_EQ(s3->compression, Compression::kGzip);
  EXPECT_EQ(s3->bucket, "noaa-ghcn-pds");
  EXPECT_EQ(s3->key, "csv.gz/by_station/AGM000603*.csv.gz");
  EXPECT_TRUE(s3->wildcard);
  EXPECT_EQ(s3->with_path("noaa-ghcn-pds/csv.gz/by_station/AGM00060390.csv.gz"),
            "s3+gz+csv://noaa-ghcn-pds/csv.gz/by_station/AGM00060390.csv.gz");

  auto zstd = parse_dataset_url("zstd+s3+ndjson://bucket/x.ndjson.zst");
  ASSERT_TRUE(zstd) << zstd.error();
  EXPECT_TRUE(zstd->s3);
  EXPECT_EQ(zstd->compression, Compression::kZstd);

  auto local = parse_dataset_url("gz+ndjson:///data/x.ndjson.gz");
  ASSERT_TRUE(local) << local.error();
  EXPECT_FALSE(local->s3);
  EXPECT_EQ(local->path, "/data/x.ndjson.gz");

  auto json = parse_dataset_url("s3+json://bucket/doc.json;indent=2");
  ASSERT_TRUE(json) << json.error();
  EXPECT_EQ(json->indent, 2);
  EXPECT_EQ(json->key, "doc.json");
}

TEST(DatasetUrl, MistakesAreErrorsNamingTheUrl) {
  EXPECT_EQ(error_of("s3+bz2+csv://bucket/x.csv"), "dataset URL 's3+bz2+csv://bucket/x.csv': unknown modifier 'bz2' (s3, gz or zstd)");
  EXPECT_EQ(error_of("s3+xls://bucket/x"), "dataset URL 's3+xls://bucket/x': unknown engine 'xls' (csv, tsv, ndjson or json)");
  EXPECT_EQ(error_of("csv+gz:///x.csv.gz"), "dataset URL 'csv+gz:///x.csv.gz': the engine 'csv' must come last, after the modifiers");
  EXPECT_EQ(error_of("gz+zstd+csv:///x"), "dataset URL 'gz+zstd+csv:///x': more than one compression (gz or zstd, not both)");
  EXPECT_EQ(error_of("s3+s3+csv://bucket/x"), "dataset URL 's3+s3+csv://bucket/x': s3 is given twice");
  EXPECT_EQ(error_of("s3++csv://bucket/x"),
            "dataset URL 's3++csv://bucket/x': an empty part in 's3++csv' (modifiers are joined by '+', like s3+gz+csv)");
  EXPECT_EQ(error_of("s3+csv://bucket"), "dataset URL 's3+csv://bucket': no object key after the bucket; write it like s3+csv://bucket/key.csv");
  EXPECT_EQ(error_of("s3+csv:///key.csv"), "dataset URL 's3+csv:///key.csv': no bucket; write it like s3+csv://bucket/key.csv");
  EXPECT_EQ(error_of("s3+csv://My_Bucket/x.csv"),
            "dataset URL 's3+csv://My_Bucket/x.csv': 'My_Bucket' is not an S3 bucket name (3 to 63 of a-z, 0-9, '.', '-')");
  EXPECT_EQ(error_of("/tmp/x.csv"), "dataset URL '/tmp/x.csv' has no engine; write it like csv://path/file.csv");
  EXPECT_EQ(error_of("s3+csv://"), "dataset URL 's3+csv://' has no path");
  EXPECT_EQ(error_of("json://x.json;indent=wide"), "dataset URL 'json://x.json;indent=wide': indent must be a number");
}
