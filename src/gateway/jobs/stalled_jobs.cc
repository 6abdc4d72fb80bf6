#include "jobs/stalled_jobs.h"

namespace fossa::gateway {

ayeaye::Result<std::int64_t> count_stalled_jobs(JobStore& store, const std::string& cluster) {
  auto unfinished = store.unfinished();
  if (!unfinished) return ayeaye::Result<std::int64_t>::fail(unfinished.error());
  std::int64_t stalled = 0;
  for (const JobRecord& record : *unfinished) {
    if (record.cluster == cluster && record.stalled && !record.finished()) ++stalled;
  }
  return stalled;
}

}  // namespace fossa::gateway
