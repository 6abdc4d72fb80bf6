// Cancelling a job through the gateway (docs/gateway.md, "Cancel"):
//
//   DELETE /api/clusters/<c>/jobs/<id>     202 {"job_id", "node", "status": "cancelling", "links"}
//   POST   /<c>/jobs/<id>/cancel           the job page's Cancel button; 303 back to the page
//
// The gateway finds the job where Jobs::find does, and asks its node to cancel it
// (POST /api/0.01/task/<id>/cancel); that node stops the parent and its subtasks here and tells
// every other node through the broker (docs/node.md, "Cancel"). A job that has ended is 409, as is
// a subtask (cancelled with its job) and a held job that has not reached a node yet.
// Both routes change state, so a browser's request for another site's page is refused 403 before
// they run (net/request_guards.h): the button's form works from the gateway's own page only.
#pragma once

#include <string>

#include "jobs/job_view.h"
#include "jobs/jobs_api.h"
#include "net/router.h"
#include "node_calls.h"

namespace fossa::gateway {

// The outcome of a cancel: 202 with the answer's document, or an error status and its message.
struct CancelOutcome {
  int status = 202;
  ayeaye::Json document;
  std::string message;
};
CancelOutcome cancel_job(Jobs& jobs, const std::string& cluster, const std::string& id, const NodeCalls& calls);

// The job page's Cancel button (a form POST to the route above), while the job runs on a node;
// "" otherwise. Escaped.
std::string cancel_button(const JobView& view);

void install_job_cancel(net::Router& router, Jobs& jobs, const NodeCalls& calls);

}  // namespace fossa::gateway
