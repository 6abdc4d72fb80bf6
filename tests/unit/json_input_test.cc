#include "ayeaye/json_input.h"

#include <gtest/gtest.h>

#include <string>

using ayeaye::parse_json;

namespace {

std::string nested_arrays(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }

}  // namespace

TEST(JsonInput, ReadsAnOrdinaryDocument) {
  auto json = parse_json(R"({"model_class": "Fanout", "method_kwargs": {"rows": [1, 2.5, "x", null, true]}})");
  ASSERT_TRUE(json) << json.error();
  EXPECT_EQ((*json)["method_kwargs"]["rows"][1], 2.5);
}

TEST(JsonInput, NestingUpToTheLimitIsRead) {
  auto json = parse_json(nested_arrays(ayeaye::kJsonMaxDepth));
  ASSERT_TRUE(json) << json.error();
  EXPECT_EQ(json->dump().size(), 2u * ayeaye::kJsonMaxDepth);
}

TEST(JsonInput, NestingOneLevelBeyondTheLimitIsRefusedWithItsPath) {
  // The outer object and method_kwargs are levels 1 and 2; arrays at x take levels 3 to 257.
  const int arrays = ayeaye::kJsonMaxDepth - 1;
  auto json = parse_json(R"({"method_kwargs": {"x": )" + nested_arrays(arrays) + "}}");
  ASSERT_FALSE(json);
  std::string where = "method_kwargs.x";
  for (int i = 0; i < arrays - 1; ++i) where += "[0]";
  EXPECT_EQ(json.error(), "nesting deeper than 256 levels at " + where);
  EXPECT_TRUE(parse_json(R"({"method_kwargs": {"x": )" + nested_arrays(arrays - 1) + "}}"));
}

TEST(JsonInput, FiftyThousandLevelsAreRefusedWithoutExhaustingTheStack) {
  auto json = parse_json(R"({"method_kwargs": )" + nested_arrays(50'000) + "}");
  ASSERT_FALSE(json);
  EXPECT_EQ(json.error().rfind("nesting deeper than 256 levels at method_kwargs", 0), 0u) << json.error();
}

TEST(JsonInput, TheLimitIsAParameter) {
  EXPECT_TRUE(parse_json(R"({"a": {"b": 1}})", 2));
  auto json = parse_json(R"({"a": {"b": [1]}})", 2);
  ASSERT_FALSE(json);
  EXPECT_EQ(json.error(), "nesting deeper than 2 levels at a.b");
}

TEST(JsonInput, ANumberOutOfRangeIsRefusedNamingItsField) {
  auto in_object = parse_json(R"({"method_kwargs": {"x": 1e999}})");
  ASSERT_FALSE(in_object);
  EXPECT_NE(in_object.error().find("number overflow parsing '1e999'"), std::string::npos) << in_object.error();
  EXPECT_NE(in_object.error().find(" at method_kwargs.x"), std::string::npos) << in_object.error();

  auto in_array = parse_json(R"({"rows": [1, [2, 3], -1e999]})");
  ASSERT_FALSE(in_array);
  EXPECT_NE(in_array.error().find(" at rows[2]"), std::string::npos) << in_array.error();
}

TEST(JsonInput, ASyntaxErrorSaysWhereWithoutTheLibrarysTag) {
  auto json = parse_json("{i: 1");
  ASSERT_FALSE(json);
  EXPECT_EQ(json.error().find("[json.exception"), std::string::npos) << json.error();
  EXPECT_NE(json.error().find("line 1, column 2"), std::string::npos) << json.error();
}

TEST(JsonInput, ANumberOutOfRangeDeepInArraysAndAtTheTopLevelIsNamed) {
  auto deep = parse_json(R"({"rows": [1, {"a": [2, 1e999]}]})");
  ASSERT_FALSE(deep);
  EXPECT_NE(deep.error().find(" at rows[1].a[1]"), std::string::npos) << deep.error();
  auto top = parse_json("-1e999");
  ASSERT_FALSE(top);
  EXPECT_NE(top.error().find(" at the top level"), std::string::npos) << top.error();
}

TEST(JsonInput, NestingTooDeepAfterEarlierElementsNamesTheElement) {
  auto json = parse_json(R"({"a": [1, 2, [[3]]]})", 3);
  ASSERT_FALSE(json);
  EXPECT_EQ(json.error(), "nesting deeper than 3 levels at a[2][0]");
}

TEST(JsonInput, TextAfterTheDocumentIsRefused) {
  auto json = parse_json(R"({"a": 1} {"b": 2})");
  ASSERT_FALSE(json);
  EXPECT_NE(json.error().find("syntax error"), std::string::npos) << json.error();
  EXPECT_FALSE(parse_json(""));
}

// What we read is what the library's own parser reads: every kind of value, escapes, duplicate
// keys (the last wins), integers beyond int64, and containers after containers.
TEST(JsonInput, ReadsWhatTheLibrarysParserReads) {
  for (const std::string text :
       {R"({"a": {"b": [1, -2, 18446744073709551615, -9223372036854775808, 1.5e300, 0.1, true, false, null]}, "a2": []})",
        R"({"k": 1, "k": 2, "s": "\u00e9\ud83d\ude00\n\"\\/", "": {}})", R"([{}, {}, [], [[]], {"x": [{}]}])",
        R"("just a string")", "  42  ", R"([{"a": 1}, {"a": 2}, {"b": {"c": {"d": [1, 2, 3]}}}])"}) {
    auto ours = parse_json(text);
    ASSERT_TRUE(ours) << text << ": " << ours.error();
    EXPECT_EQ(*ours, ayeaye::Json::parse(text)) << text;
    EXPECT_EQ(ours->dump(), ayeaye::Json::parse(text).dump()) << text;
  }
}

// The body of issue 22: a mebibyte of empty objects, read whole (its time is bench/json's).
TEST(JsonInput, AMebibyteOfEmptyObjectsIsReadWhole) {
  std::string text = "[";
  const std::size_t objects = (1 << 20) / 3;
  for (std::size_t i = 0; i < objects; ++i) text += i == 0 ? "{}" : ",{}";
  text += "]";
  auto json = parse_json(text);
  ASSERT_TRUE(json) << json.error();
  EXPECT_EQ(json->size(), objects);
  EXPECT_TRUE((*json)[objects - 1].is_object());
}
