// The job pages: /<cluster>/jobs (the cluster's jobs) and /<cluster>/jobs/<id> (one job live: state,
// progress and ETA, a timeline with one lane per node, failures with their trace, node time and
// its estimated cost). The same paths with Accept: application/json answer the page's data, with
// the live part's HTML as "html" for the page's script (/static/gateway.js).
#pragma once

#include <string>

#include "gateway_pages.h"
#include "jobs/job_view.h"
#include "jobs/jobs_api.h"
#include "jobs/logs_insights_link.h"

namespace fossa::gateway {

// The address of the job's log lines in CloudWatch Logs (logs_insights_link.h): the job id and each
// attempt's task id (from `document`'s "attempts"), over its time range. "" without `settings` (a
// local cluster) or before the job has started on a node.
std::string job_logs_url(const JobView& view, const ayeaye::Json& document, const LogsInsightsSettings& settings);

// The live part of a job's page; every value escaped.
std::string render_job(const JobView& view);
// The live part of the jobs list, from GET /api/clusters/<c>/jobs's answer.
std::string render_jobs(const std::string& cluster, const ayeaye::Json& jobs);

void install_job_pages(net::Router& server, Jobs& jobs, const PagesContext& context);

}  // namespace fossa::gateway
