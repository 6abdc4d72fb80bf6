// SQL datasets as a user runs them, `fossa run` with worker processes, against a PostgreSQL server
// the test starts and against an SQLite file: the SqlRangeSummaries example, and subtasks that
// fail after writing and are run again (the SqlSecondTimeLucky fixture).
#include <gtest/gtest.h>

#include <set>

#include "cluster/broker_process.h"
#include "support/command.h"
#include "support/node_process.h"
#include "support/postgres_server.h"

using fossa::testing::fossa_bin;
using fossa::testing::NodeProcess;
using fossa::testing::PostgresServer;
using fossa::testing::run_command;
using fossa::testing::TempDir;

TEST(SqlRangeSummaries, SubtasksSummariseTheirRangesInPostgresqlAndTheParentChecksTheTotals) {
  auto started = PostgresServer::start();
  ASSERT_TRUE(started) << started.error();
  const auto& server = *started.value();
  ASSERT_TRUE(server.psql("CREATE TABLE readings (id bigint PRIMARY KEY, station text, value double precision);"
                          "INSERT INTO readings SELECT g, 'S' || (g % 7), g * 0.5 FROM generate_series(1, 10000) AS g"));

  for (int run = 0; run < 2; ++run) {  // again: the summaries are replaced, not added to
    auto r = run_command(fossa_bin(), {"run", "SqlRangeSummaries", "--workers", "3", "--secret", "database=" + server.url()});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE((r.out + r.err).find("Readings: 10000 in the table, 10000 in the summaries, 10000 reported by the subtasks"), std::string::npos)
        << r.out << r.err;
    EXPECT_EQ((r.out + r.err).find(PostgresServer::kPassword), std::string::npos) << r.out << r.err;
  }
  auto totals = server.psql("SELECT count(DISTINCT first_id), count(*), sum(readings), sum(total) FROM range_summaries");
  ASSERT_TRUE(totals) << totals.error();
  // 3 ranges of 7 stations each; the values sum to 0.5 * 10000 * 10001 / 2.
  EXPECT_EQ(totals.value(), "3|21|10000|25002500\n");
}

TEST(SqlRangeSummaries, OnALocalClusterTheWorkersWriteAndNoDocumentShowsThePassword) {
  auto started = PostgresServer::start();
  ASSERT_TRUE(started) << started.error();
  const auto& server = *started.value();
  ASSERT_TRUE(server.psql("CREATE TABLE readings (id bigint PRIMARY KEY, station text, value double precision);"
                          "INSERT INTO readings SELECT g, 'S' || (g % 5), 1 FROM generate_series(1, 3000) AS g"));
  auto broker = fossa::BrokerProcess::start({});
  ASSERT_TRUE(broker) << broker.error();
  auto node = [&](const std::string& ident, bool consume) {
    return std::make_unique<NodeProcess>(
        std::vector<std::string>{"--node-ident", ident, "--max-concurrent-tasks", "2", "--consume-subtasks", consume ? "1" : "0"},
        std::vector<std::string>{"RABBITMQ_URL=" + (*broker)->amqp_url()});
  };
  auto coordinator = node("coordinator", false);
  auto worker_a = node("worker-a", true);
  auto worker_b = node("worker-b", true);
  const std::string id = coordinator->submit({{"model_class", "SqlRangeSummaries"},
                                              {"resolver_context", {{"database", server.url()}}},
                                              {"resolver_context_secrets", {"database"}}});
  ASSERT_FALSE(id.empty());
  const auto doc = coordinator->wait_for_end(id);
  ASSERT_EQ(doc["status"], "complete") << doc.dump();
  EXPECT_EQ(doc.dump().find(PostgresServer::kPassword), std::string::npos) << doc.dump();
  const int subtasks = doc["subtasks"]["total"].get<int>();
  ASSERT_GE(subtasks, 1);
  std::set<std::string> nodes;
  for (int i = 0; i < subtasks; ++i) {
    const auto sub = coordinator->get("/api/0.01/task/" + id + "." + std::to_string(i)).json();
    EXPECT_EQ(sub["status"], "complete") << sub.dump();
    EXPECT_EQ(sub.dump().find(PostgresServer::kPassword), std::string::npos) << sub.dump();
    nodes.insert(sub.value("node", "(none)"));
  }
  for (const auto& ran_on : nodes) EXPECT_TRUE(ran_on == "worker-a" || ran_on == "worker-b") << ran_on;
  auto totals = server.psql("SELECT count(DISTINCT first_id), sum(readings) FROM range_summaries");
  ASSERT_TRUE(totals) << totals.error();
  EXPECT_EQ(totals.value(), std::to_string(subtasks) + "|3000\n");
}

TEST(SqlRangeSummaries, TheSameModelRunsOnAnSqliteFile) {
  TempDir dir;
  const std::string file = dir.path() + "/readings.db";
  auto made = run_command("/usr/bin/sqlite3", {file, "CREATE TABLE readings (id bigint PRIMARY KEY, station text, value double precision);"
                                                     "WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 1000) "
                                                     "INSERT INTO readings SELECT n, 'S' || (n % 4), n FROM g;"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  auto r = run_command(fossa_bin(), {"run", "SqlRangeSummaries", "--workers", "2", "--context", "database=sqlite:///" + file});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto totals = run_command("/usr/bin/sqlite3", {file, "SELECT count(DISTINCT first_id), count(*), sum(readings), sum(total) FROM range_summaries"});
  EXPECT_EQ(totals.out, "2|8|1000|500500.0\n");
}

TEST(SqlSubtasks, ASubtaskThatFailsAfterWritingLeavesNoRowsAndItsRetryWritesThemOnce) {
  auto started = PostgresServer::start();
  ASSERT_TRUE(started) << started.error();
  const auto& server = *started.value();
  TempDir dir;
  const std::vector<std::pair<std::string, std::string>> databases = {
      {"--secret", "database=" + server.url()}, {"--context", "database=sqlite:///" + dir.path() + "/lucky.db"}};
  for (const auto& [option, database] : databases) {
    SCOPED_TRACE(database.substr(0, 20));
    TempDir markers;
    auto r = run_command(fossa_bin(), {"run", "SqlSecondTimeLucky", option, database, "-c", "output_datasets=" + markers.path(), "-w", "3"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("3 subtasks, 0 failed, 3 retried"), std::string::npos) << r.out;
  }
  auto postgres = server.psql("SELECT part, count(*), sum(n) FROM lucky_rows GROUP BY part ORDER BY part");
  ASSERT_TRUE(postgres) << postgres.error();
  EXPECT_EQ(postgres.value(), "a|1000|499500\nb|1000|499500\nc|1000|499500\n");
  auto sqlite = run_command("/usr/bin/sqlite3", {dir.path() + "/lucky.db", "SELECT part, count(*), sum(n) FROM lucky_rows GROUP BY part ORDER BY part"});
  EXPECT_EQ(sqlite.out, "a|1000|499500\nb|1000|499500\nc|1000|499500\n");
}
