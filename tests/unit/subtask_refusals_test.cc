#include "amqp/subtask_refusals.h"

#include <gtest/gtest.h>

#include "amqp/subtask_codec.h"

namespace amqp = fossa::amqp;

TEST(SubtaskRefusals, RoundTripsThroughItsHeader) {
  amqp::SubtaskRefusals record;
  record.first_refused = *amqp::decode_utc_time("2026-12-07T13:51:48.123456Z");
  record.count = 7;
  record.nodes = {"ip-10-0-1-5:41", "old-image:7"};
  const std::string value = amqp::encode_refusals(record);
  EXPECT_EQ(value, R"({"count":7,"first_refused":"2026-12-07T13:51:48.123456Z","nodes":["ip-10-0-1-5:41","old-image:7"]})");
  const auto back = amqp::read_refusals({{std::string(amqp::kRefusalsHeader), value}});
  ASSERT_TRUE(back);
  EXPECT_EQ(back->first_refused, record.first_refused);
  EXPECT_EQ(back->count, 7);
  EXPECT_EQ(back->nodes, record.nodes);
}

TEST(SubtaskRefusals, AnAbsentHeaderIsNoRecord) {
  EXPECT_FALSE(amqp::read_refusals({{"x-fossa-secret-keys", "[]"}}));
}

TEST(SubtaskRefusals, AMalformedHeaderIsTreatedAsAbsent) {
  const std::string many_nodes = [] {
    std::string nodes;
    for (int i = 0; i < 17; ++i) nodes += std::string(i ? "," : "") + "\"n" + std::to_string(i) + "\"";
    return nodes;
  }();
  for (const std::string& value : {
           std::string(""), std::string("not json"), std::string("[]"), std::string("{}"),
           std::string(R"({"count":1,"nodes":["a"]})"),
           std::string(R"({"first_refused":"yesterday","count":1,"nodes":["a"]})"),
           std::string(R"({"first_refused":"2026-12-07T13:51:48Z","count":0,"nodes":["a"]})"),
           std::string(R"({"first_refused":"2026-12-07T13:51:48Z","count":-3,"nodes":["a"]})"),
           std::string(R"({"first_refused":"2026-12-07T13:51:48Z","count":1.5,"nodes":["a"]})"),
           std::string(R"({"first_refused":"2026-12-07T13:51:48Z","count":"1","nodes":["a"]})"),
           std::string(R"({"first_refused":"2026-12-07T13:51:48Z","count":18446744073709551615,"nodes":["a"]})"),
           std::string(R"({"first_refused":"2026-12-07T13:51:48Z","count":1,"nodes":"a"})"),
           std::string(R"({"first_refused":"2026-12-07T13:51:48Z","count":1,"nodes":[1]})"),
           std::string(R"({"first_refused":"2026-12-07T13:51:48Z","count":1,"nodes":[""]})"),
           std::string(R"({"first_refused":"2026-12-07T13:51:48Z","count":1,"nodes":["a","a"]})"),
           R"({"first_refused":"2026-12-07T13:51:48Z","count":1,"nodes":[")" + std::string(257, 'x') + "\"]}",
           R"({"first_refused":"2026-12-07T13:51:48Z","count":20,"nodes":[)" + many_nodes + "]}",
           std::string(1 << 20, '['),
       }) {
    EXPECT_FALSE(amqp::decode_refusals(value)) << value.substr(0, 200);
    EXPECT_FALSE(amqp::read_refusals({{std::string(amqp::kRefusalsHeader), value}})) << value.substr(0, 200);
  }
}
