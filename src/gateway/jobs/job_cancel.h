// Cancelling a job through the gateway (docs/gateway.md, "Cancel"):
//
//   DELETE /api/clusters/<c>/jobs/<id>     202 {"job_id", "status": "cancelling" | "cancelled", ...}
//   POST   /<c>/jobs/<id>/cancel           the job page's Cancel button; 303 back to the page
//
// Where the job is decides how (Jobs::cancel, in job_cancel.cc):
// - held, waiting for workers: it is never placed; its record ends "cancelled" at once;
// - running on a node that answers: that node is asked to cancel it (POST
//   /api/0.01/task/<id>/cancel); it stops the parent and its subtasks there and tells every other
//   node through the broker (docs/node.md, "Cancel"); the record ends "cancelled" as the node says;
// - on a node that is silent, gone or no longer knows it, or waiting to run again: its record ends
//   "cancelled" at once and it is never run again; a live node of the cluster is asked to pass the
//   cancel of its subtasks on (?pool=), and a silent node is asked again each round until it answers.
// Each record keeps who asked and when. A job that has ended is 409, as is a subtask (cancelled
// with its job). Both routes change state, so a browser's request for another site's page is
// refused 403 before they run (net/request_guards.h): the button works from the gateway's page only.
#pragma once

#include <string>

#include "jobs/job_view.h"
#include "jobs/jobs_api.h"
#include "net/router.h"
#include "node_calls.h"

namespace fossa::gateway {

// The job page's Cancel button (a form POST to the route above), while the job runs or is held
// waiting for workers; "" otherwise. Escaped.
std::string cancel_button(const JobView& view);

// "fossa from 10.0.0.5": who asked, by the request's basic credential's user and its address.
std::string who_asks(const net::Request& req);

void install_job_cancel(net::Router& router, Jobs& jobs);

}  // namespace fossa::gateway
