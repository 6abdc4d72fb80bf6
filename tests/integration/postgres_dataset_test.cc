// SQL datasets against a real PostgreSQL server the tests start (support/postgres_server.h):
// values both ways through COPY and a cursor, a stage's transaction, upserts, errors that name the
// dataset and never show its password, and a query far larger than memory read a batch at a time.
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <limits>
#include <stdexcept>

#include "ayeaye/model.h"
#include "ayeaye/sql_dataset.h"
#include "support/postgres_server.h"
#include "support/suite_set_up.h"

using fossa::testing::PostgresServer;

namespace {

// A model owning the datasets of a test, in a context with the server's URL as a secret; its
// build() is given by the test.
class Stage : public ayeaye::Model {
 public:
  explicit Stage(const std::string& url, const std::string& password = PostgresServer::kPassword) {
    ayeaye::ResolverContext context;
    context.set("db_url", url);
    context.set("db_password", password, /*secret=*/true);
    set_context(context);
  }
  void build() override { body(); }
  std::function<void()> body = [] {};
};

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const ayeaye::Error& e) {
    return e.what();
  }
  return "(no error)";
}

// A figure from /proc/self/status, in KiB.
long status_kib(const std::string& field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
  }
  return -1;
}

// One server for the suite; each test uses tables of its own. A server that does not start fails
// every test, naming why (suite_set_up.h).
class PostgresDataset : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    set_up_.run([] {
      auto started = PostgresServer::start();
      if (!started) throw std::runtime_error(started.error());
      server_ = std::move(started).value().release();
    });
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override { set_up_.check(); }

  long long count(const std::string& table) {
    Stage stage(server_->url());
    ayeaye::SqlDataset database(&stage, "{db_url}");
    for (const ayeaye::Row& row : database.query("SELECT count(*) FROM " + table)) return row.integer(0);
    return -1;
  }

  static fossa::testing::SuiteSetUp set_up_;
  static PostgresServer* server_;
};

fossa::testing::SuiteSetUp PostgresDataset::set_up_;
PostgresServer* PostgresDataset::server_ = nullptr;

}  // namespace

TEST_F(PostgresDataset, ValuesOfEveryTypeGoInThroughCopyAndComeBackThroughACursor) {
  Stage stage(server_->url());
  const std::string tricky = "quote \" and ' tab\there\nnew line\r\\ backslash \\N, Zürich ✓ 東京";
  const std::string blob("\x00\x01\xff\n\\", 5);
  {
    ayeaye::SqlDataset out(&stage, "{db_url}", ayeaye::Access::kWrite,
                           {.name = "public.kinds", .columns = {"id", "t", "i8", "i4", "f", "b", "d", "n", "bytes"}});
    out.sql("CREATE TABLE kinds (id int PRIMARY KEY, t text, i8 bigint, i4 integer, f double precision, b boolean, d date, "
            "n numeric, bytes bytea)");
    out.add_row({1, tricky, std::numeric_limits<long long>::max(), std::numeric_limits<int>::min(), 0.1, true, "2026-12-07",
                 "12345678901234567890.123456789", ayeaye::SqlValue::bytes(blob)});
    out.add_row({2, "", std::numeric_limits<long long>::min(), std::numeric_limits<int>::max(),
                 std::numeric_limits<double>::infinity(), false, "1900-02-28", "-0.000000001", ayeaye::SqlValue::bytes("")});
    out.add_row({3, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr});
  }
  ayeaye::SqlDataset in(&stage, "{db_url}");
  // With parameters, through a cursor; without, through COPY ... TO STDOUT.
  const std::string with_parameters = "SELECT * FROM kinds WHERE id >= $1 AND t IS DISTINCT FROM $2 ORDER BY id";
  for (const std::string& statement : {with_parameters, std::string("SELECT * FROM kinds ORDER BY id")}) {
  SCOPED_TRACE(statement);
  ayeaye::Rows rows = statement == with_parameters ? in.query(statement, {1, "absent"}) : in.query(statement);
  const std::size_t t = rows.column("t"), i8 = rows.column("i8"), i4 = rows.column("i4"), f = rows.column("f"),
                    b = rows.column("b"), d = rows.column("d"), n = rows.column("n"), bytes = rows.column("bytes");
  int seen = 0;
  for (const ayeaye::Row& row : rows) {
    ++seen;
    if (row.integer(0) == 1) {
      EXPECT_EQ(row[t], tricky);
      EXPECT_EQ(row.integer(i8), std::numeric_limits<long long>::max());
      EXPECT_EQ(row.integer(i4), std::numeric_limits<int>::min());
      EXPECT_EQ(row.number(f), 0.1);
      EXPECT_TRUE(row.boolean(b));
      EXPECT_EQ(row[d], "2026-12-07");
      EXPECT_EQ(row[n], "12345678901234567890.123456789");
      EXPECT_EQ(row[bytes], blob);
    } else if (row.integer(0) == 2) {
      EXPECT_EQ(row[t], "");
      EXPECT_FALSE(row.is_null(t));
      EXPECT_EQ(row.integer(i8), std::numeric_limits<long long>::min());
      EXPECT_EQ(row.number(f), std::numeric_limits<double>::infinity());
      EXPECT_FALSE(row.boolean(b));
      EXPECT_EQ(row[d], "1900-02-28");
      EXPECT_EQ(row[n], "-0.000000001");
      EXPECT_FALSE(row.is_null(bytes));
      EXPECT_EQ(row[bytes], "");
    } else {
      for (std::size_t c = 1; c < row.size(); ++c) EXPECT_TRUE(row.is_null(c)) << c;
      EXPECT_EQ(error_of([&] { (void)row.number(f); }),
                "dataset " + in.url() + " (" + statement + ") row 3: column 5 (f): NULL is not a number");
    }
  }
  EXPECT_EQ(seen, 3);
  }
  // Parameters are bound, never pasted: a value that looks like SQL is only a value.
  int matched = 0;
  for (const ayeaye::Row& row : in.query("SELECT id FROM kinds WHERE t = $1", {"x' OR '1'='1"})) matched += static_cast<int>(row.size());
  EXPECT_EQ(matched, 0);
}

TEST_F(PostgresDataset, AStageThatThrowsLeavesNoRowsAndRunAgainWritesThemOnce) {
  Stage stage(server_->url());
  {
    ayeaye::SqlDataset setup(&stage, "{db_url}", ayeaye::Access::kWrite);
    setup.sql("CREATE TABLE retried (k text, n bigint)");
  }
  bool fail = true;
  ayeaye::SqlDataset out(&stage, "{db_url}", ayeaye::Access::kWrite, {.name = "retried", .columns = {"k", "n"}});
  stage.body = [&] {
    for (int i = 0; i < 100000; ++i) out.add_row({"k" + std::to_string(i), i});  // past one COPY chunk
    out.sql("DELETE FROM retried WHERE n < $1", {10});  // ends the COPY: the rows are in the transaction
    out.add_row({"last", -1});
    if (fail) throw std::runtime_error("the subtask fails after writing");
  };
  EXPECT_THROW(stage.go(), std::runtime_error);
  EXPECT_EQ(count("retried"), 0);
  fail = false;
  EXPECT_TRUE(stage.go());
  EXPECT_EQ(count("retried"), 99991);
}

TEST_F(PostgresDataset, OnConflictUpdatesTheRowsWhoseKeyIsThere) {
  Stage stage(server_->url());
  const ayeaye::SqlTable table{.name = "upserted", .columns = {"k", "n"}, .on_conflict = {"k"}};
  {
    ayeaye::SqlDataset out(&stage, "{db_url}", ayeaye::Access::kWrite, table);
    out.sql("CREATE TABLE upserted (k text PRIMARY KEY, n bigint)");
    out.add_row({"a", 1});
    out.add_row({"b", 2});
  }
  for (int round = 0; round < 2; ++round) {  // twice: the same rows again change nothing
    ayeaye::SqlDataset out(&stage, "{db_url}", ayeaye::Access::kWrite, table);
    out.add_row({"a", 10});
    out.add_row({"c", 3});
  }
  ayeaye::SqlDataset in(&stage, "{db_url}");
  std::string seen;
  for (const ayeaye::Row& row : in.query("SELECT k, n FROM upserted ORDER BY k")) seen += std::string(row[0]) + "=" + std::string(row[1]) + " ";
  EXPECT_EQ(seen, "a=10 b=2 c=3 ");
}

TEST_F(PostgresDataset, AWrongPasswordIsRefusedWithAnErrorNamingTheDatasetButNotThePassword) {
  const std::string wrong = "not-the-Pa55word";
  Stage stage(server_->url_with_password(wrong));
  ayeaye::SqlDataset database(&stage, "{db_url}");
  const std::string error = error_of([&] { database.table("kinds"); });
  EXPECT_EQ(error.find(wrong), std::string::npos) << error;
  EXPECT_EQ(error.rfind("dataset postgresql://fossa_test:***@127.0.0.1:" + std::to_string(server_->port()) + "/postgres: cannot connect: ", 0), 0u) << error;
  EXPECT_NE(error.find("password authentication failed for user \"fossa_test\""), std::string::npos) << error;
}

TEST_F(PostgresDataset, APasswordFromASecretFillsTheTemplateAndUrlShowsItHidden) {
  Stage stage(server_->url());
  ayeaye::SqlDataset database(&stage, std::string("postgresql://") + PostgresServer::kUser + ":{db_password}@127.0.0.1:" +
                                          std::to_string(server_->port()) + "/postgres?sslmode=disable&application_name=h25");
  EXPECT_EQ(database.url(), "postgresql://fossa_test:***@127.0.0.1:" + std::to_string(server_->port()) +
                                "/postgres?sslmode=disable&application_name=h25");
  std::string name;
  for (const ayeaye::Row& row : database.query("SELECT current_setting('application_name')")) name = row[0];
  EXPECT_EQ(name, "h25");  // a parameter after '?' reached libpq
}

TEST_F(PostgresDataset, BadUrlsMissingTablesAndBadValuesAreErrorsNamingTheDataset) {
  Stage stage(server_->url());
  ayeaye::SqlDataset bad_port(&stage, "postgresql://fossa_test:{db_password}@127.0.0.1:0/postgres");
  EXPECT_EQ(error_of([&] { bad_port.table("t"); }),
            "dataset URL 'postgresql://fossa_test:***@127.0.0.1:0/postgres': the port '0' is not a number from 1 to 65535");
  ayeaye::SqlDataset bad_parameter(&stage, "{db_url}?no_such_option=1");
  const std::string parameter_error = error_of([&] { bad_parameter.table("t"); });
  EXPECT_NE(parameter_error.find("invalid connection option \"no_such_option\""), std::string::npos) << parameter_error;
  EXPECT_EQ(parameter_error.find(PostgresServer::kPassword), std::string::npos) << parameter_error;

  ayeaye::SqlDataset database(&stage, "{db_url}", ayeaye::Access::kReadWrite, {.name = "typed", .columns = {"n"}});
  const std::string name = "dataset " + database.url() + ": ";
  EXPECT_EQ(error_of([&] { database.table("no_such_table"); }),
            name + "relation \"no_such_table\" does not exist (in: SELECT * FROM \"no_such_table\")");
  database.sql("CREATE TABLE typed (n integer)");
  database.close();
  database.add_row({"not a number"});
  const std::string value_error = error_of([&] { database.close(); });
  EXPECT_EQ(value_error.rfind(name + "invalid input syntax for type integer: \"not a number\"", 0), 0u) << value_error;
  EXPECT_NE(value_error.find("COPY typed, line 1, column n"), std::string::npos) << value_error;
  EXPECT_EQ(count("typed"), 0);
}

TEST_F(PostgresDataset, ALostConnectionMidWriteIsAnErrorNamingTheDatasetAndNothingIsWritten) {
  Stage stage(server_->url() + "?application_name=lost_midway");
  ayeaye::SqlDataset out(&stage, "{db_url}", ayeaye::Access::kWrite, {.name = "lost", .columns = {"n"}});
  out.sql("CREATE TABLE IF NOT EXISTS lost (n integer)");
  out.close();
  for (int i = 0; i < 1000; ++i) out.add_row({i});
  auto killed = server_->psql("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'lost_midway'");
  ASSERT_TRUE(killed) << killed.error();
  ASSERT_EQ(killed.value(), "1\n");
  const std::string error = error_of([&] {
    for (int i = 0; i < 300000; ++i) out.add_row({i});  // past a chunk: sent to the closed connection
    out.close();
  });
  EXPECT_EQ(error.rfind("dataset " + out.url() + ": the connection was lost", 0), 0u) << error;
  EXPECT_EQ(count("lost"), 0);
}

TEST_F(PostgresDataset, FiveMillionRowsAreReadWithMemoryBoundedThroughACursorAndThroughCopy) {
  Stage stage(server_->url());
  ayeaye::SqlDataset database(&stage, "{db_url}");
  for (const bool with_parameter : {true, false}) {
    SCOPED_TRACE(with_parameter ? "a cursor" : "COPY");
    const long rss_before = status_kib("VmRSS");
    { std::ofstream("/proc/self/clear_refs") << "5"; }  // VmHWM starts again from the present size
    long long rows = 0;
    long long sum = 0;
    ayeaye::Rows result = with_parameter
                              ? database.query("SELECT g, repeat('x', 50) AS padding FROM generate_series(1, $1::bigint) AS g", {5000000})
                              : database.query("SELECT g, repeat('x', 50) AS padding FROM generate_series(1, 5000000) AS g");
    for (const ayeaye::Row& row : result) {
      ++rows;
      sum += row.integer(0);
    }
    const long peak_growth_kib = status_kib("VmHWM") - rss_before;
    EXPECT_EQ(rows, 5000000);
    EXPECT_EQ(sum, 5000000LL * 5000001LL / 2);
    // All of it at once would be some 400 MB of results; a batch of 10,000 rows is about 1 MB.
    EXPECT_LT(peak_growth_kib, 64 * 1024) << "the peak grew by " << peak_growth_kib << " KiB";
  }
}

TEST_F(PostgresDataset, APassLeftBeforeItsEndIsEndedAndTheNextQueryWorks) {
  Stage stage(server_->url());
  ayeaye::SqlDataset database(&stage, "{db_url}");
  for (const bool with_parameter : {true, false}) {
    for (int pass = 0; pass < 2; ++pass) {
      long long first = 0;
      ayeaye::Rows rows = with_parameter ? database.query("SELECT g FROM generate_series(1, $1::bigint) AS g", {1000000})
                                         : database.query("SELECT g FROM generate_series(1, 1000000) AS g");
      for (const ayeaye::Row& row : rows) {
        first = row.integer(0);
        break;
      }
      EXPECT_EQ(first, 1);
    }
  }
  long long count = 0;
  for (const ayeaye::Row& row : database.query("SELECT count(*) FROM generate_series(1, 10)")) count = row.integer(0);
  EXPECT_EQ(count, 10);
}
