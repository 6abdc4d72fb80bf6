// The link from a job's page to its log lines in CloudWatch Logs (on AWS: --log-group): a Logs
// Insights query of the workers' log group for the lines whose job_id is the job's, over the job's
// time range. Every node of ours puts job_id on its lines about a job's tasks and subtasks, and on
// the model's own lines it relays (docs/node.md, "Logs"); on AWS those lines are JSON, whose fields
// Logs Insights discovers by itself.
//
// The console's address is not documented: its fragment carries the query as the console writes
// it, a JSURL-like form ("~(key~'value~...)") of values each percent-encoded with '*' for '%', the
// whole then percent-encoded once more with '$' for '%'. Pure, so that form is tested without AWS.
#pragma once

#include <string>
#include <vector>

namespace fossa::gateway {

// Where the workers' lines are: both set on AWS (deploy/aws), neither on a local cluster.
struct LogsInsightsSettings {
  std::string region;     // "eu-west-2"
  std::string log_group;  // "/fossa/<stack>/ecs"
  bool enabled() const { return !region.empty() && !log_group.empty(); }
};

struct LogsInsightsQuery {
  // The job's ids on the nodes: its first attempt's (the job id), and each later attempt's, whose
  // node knew the job by that attempt's id.
  std::vector<std::string> job_ids;
  double from = 0;  // seconds since the epoch
  double to = 0;
};

// The Logs Insights query: the lines whose job_id is one of `job_ids`, oldest first.
std::string logs_insights_query_text(const std::vector<std::string>& job_ids);

// The console's address of that query over `settings.log_group`, from `query.from` to `query.to`
// (whole seconds, widened outwards); "" when the settings are not enabled or there is no id.
std::string logs_insights_url(const LogsInsightsSettings& settings, const LogsInsightsQuery& query);

}  // namespace fossa::gateway
