#include "jobs/logs_insights_link.h"

#include <cmath>
#include <cstdio>
#include <ctime>

namespace fossa::gateway {
namespace {

// A string in a Logs Insights query: in double quotes, with '"' and '\' escaped.
std::string insights_string(const std::string& value) {
  std::string out = "\"";
  for (const char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// A value inside queryDetail: every byte but letters, digits, '-' and '.' as *XX (the console reads
// it back as %XX). '_', '~', '(', ')' and '\'' are escaped too: they mean something in the form.
std::string detail_value(const std::string& value) {
  std::string out;
  for (const unsigned char c : value) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
    if (plain) {
      out += static_cast<char>(c);
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "*%02X", c);
      out += hex;
    }
  }
  return out;
}

std::string iso_utc(double seconds) {
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm utc{};
  ::gmtime_r(&t, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S.000Z", &utc);
  return text;
}

}  // namespace

std::string logs_insights_query_text(const std::vector<std::string>& job_ids) {
  std::string filter;
  if (job_ids.size() == 1) {
    filter = "job_id = " + insights_string(job_ids.front());
  } else {
    filter = "job_id in [";
    for (std::size_t i = 0; i < job_ids.size(); ++i) filter += (i > 0 ? ", " : "") + insights_string(job_ids[i]);
    filter += "]";
  }
  return "fields @timestamp, @logStream, @message\n| filter " + filter + "\n| sort @timestamp asc\n| limit 10000";
}

std::string logs_insights_url(const LogsInsightsSettings& settings, const LogsInsightsQuery& query) {
  if (!settings.enabled() || query.job_ids.empty()) return "";
  // The form's punctuation once escaped for the fragment: ~ ( ) ' as $257E $2528 $2529 $2527.
  const std::string tilde = "$257E", open = "$2528", close = "$2529", quote = "$2527";
  const auto text = [&](const std::string& value) { return quote + detail_value(value); };
  const std::string detail = tilde + open + "end" + tilde + text(iso_utc(std::ceil(query.to))) +         //
                             tilde + "start" + tilde + text(iso_utc(std::floor(query.from))) +        //
                             tilde + "timeType" + tilde + text("ABSOLUTE") +                          //
                             tilde + "tz" + tilde + text("UTC") +                                     //
                             tilde + "editorString" + tilde + text(logs_insights_query_text(query.job_ids)) +  //
                             tilde + "source" + tilde + open + tilde + text(settings.log_group) + close + close;
  const std::string region = detail_value(settings.region);
  return "https://" + region + ".console.aws.amazon.com/cloudwatch/home?region=" + region +
         "#logsV2:logs-insights$3FqueryDetail$3D" + detail;
}

}  // namespace fossa::gateway
