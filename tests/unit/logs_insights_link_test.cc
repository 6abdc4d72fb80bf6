#include "jobs/logs_insights_link.h"

#include <gtest/gtest.h>

#include <map>

using fossa::gateway::LogsInsightsQuery;
using fossa::gateway::LogsInsightsSettings;
using fossa::gateway::logs_insights_query_text;
using fossa::gateway::logs_insights_url;

namespace {

constexpr double k10am = 1796637600;  // 2026-12-07T10:00:00Z

std::string percent_decode(const std::string& text, char marker) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == marker && i + 2 < text.size()) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

// The console's reading of the fragment after "queryDetail=", as far as this link uses it: "$" is
// "%", decoded twice, gives "~(key~'value~key~(~'value))"; each value's "*XX" is a byte.
std::map<std::string, std::string> read_query_detail(const std::string& url) {
  const std::string marker = "#logsV2:logs-insights$3FqueryDetail$3D";
  const auto at = url.find(marker);
  if (at == std::string::npos) return {};
  const std::string form = percent_decode(percent_decode(url.substr(at + marker.size()), '$'), '%');
  EXPECT_EQ(form.substr(0, 2), "~(");
  EXPECT_EQ(form.substr(form.size() - 2), "))");
  std::map<std::string, std::string> fields;
  std::string body = form.substr(2, form.size() - 3);  // key~'value~...~source~(~'group)
  std::size_t i = 0;
  while (i < body.size()) {
    const auto tilde = body.find('~', i);
    const std::string key = body.substr(i, tilde - i);
    std::size_t start = tilde + 1;
    if (body.compare(start, 3, "(~'") == 0) start += 2;  // a list of one: its value's quote
    EXPECT_EQ(body[start], '\'') << key;
    auto end = body.find_first_of("~)", start + 1);
    fields[key] = percent_decode(body.substr(start + 1, end - start - 1), '*');
    if (end < body.size() && body[end] == ')') ++end;
    i = end + 1;
  }
  return fields;
}

}  // namespace

TEST(LogsInsightsLink, TheQueryFiltersTheJobsLinesByJobIdOldestFirst) {
  EXPECT_EQ(logs_insights_query_text({"qwert-1"}),
            "fields @timestamp, @logStream, @message\n| filter job_id = \"qwert-1\"\n| sort @timestamp asc\n| limit 10000");
  EXPECT_EQ(logs_insights_query_text({"qwert-1", "asdfg-4"}),
            "fields @timestamp, @logStream, @message\n| filter job_id in [\"qwert-1\", \"asdfg-4\"]\n"
            "| sort @timestamp asc\n| limit 10000")
      << "a job run again is known by each attempt's id on its node";
  EXPECT_EQ(logs_insights_query_text({"a\"b\\c"}),
            "fields @timestamp, @logStream, @message\n| filter job_id = \"a\\\"b\\\\c\"\n| sort @timestamp asc\n| limit 10000")
      << "an id from a node is outside input: it stays a string";
}

TEST(LogsInsightsLink, TheConsoleAddressCarriesTheQueryInTheConsolesOwnEncoding) {
  const LogsInsightsSettings settings{"eu-west-2", "/fossa/demo/ecs"};
  const std::string url = logs_insights_url(settings, LogsInsightsQuery{{"qwert-1"}, k10am - 0.5, k10am + 90.2});
  EXPECT_EQ(url,
            "https://eu-west-2.console.aws.amazon.com/cloudwatch/home?region=eu-west-2#logsV2:logs-insights"
            "$3FqueryDetail$3D$257E$2528end$257E$25272026-12-07T10*3A01*3A31.000Z"
            "$257Estart$257E$25272026-12-07T09*3A59*3A59.000Z$257EtimeType$257E$2527ABSOLUTE$257Etz$257E$2527UTC"
            "$257EeditorString$257E$2527fields*20*40timestamp*2C*20*40logStream*2C*20*40message*0A*7C*20filter*20job*5Fid"
            "*20*3D*20*22qwert-1*22*0A*7C*20sort*20*40timestamp*20asc*0A*7C*20limit*2010000"
            "$257Esource$257E$2528$257E$2527*2Ffossa*2Fdemo*2Fecs$2529$2529");
}

TEST(LogsInsightsLink, TheConsoleReadsBackTheQueryTheLogGroupAndTheJobsTimeRange) {
  const LogsInsightsSettings settings{"us-east-1", "/fossa/my stack/ecs"};
  const std::vector<std::string> ids{"qwert-1", "asdfg-4"};
  const auto fields = read_query_detail(logs_insights_url(settings, LogsInsightsQuery{ids, k10am, k10am + 3600}));
  EXPECT_EQ(fields.at("editorString"), logs_insights_query_text(ids));
  EXPECT_EQ(fields.at("source"), "/fossa/my stack/ecs");
  EXPECT_EQ(fields.at("start"), "2026-12-07T10:00:00.000Z");
  EXPECT_EQ(fields.at("end"), "2026-12-07T11:00:00.000Z");
  EXPECT_EQ(fields.at("timeType"), "ABSOLUTE");
}

TEST(LogsInsightsLink, NoLinkWithoutALogGroupAndRegionOrWithoutAnId) {
  const LogsInsightsQuery query{{"qwert-1"}, k10am, k10am + 60};
  EXPECT_EQ(logs_insights_url(LogsInsightsSettings{}, query), "") << "a local cluster";
  EXPECT_EQ(logs_insights_url(LogsInsightsSettings{"eu-west-2", ""}, query), "");
  EXPECT_EQ(logs_insights_url(LogsInsightsSettings{"", "/fossa/demo/ecs"}, query), "");
  EXPECT_EQ(logs_insights_url(LogsInsightsSettings{"eu-west-2", "/fossa/demo/ecs"}, LogsInsightsQuery{{}, k10am, k10am}), "");
}
