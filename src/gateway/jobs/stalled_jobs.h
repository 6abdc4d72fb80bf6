// The count of a cluster's stalled jobs, from the job records: what the scaling loop publishes as
// the StalledJobs metric the stack alarms on (scaler_loop.h, deploy/aws/cluster/alarms.tf). The
// follower marks a record stalled (job_follow.h); this only counts.
#pragma once

#include <cstdint>
#include <string>

#include "ayeaye/error.h"
#include "jobs/job_store.h"

namespace fossa::gateway {

// The records of `cluster` not yet ended and marked stalled, or why the store could not be read.
ayeaye::Result<std::int64_t> count_stalled_jobs(JobStore& store, const std::string& cluster);

}  // namespace fossa::gateway
