// SQL datasets over real SQLite files: values both ways, the transaction a stage writes in, and
// errors that name the dataset.
#include <gtest/gtest.h>

#include <functional>
#include <limits>

#include "ayeaye/sql_dataset.h"
#include "unit/dataset_fixture.h"

namespace {

using ayeaye_test::Owner;
using ayeaye_test::TempDirectory;

// A model whose build() is given by the test.
class Stage : public ayeaye::Model {
 public:
  explicit Stage(const std::string& dir) {
    ayeaye::ResolverContext context;
    context.set("dir", dir);
    set_context(context);
  }
  void build() override { body(); }
  std::function<void()> body;
};

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const ayeaye::Error& e) {
    return e.what();
  }
  return "(no error)";
}

long long count_rows(Owner& owner, const std::string& table) {
  ayeaye::SqlDataset database(&owner, "sqlite:///{dir}/x.db");
  for (const ayeaye::Row& row : database.query("SELECT count(*) AS n FROM " + table)) return row.integer(0);
  return -1;
}

}  // namespace

TEST(SqliteDataset, ValuesOfEveryKindGoInAndComeBackAsWritten) {
  TempDirectory dir;
  Owner owner(dir.path());
  const std::string tricky = "quote \" and ' tab\there\nnew line \\ backslash, Zürich ✓ 東京";
  const std::string blob("\x00\x01\xff\n", 4);
  {
    ayeaye::SqlDataset out(&owner, "sqlite:///{dir}/x.db", ayeaye::Access::kWrite,
                           {.name = "kinds", .columns = {"id", "t", "i", "r", "b", "d", "bytes"}});
    out.sql("CREATE TABLE kinds (id INTEGER PRIMARY KEY, t TEXT, i INTEGER, r REAL, b BOOLEAN, d DATE, bytes BLOB)");
    out.add_row({1, tricky, std::numeric_limits<long long>::max(), 0.1, true, "2026-12-07", ayeaye::SqlValue::bytes(blob)});
    out.add_row({2, "", std::numeric_limits<long long>::min(), -1.5e300, false, nullptr, nullptr});
    out.add_row({3, nullptr, nullptr, nullptr, nullptr, nullptr, ayeaye::SqlValue::bytes("")});
  }  // closing commits
  ayeaye::SqlDataset in(&owner, "sqlite:///{dir}/x.db");
  ayeaye::Rows rows = in.query("SELECT * FROM kinds WHERE id >= ? ORDER BY id", {1});
  const std::size_t t = rows.column("t"), i = rows.column("i"), r = rows.column("r"), b = rows.column("b"),
                    d = rows.column("d"), bytes = rows.column("bytes");
  std::vector<std::string> seen;
  for (const ayeaye::Row& row : rows) {
    if (row.integer(0) == 1) {
      EXPECT_EQ(row[t], tricky);
      EXPECT_EQ(row.integer(i), std::numeric_limits<long long>::max());
      EXPECT_EQ(row.number(r), 0.1);
      EXPECT_TRUE(row.boolean(b));
      EXPECT_EQ(row[d], "2026-12-07");
      EXPECT_EQ(row[bytes], blob);
    } else if (row.integer(0) == 2) {
      EXPECT_EQ(row[t], "");
      EXPECT_FALSE(row.is_null(t));
      EXPECT_EQ(row.integer(i), std::numeric_limits<long long>::min());
      EXPECT_EQ(row.number(r), -1.5e300);
      EXPECT_FALSE(row.boolean(b));
      EXPECT_TRUE(row.is_null(d));
      EXPECT_TRUE(row.is_null(bytes));
    } else {
      for (std::size_t c = 1; c < 6; ++c) EXPECT_TRUE(row.is_null(c)) << c;
      EXPECT_FALSE(row.is_null(bytes));
      EXPECT_EQ(row[bytes], "");
    }
    seen.push_back(std::string(row[0]));
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_EQ(error_of([&] {
              for (const ayeaye::Row& row : in.table("kinds")) (void)row.integer(t);
            }),
            "dataset sqlite:///" + dir.path() + "/x.db (SELECT * FROM \"kinds\") row 1: column 2 (t): '" + tricky +
                "' is not an integer");
  EXPECT_EQ(error_of([&] {
              for (const ayeaye::Row& row : in.query("SELECT i FROM kinds WHERE id = 3")) (void)row.integer(0);
            }),
            "dataset sqlite:///" + dir.path() + "/x.db (SELECT i FROM kinds WHERE id = 3) row 1: column 1 (i): NULL is not an integer");
}

TEST(SqliteDataset, AStageThatThrowsLeavesNoRowsAndRunAgainWritesThemOnce) {
  TempDirectory dir;
  Owner owner(dir.path());
  {
    ayeaye::SqlDataset setup(&owner, "sqlite:///{dir}/x.db", ayeaye::Access::kWrite);
    setup.sql("CREATE TABLE totals (k TEXT, n INTEGER)");
  }
  bool fail = true;
  Stage stage(dir.path());
  ayeaye::SqlDataset totals(&stage, "sqlite:///{dir}/x.db", ayeaye::Access::kWrite, {.name = "totals", .columns = {"k", "n"}});
  stage.body = [&] {
    for (int i = 0; i < 1000; ++i) totals.add_row({"k" + std::to_string(i), i});
    totals.sql("DELETE FROM totals WHERE n < ?", {10});
    if (fail) throw std::runtime_error("the subtask fails after writing");
  };
  EXPECT_THROW(stage.go(), std::runtime_error);
  EXPECT_EQ(count_rows(owner, "totals"), 0);
  fail = false;
  EXPECT_TRUE(stage.go());
  EXPECT_EQ(count_rows(owner, "totals"), 990);
}

TEST(SqliteDataset, OnConflictUpdatesTheRowsWhoseKeyIsThere) {
  TempDirectory dir;
  Owner owner(dir.path());
  ayeaye::SqlTable table{.name = "totals", .columns = {"k", "n"}, .on_conflict = {"k"}};
  {
    ayeaye::SqlDataset out(&owner, "sqlite:///{dir}/x.db", ayeaye::Access::kWrite, table);
    out.sql("CREATE TABLE totals (k TEXT PRIMARY KEY, n INTEGER)");
    out.add_row({"a", 1});
    out.add_row({"b", 2});
  }
  {
    ayeaye::SqlDataset out(&owner, "sqlite:///{dir}/x.db", ayeaye::Access::kWrite, table);
    out.add_row({"a", 10});
    out.add_row({"c", 3});
  }
  ayeaye::SqlDataset in(&owner, "sqlite:///{dir}/x.db");
  std::string seen;
  for (const ayeaye::Row& row : in.query("SELECT k, n FROM totals ORDER BY k")) seen += std::string(row[0]) + "=" + std::string(row[1]) + " ";
  EXPECT_EQ(seen, "a=10 b=2 c=3 ");
}

TEST(SqliteDataset, MissingFileMissingTableAndMisuseAreErrorsNamingTheDataset) {
  TempDirectory dir;
  Owner owner(dir.path());
  const std::string name = "dataset sqlite:///" + dir.path() + "/";
  ayeaye::SqlDataset missing(&owner, "sqlite:///{dir}/absent.db");
  EXPECT_EQ(error_of([&] { missing.table("t"); }), name + "absent.db: no such database file " + dir.path() + "/absent.db");
  {
    ayeaye::SqlDataset out(&owner, "sqlite:///{dir}/x.db", ayeaye::Access::kWrite);
    out.sql("CREATE TABLE t (a INTEGER)");
  }
  ayeaye::SqlDataset in(&owner, "sqlite:///{dir}/x.db");
  EXPECT_EQ(error_of([&] { in.table("nope"); }), name + "x.db: no such table: nope (in: SELECT * FROM \"nope\")");
  EXPECT_EQ(error_of([&] { in.query("SELECT * FROM t WHERE a = ?"); }),
            name + "x.db: the statement has 1 parameters, 0 given (in: SELECT * FROM t WHERE a = ?)");
  EXPECT_EQ(error_of([&] { in.sql("DELETE FROM t"); }), name + "x.db: is read-only; declare it Access::kWrite to write to it");
  EXPECT_EQ(error_of([&] { in.table("t").column("b"); }), name + "x.db: no column 'b' in the header (a)");
  ayeaye::SqlDataset no_table(&owner, "sqlite:///{dir}/x.db", ayeaye::Access::kWrite);
  EXPECT_EQ(error_of([&] { no_table.add_row({1}); }),
            name + "x.db: add_row() needs the table and its columns: declare the dataset with an SqlTable");
  ayeaye::SqlDataset bad(&owner, "sqlite://x.db");
  EXPECT_NE(error_of([&] { bad.table("t"); }).find("write sqlite:///relative/file.db or sqlite:////absolute/file.db"),
            std::string::npos);
}
