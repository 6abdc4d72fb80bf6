// Where the gateway keeps its job records (job_record.h). One interface, one implementation over
// SQLite (Debian's libsqlite3): a file in the gateway's state directory (--state-dir), on AWS on a
// volume that outlives the gateway's instance (docs/gateway.md, "Job records"), or in memory when no
// directory is given. The list reads an index, not the records: the newest 200 of 100,000 jobs come
// from one index walk (bench/gateway_store).
//
// Thread-safe: one store serves the gateway's handler threads and its follower loop.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ayeaye/error.h"
#include "jobs/job_record.h"

namespace fossa::gateway {

struct Retention {
  double max_age_seconds = 30 * 86400.0;  // --keep-days: ended jobs older than this go
  std::size_t max_jobs = 100000;          // --keep-jobs: beyond this many, the oldest ended ones go
};

class JobStore {
 public:
  virtual ~JobStore() = default;
  // Adds the record, or replaces the one with its id.
  virtual ayeaye::Result<bool> put(const JobRecord& record) = 0;
  // The record, nothing when there is none; an error when it could not be read.
  virtual ayeaye::Result<std::optional<JobRecord>> get(const std::string& id) = 0;
  // The newest `limit` jobs of the cluster, by submission, as job_summary() gives them.
  virtual ayeaye::Result<std::vector<ayeaye::Json>> newest(const std::string& cluster, std::size_t limit) = 0;
  // Every record not yet ended, oldest first: what the follower goes on following after a restart.
  virtual ayeaye::Result<std::vector<JobRecord>> unfinished() = 0;
  // Drops ended jobs past the retention, at `now`; how many went.
  virtual ayeaye::Result<std::size_t> prune(const Retention& retention, double now) = 0;
  // This store's random salt for sealing requests (request_seal.h), made with the store.
  virtual std::string salt() const = 0;
  // Where it is, for the gateway's ready line: a path, or "memory".
  virtual std::string where() const = 0;
};

// The store in `directory`/jobs.sqlite3 (the directory made if missing), or in memory when
// `directory` is empty. An error says what could not be opened or made, and where.
ayeaye::Result<std::unique_ptr<JobStore>> open_job_store(const std::string& directory);

}  // namespace fossa::gateway
