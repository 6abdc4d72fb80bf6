// JobStore over SQLite: one table of records (each its JSON form, with its summary beside it and
// the columns the queries need), in WAL mode so a crash loses at most the last write. One
// connection behind a mutex: the gateway writes a few records a second at most.
#include <sqlite3.h>

#include <filesystem>
#include <mutex>

#include "ayeaye/json_input.h"
#include "jobs/job_store.h"
#include "jobs/request_seal.h"

namespace fossa::gateway {
namespace {

constexpr int kBusyTimeoutMs = 5000;
constexpr const char* kSchemaVersion = "1";
constexpr const char* kFileName = "jobs.sqlite3";

constexpr const char* kSchema = R"(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS jobs(
  id TEXT PRIMARY KEY,
  cluster TEXT NOT NULL,
  submitted REAL NOT NULL,
  ended REAL,
  summary TEXT NOT NULL,
  record TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS jobs_newest ON jobs(cluster, submitted DESC);
CREATE INDEX IF NOT EXISTS jobs_by_time ON jobs(submitted);
CREATE INDEX IF NOT EXISTS jobs_unfinished ON jobs(ended);
)";

struct DatabaseCloser {
  void operator()(sqlite3* database) const { sqlite3_close_v2(database); }
};
struct StatementDeleter {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using Database = std::unique_ptr<sqlite3, DatabaseCloser>;
using Statement = std::unique_ptr<sqlite3_stmt, StatementDeleter>;

// SQLITE_TRANSIENT without its C cast: bound text is copied.
const sqlite3_destructor_type kCopied = reinterpret_cast<sqlite3_destructor_type>(static_cast<std::intptr_t>(-1));

std::string column_text(sqlite3_stmt* statement, int column) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, column));
  return text == nullptr ? std::string() : std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(statement, column)));
}

class SqliteJobStore : public JobStore {
 public:
  SqliteJobStore(Database database, std::string where) : database_(std::move(database)), where_(std::move(where)) {}

  ayeaye::Result<bool> set_up() {
    using R = ayeaye::Result<bool>;
    sqlite3_busy_timeout(database_.get(), kBusyTimeoutMs);
    if (where_ != "memory") {
      if (auto done = exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"); !done) return done;
    }
    if (auto done = exec(kSchema); !done) return done;
    auto version = meta("schema");
    if (!version) return R::fail(version.error());
    if (version->empty()) {
      if (auto done = set_meta("schema", kSchemaVersion); !done) return done;
    } else if (*version != kSchemaVersion) {
      return R::fail(where_ + " holds job records of schema " + *version + ", which this gateway does not read (it reads " +
                     kSchemaVersion + ")");
    }
    auto salt = meta("salt");
    if (!salt) return R::fail(salt.error());
    if (salt->empty()) {
      salt_ = new_seal_salt();
      if (auto done = set_meta("salt", salt_); !done) return done;
    } else {
      salt_ = *salt;
    }
    return true;
  }

  ayeaye::Result<bool> put(const JobRecord& record) override {
    std::lock_guard lock(mutex_);
    auto statement = prepare(
        "INSERT INTO jobs(id, cluster, submitted, ended, summary, record) VALUES(?1, ?2, ?3, ?4, ?5, ?6) "
        "ON CONFLICT(id) DO UPDATE SET cluster = ?2, submitted = ?3, ended = ?4, summary = ?5, record = ?6");
    if (!statement) return ayeaye::Result<bool>::fail(statement.error());
    sqlite3_stmt* s = statement->get();
    const std::string summary = job_summary(record).dump();
    const std::string whole = to_json(record).dump();
    sqlite3_bind_text(s, 1, record.id.data(), static_cast<int>(record.id.size()), kCopied);
    sqlite3_bind_text(s, 2, record.cluster.data(), static_cast<int>(record.cluster.size()), kCopied);
    sqlite3_bind_double(s, 3, record.submitted);
    if (record.ended) {
      sqlite3_bind_double(s, 4, *record.ended);
    } else {
      sqlite3_bind_null(s, 4);
    }
    sqlite3_bind_text(s, 5, summary.data(), static_cast<int>(summary.size()), kCopied);
    sqlite3_bind_text(s, 6, whole.data(), static_cast<int>(whole.size()), kCopied);
    return step_done(s, "record job " + record.id);
  }

  ayeaye::Result<std::optional<JobRecord>> get(const std::string& id) override {
    using R = ayeaye::Result<std::optional<JobRecord>>;
    std::lock_guard lock(mutex_);
    auto statement = prepare("SELECT record FROM jobs WHERE id = ?1");
    if (!statement) return R::fail(statement.error());
    sqlite3_stmt* s = statement->get();
    sqlite3_bind_text(s, 1, id.data(), static_cast<int>(id.size()), kCopied);
    const int status = sqlite3_step(s);
    if (status == SQLITE_DONE) return std::optional<JobRecord>();
    if (status != SQLITE_ROW) return R::fail(failure("read job " + id));
    auto record = parsed_record(column_text(s, 0));
    if (!record) return R::fail(record.error());
    return std::optional<JobRecord>(std::move(*record));
  }

  ayeaye::Result<std::vector<ayeaye::Json>> newest(const std::string& cluster, std::size_t limit) override {
    using R = ayeaye::Result<std::vector<ayeaye::Json>>;
    std::lock_guard lock(mutex_);
    auto statement = prepare("SELECT summary FROM jobs WHERE cluster = ?1 ORDER BY submitted DESC LIMIT ?2");
    if (!statement) return R::fail(statement.error());
    sqlite3_stmt* s = statement->get();
    sqlite3_bind_text(s, 1, cluster.data(), static_cast<int>(cluster.size()), kCopied);
    sqlite3_bind_int64(s, 2, static_cast<sqlite3_int64>(limit));
    std::vector<ayeaye::Json> out;
    int status = SQLITE_ROW;
    while ((status = sqlite3_step(s)) == SQLITE_ROW) {
      auto summary = ayeaye::parse_json(column_text(s, 0));
      if (summary && summary->is_object()) out.push_back(std::move(*summary));
    }
    if (status != SQLITE_DONE) return R::fail(failure("list the jobs of cluster " + cluster));
    return out;
  }

  ayeaye::Result<std::vector<JobRecord>> unfinished() override {
    using R = ayeaye::Result<std::vector<JobRecord>>;
    std::lock_guard lock(mutex_);
    auto statement = prepare("SELECT record FROM jobs WHERE ended IS NULL ORDER BY submitted");
    if (!statement) return R::fail(statement.error());
    sqlite3_stmt* s = statement->get();
    std::vector<JobRecord> out;
    int status = SQLITE_ROW;
    while ((status = sqlite3_step(s)) == SQLITE_ROW) {
      auto record = parsed_record(column_text(s, 0));
      if (!record) return R::fail(record.error());
      out.push_back(std::move(*record));
    }
    if (status != SQLITE_DONE) return R::fail(failure("read the unfinished jobs"));
    return out;
  }

  ayeaye::Result<std::size_t> prune(const Retention& retention, double now) override {
    using R = ayeaye::Result<std::size_t>;
    std::lock_guard lock(mutex_);
    auto by_age = prepare("DELETE FROM jobs WHERE ended IS NOT NULL AND ended < ?1");
    if (!by_age) return R::fail(by_age.error());
    sqlite3_bind_double(by_age->get(), 1, now - retention.max_age_seconds);
    if (auto done = step_done(by_age->get(), "drop old jobs"); !done) return R::fail(done.error());
    std::size_t dropped = static_cast<std::size_t>(sqlite3_changes(database_.get()));
    auto by_count = prepare(
        "DELETE FROM jobs WHERE ended IS NOT NULL AND id IN "
        "(SELECT id FROM jobs ORDER BY submitted DESC LIMIT -1 OFFSET ?1)");
    if (!by_count) return R::fail(by_count.error());
    sqlite3_bind_int64(by_count->get(), 1, static_cast<sqlite3_int64>(retention.max_jobs));
    if (auto done = step_done(by_count->get(), "drop the oldest jobs"); !done) return R::fail(done.error());
    dropped += static_cast<std::size_t>(sqlite3_changes(database_.get()));
    return dropped;
  }

  std::string salt() const override { return salt_; }
  std::string where() const override { return where_; }

 private:
  ayeaye::Result<Statement> prepare(const char* sql) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(database_.get(), sql, -1, &raw, nullptr) != SQLITE_OK) {
      return ayeaye::Result<Statement>::fail(failure("prepare a statement"));
    }
    return Statement(raw);
  }

  ayeaye::Result<bool> step_done(sqlite3_stmt* statement, const std::string& what) {
    if (sqlite3_step(statement) != SQLITE_DONE) return ayeaye::Result<bool>::fail(failure(what));
    return true;
  }

  ayeaye::Result<bool> exec(const char* sql) {
    if (sqlite3_exec(database_.get(), sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
      return ayeaye::Result<bool>::fail(failure("set up the job records"));
    }
    return true;
  }

  ayeaye::Result<std::string> meta(const char* key) {
    auto statement = prepare("SELECT value FROM meta WHERE key = ?1");
    if (!statement) return ayeaye::Result<std::string>::fail(statement.error());
    sqlite3_bind_text(statement->get(), 1, key, -1, kCopied);
    const int status = sqlite3_step(statement->get());
    if (status == SQLITE_ROW) return column_text(statement->get(), 0);
    if (status == SQLITE_DONE) return std::string();
    return ayeaye::Result<std::string>::fail(failure("read the job records' settings"));
  }

  ayeaye::Result<bool> set_meta(const char* key, const std::string& value) {
    auto statement = prepare("INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)");
    if (!statement) return ayeaye::Result<bool>::fail(statement.error());
    sqlite3_bind_text(statement->get(), 1, key, -1, kCopied);
    sqlite3_bind_text(statement->get(), 2, value.data(), static_cast<int>(value.size()), kCopied);
    return step_done(statement->get(), "write the job records' settings");
  }

  ayeaye::Result<JobRecord> parsed_record(const std::string& text) {
    auto json = ayeaye::parse_json(text);
    if (!json) return ayeaye::Result<JobRecord>::fail("a job record in " + where_ + " is not JSON: " + json.error());
    return job_record_from_json(*json);
  }

  std::string failure(const std::string& what) const {
    return "could not " + what + " in " + where_ + ": " + sqlite3_errmsg(database_.get());
  }

  std::mutex mutex_;
  Database database_;
  std::string where_;
  std::string salt_;
};

}  // namespace

ayeaye::Result<std::unique_ptr<JobStore>> open_job_store(const std::string& directory) {
  using R = ayeaye::Result<std::unique_ptr<JobStore>>;
  std::string path = ":memory:";
  std::string where = "memory";
  if (!directory.empty()) {
    std::error_code error;
    std::filesystem::create_directories(directory, error);
    if (error) return R::fail("cannot make the gateway's state directory " + directory + ": " + error.message());
    path = (std::filesystem::path(directory) / kFileName).string();
    where = path;
  }
  sqlite3* raw = nullptr;
  const int opened = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  Database database(raw);
  if (opened != SQLITE_OK) {
    return R::fail("cannot open the job records at " + where + ": " + (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(opened)));
  }
  auto store = std::make_unique<SqliteJobStore>(std::move(database), where);
  if (auto ready = store->set_up(); !ready) return R::fail(ready.error());
  return std::unique_ptr<JobStore>(std::move(store));
}

}  // namespace fossa::gateway
