// The gateway's job records (jobs/job_store.h, job_record.h, request_seal.h) over real SQLite
// files: kept across a reopening, listed newest first per cluster, the unfinished ones found
// again, pruned by age and count (never a running one), and a request's secrets never in clear.
#include "jobs/job_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <sstream>

#include "dataset_fixture.h"
#include "jobs/request_seal.h"

using fossa::gateway::JobRecord;
using fossa::gateway::open_job_store;
using fossa::gateway::redact_request;
using fossa::gateway::RequestSeal;
using fossa::gateway::Retention;

namespace {

constexpr double t0 = 1'800'000'000;

JobRecord job(const std::string& id, double submitted, std::optional<double> ended, const std::string& cluster = "c") {
  JobRecord record;
  record.id = id;
  record.cluster = cluster;
  record.model_class = "Fanout";
  record.status = ended ? "complete" : "running";
  record.submitted = submitted;
  record.updated = submitted;
  record.ended = ended;
  record.request = R"({"model_class":"Fanout"})";
  record.attempts.push_back({"10.0.0.1:2345", id, submitted, ended, ended ? "complete" : ""});
  record.document = {{"task_id", id}, {"status", record.status}, {"subtasks", {{"total", 2u}, {"done", 2u}}}};
  record.subtasks = {{{"task_id", id + ".0"}, {"status", "complete"}}, {{"task_id", id + ".1"}, {"status", "failed"}}};
  return record;
}

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST(JobStore, ARecordIsKeptWholeAcrossAReopening) {
  ayeaye_test::TempDirectory dir;
  std::string salt;
  {
    auto store = open_job_store(dir.path() + "/state");
    ASSERT_TRUE(store) << store.error();
    salt = (*store)->salt();
    EXPECT_GE(salt.size(), 32u);
    ASSERT_TRUE((*store)->put(job("a", t0, t0 + 5)));
  }
  auto store = open_job_store(dir.path() + "/state");
  ASSERT_TRUE(store) << store.error();
  EXPECT_EQ((*store)->salt(), salt);
  EXPECT_EQ((*store)->where(), dir.path() + "/state/jobs.sqlite3");
  auto got = (*store)->get("a");
  ASSERT_TRUE(got) << got.error();
  ASSERT_TRUE(*got);
  const JobRecord& record = **got;
  EXPECT_EQ(record.status, "complete");
  EXPECT_EQ(*record.ended, t0 + 5);
  ASSERT_EQ(record.attempts.size(), 1u);
  EXPECT_EQ(record.attempts[0].node, "10.0.0.1:2345");
  EXPECT_EQ(record.document["subtasks"]["done"], 2);
  ASSERT_EQ(record.subtasks.size(), 2u);
  EXPECT_EQ(record.subtasks[1]["status"], "failed");
  EXPECT_FALSE(*(*store)->get("b"));
}

TEST(JobStore, PutReplacesTheRecordWithTheSameId) {
  auto store = open_job_store("");
  ASSERT_TRUE(store) << store.error();
  EXPECT_EQ((*store)->where(), "memory");
  ASSERT_TRUE((*store)->put(job("a", t0, std::nullopt)));
  ASSERT_TRUE((*store)->put(job("a", t0, t0 + 9)));
  EXPECT_EQ((**(*store)->get("a")).status, "complete");
  EXPECT_EQ((*store)->newest("c", 10)->size(), 1u);
}

TEST(JobStore, TheListIsTheClustersNewestFirstUpToTheLimit) {
  auto store = open_job_store("");
  ASSERT_TRUE(store);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE((*store)->put(job("a" + std::to_string(i), t0 + i, t0 + i + 1)));
  ASSERT_TRUE((*store)->put(job("other", t0 + 100, std::nullopt, "another-cluster")));
  auto newest = (*store)->newest("c", 3);
  ASSERT_TRUE(newest) << newest.error();
  ASSERT_EQ(newest->size(), 3u);
  EXPECT_EQ((*newest)[0]["job_id"], "a9");
  EXPECT_EQ((*newest)[2]["job_id"], "a7");
  EXPECT_EQ((*newest)[0]["status"], "complete");
  EXPECT_EQ((*newest)[0]["subtasks"]["done"], 2);
  EXPECT_EQ((*store)->newest("another-cluster", 200)->size(), 1u);
}

TEST(JobStore, UnfinishedRecordsAreFoundAgainOldestFirst) {
  auto store = open_job_store("");
  ASSERT_TRUE(store);
  ASSERT_TRUE((*store)->put(job("ended", t0, t0 + 1)));
  ASSERT_TRUE((*store)->put(job("later", t0 + 20, std::nullopt)));
  ASSERT_TRUE((*store)->put(job("sooner", t0 + 10, std::nullopt)));
  auto unfinished = (*store)->unfinished();
  ASSERT_TRUE(unfinished) << unfinished.error();
  ASSERT_EQ(unfinished->size(), 2u);
  EXPECT_EQ((*unfinished)[0].id, "sooner");
  EXPECT_EQ((*unfinished)[1].id, "later");
}

TEST(JobStore, PruningDropsOldAndSurplusEndedJobsButNeverARunningOne) {
  auto store = open_job_store("");
  ASSERT_TRUE(store);
  ASSERT_TRUE((*store)->put(job("old-running", t0, std::nullopt)));
  ASSERT_TRUE((*store)->put(job("old-ended", t0, t0 + 1)));
  for (int i = 0; i < 5; ++i) ASSERT_TRUE((*store)->put(job("n" + std::to_string(i), t0 + 86400 * 40 + i, t0 + 86400 * 40 + i)));
  Retention retention;
  retention.max_age_seconds = 30 * 86400;
  retention.max_jobs = 3;
  auto pruned = (*store)->prune(retention, t0 + 86400 * 41);
  ASSERT_TRUE(pruned) << pruned.error();
  EXPECT_EQ(*pruned, 3u);  // old-ended by age; n0 and n1 beyond the newest 3
  EXPECT_TRUE(*(*store)->get("old-running"));
  EXPECT_FALSE(*(*store)->get("old-ended"));
  EXPECT_FALSE(*(*store)->get("n1"));
  EXPECT_TRUE(*(*store)->get("n2"));
  EXPECT_TRUE(*(*store)->get("n4"));
}

TEST(JobStore, ARecordOfAnotherSchemaIsRefusedSayingSo) {
  ayeaye_test::TempDirectory dir;
  ASSERT_TRUE(open_job_store(dir.path()));
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir.path() + "/jobs.sqlite3").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE meta SET value = '99' WHERE key = 'schema'", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto store = open_job_store(dir.path());
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().find("schema 99"), std::string::npos) << store.error();
}

TEST(JobStore, AStateDirectoryThatCannotBeMadeIsAClearError) {
  ayeaye_test::TempDirectory dir;
  const std::string file = dir.file("not-a-directory", "x");
  auto store = open_job_store(file + "/state");
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().find("cannot make the gateway's state directory " + file + "/state"), std::string::npos) << store.error();
}

TEST(JobRequest, SecretValuesAreRedactedAndTheRestKept) {
  bool secrets = false;
  const std::string body =
      R"({"model_class":"M","resolver_context":{"db_password":"hunter2-very-secret","day":"2026-12-07"},"resolver_context_secrets":["db_password"]})";
  const std::string redacted = redact_request(body, &secrets);
  EXPECT_TRUE(secrets);
  EXPECT_EQ(redacted.find("hunter2"), std::string::npos) << redacted;
  EXPECT_NE(redacted.find("2026-12-07"), std::string::npos) << redacted;
  EXPECT_NE(redacted.find(R"("db_password":"***")"), std::string::npos) << redacted;
  EXPECT_EQ(redact_request(R"({"model_class":"M"})", &secrets), R"({"model_class":"M"})");
  EXPECT_FALSE(secrets);
  EXPECT_EQ(redact_request("not json", &secrets), "not json");
}

TEST(JobRequest, ASealedRequestOpensWithThePasswordOnlyAndIsNotOnDiskInClear) {
  ayeaye_test::TempDirectory dir;
  auto store = open_job_store(dir.path());
  ASSERT_TRUE(store);
  const std::string body = R"({"model_class":"M","resolver_context":{"db_password":"hunter2-very-secret"},"resolver_context_secrets":["db_password"]})";
  const RequestSeal seal("a gateway password", (*store)->salt());
  auto record = job("s", t0, std::nullopt);
  record.request = redact_request(body, nullptr);
  record.sealed_request = seal.seal(body);
  ASSERT_TRUE((*store)->put(record));
  store->reset();
  for (const char* file : {"/jobs.sqlite3", "/jobs.sqlite3-wal"}) {
    EXPECT_EQ(file_bytes(dir.path() + file).find("hunter2"), std::string::npos) << file;
  }
  auto reopened = open_job_store(dir.path());
  ASSERT_TRUE(reopened);
  const auto kept = **(*reopened)->get("s");
  auto opened = RequestSeal("a gateway password", (*reopened)->salt()).open(kept.sealed_request);
  ASSERT_TRUE(opened) << opened.error();
  EXPECT_EQ(*opened, body);
  auto wrong = RequestSeal("another password", (*reopened)->salt()).open(kept.sealed_request);
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().find("sealed under another"), std::string::npos) << wrong.error();
  EXPECT_FALSE(seal.open("v1:00"));
}
