// PostgreSQL's COPY text form, as our writer sends rows, and bytea's hex form, as our reader gets it.
#include <gtest/gtest.h>

#include <limits>

#include "copy_text.h"

namespace {

std::string row_of(std::initializer_list<ayeaye::SqlValue> values) {
  std::string out;
  ayeaye::append_copy_row(out, std::span(values.begin(), values.size()));
  return out;
}

}  // namespace

TEST(CopyText, SeparatorsAndBackslashesInsideTextAreEscapedAndNullIsBackslashN) {
  EXPECT_EQ(row_of({"tab\there", "two\nlines\r", "back\\slash \"quoted\" 'single'", nullptr, ""}),
            "tab\\there\ttwo\\nlines\\r\tback\\\\slash \"quoted\" 'single'\t\\N\t\n");
}

TEST(CopyText, NumbersAtTheirLimitsBooleansAndRealsReadBackExactly) {
  EXPECT_EQ(row_of({std::numeric_limits<long long>::min(), std::numeric_limits<long long>::max(), true, false}),
            "-9223372036854775808\t9223372036854775807\tt\tf\n");
  EXPECT_EQ(row_of({0.1, -2.5e-300, std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
                    std::numeric_limits<double>::quiet_NaN()}),
            "0.1\t-2.5e-300\tInfinity\t-Infinity\tNaN\n");
}

TEST(CopyText, BytesGoAsByteasHexFormWithItsBackslashEscaped) {
  EXPECT_EQ(row_of({ayeaye::SqlValue::bytes(std::string_view("\x00\xff\n", 3)), ayeaye::SqlValue::bytes("")}), "\\\\x00ff0a\t\\\\x\n");
}

TEST(CopyText, UnicodePassesThroughUnchanged) { EXPECT_EQ(row_of({"Zürich ✓ 東京"}), "Zürich ✓ 東京\n"); }

TEST(CopyText, ByteaHexOutputDecodesAndAnythingElseIsRefused) {
  std::string out;
  EXPECT_TRUE(ayeaye::decode_bytea_hex("\\x00ff0A", out));
  EXPECT_EQ(out, std::string("\x00\xff\x0a", 3));
  out.clear();
  EXPECT_TRUE(ayeaye::decode_bytea_hex("\\x", out));
  EXPECT_EQ(out, "");
  EXPECT_FALSE(ayeaye::decode_bytea_hex("\\x0", out));
  EXPECT_FALSE(ayeaye::decode_bytea_hex("\\xzz", out));
  EXPECT_FALSE(ayeaye::decode_bytea_hex("\\001", out));
}

TEST(SqlValue, AStringViewWithoutDataIsNullSoARowsNullFieldPassesThrough) {
  EXPECT_TRUE(ayeaye::SqlValue(std::string_view()).is_null());
  EXPECT_EQ(ayeaye::SqlValue(std::string_view("", 0)).kind(), ayeaye::SqlValue::Kind::kText);
  EXPECT_EQ(ayeaye::SqlValue(std::size_t{7}).kind(), ayeaye::SqlValue::Kind::kInteger);
  EXPECT_EQ(ayeaye::SqlValue(1.5f).kind(), ayeaye::SqlValue::Kind::kReal);
  EXPECT_EQ(ayeaye::SqlValue(true).kind(), ayeaye::SqlValue::Kind::kBoolean);
}

TEST(CopyText, ARowDecodesIntoViewsUnescapingOnlyTheFieldsThatNeedIt) {
  std::vector<std::string_view> fields;
  std::vector<std::string> unescaped;
  const std::string row = "plain\ttab\\there\t\\N\t\tback\\\\slash \\\\N\n";
  ASSERT_TRUE(ayeaye::decode_copy_row(row, 5, fields, unescaped));
  ASSERT_EQ(fields.size(), 5u);
  EXPECT_EQ(fields[0], "plain");
  EXPECT_EQ(fields[0].data(), row.data());  // no copy
  EXPECT_EQ(fields[1], "tab\there");
  EXPECT_EQ(fields[2].data(), nullptr);  // NULL
  EXPECT_NE(fields[3].data(), nullptr);  // an empty text is not NULL
  EXPECT_EQ(fields[3], "");
  EXPECT_EQ(fields[4], "back\\slash \\N");
  EXPECT_FALSE(ayeaye::decode_copy_row("a\tb\n", 3, fields, unescaped));
  EXPECT_FALSE(ayeaye::decode_copy_row("a\tb\tc\n", 2, fields, unescaped));
}

TEST(CopyText, WhatTheWriterEncodesTheReaderDecodes) {
  const std::string tricky = "quote \" tab\t nl\n cr\r bs\\ \\N Zürich";
  std::string row;
  const std::initializer_list<ayeaye::SqlValue> values = {tricky, nullptr, "", 42};
  ayeaye::append_copy_row(row, std::span(values.begin(), values.size()));
  std::vector<std::string_view> fields;
  std::vector<std::string> unescaped;
  ASSERT_TRUE(ayeaye::decode_copy_row(row, 4, fields, unescaped));
  EXPECT_EQ(fields[0], tricky);
  EXPECT_EQ(fields[1].data(), nullptr);
  EXPECT_EQ(fields[2], "");
  EXPECT_EQ(fields[3], "42");
}
