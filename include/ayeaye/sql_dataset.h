// SQL datasets: a PostgreSQL database (through libpq) or an SQLite file (through libsqlite3), by
// an engine URL as Aye-Aye writes it, templated from the resolver context like every dataset:
//
//   ayeaye::SqlDataset readings{this, "postgresql://{db_user}:{db_password}@{db_host}/{db_name}?sslmode=require"};
//   ayeaye::SqlDataset summary{this, "sqlite:////data/summary.db", ayeaye::Access::kWrite,
//                              {.name = "summary", .columns = {"day", "total"}, .on_conflict = {"day"}}};
//
//   ayeaye::Rows rows = readings.query("SELECT day, value FROM readings WHERE station = $1", {station});
//   const std::size_t day = rows.column("day"), value = rows.column("value");
//   for (const ayeaye::Row& row : rows) summary.add_row({row[day], row.number(value)});
//
// Reading streams with bounded memory (PostgreSQL: COPY (query) TO STDOUT, or with parameters a
// cursor fetched 10,000 rows at a time; SQLite: one row at a time) into the same Row view as csv's
// rows(). Parameters are always bound, never pasted into the statement: `$1, $2, ...` (in SQLite
// numbered in order of first use; `?` and `?N` too).
//
// Writing happens in one transaction per dataset, opened by the first add_row() or sql():
// PostgreSQL rows go through COPY ... FROM STDIN, SQLite rows through one prepared INSERT. The
// transaction commits when the model closes the dataset after a stage (for a subtask: when the
// subtask method returns) and rolls back when the stage or subtask throws, so a failed subtask that
// is run again never writes twice. The password in the URL is never shown: url() and every error
// give the URL with the password as "***".
//
// A dataset belongs to its model's thread.
#pragma once

#include <concepts>
#include <cstddef>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ayeaye/dataset.h"
#include "ayeaye/row.h"

namespace ayeaye {

// One value for a statement's parameter or a written column. Text and bytes are views: the value
// must outlive the call it is passed to (it does, written inline). A string_view with no data
// (std::string_view{}, or a NULL field of a Row) is NULL, so a Row's fields pass through as they are.
class SqlValue {
 public:
  enum class Kind { kNull, kInteger, kReal, kBoolean, kText, kBytes };

  SqlValue() = default;  // NULL
  SqlValue(std::nullptr_t) {}
  SqlValue(bool value) : kind_(Kind::kBoolean), integer_(value ? 1 : 0) {}
  template <std::integral T>
    requires(!std::same_as<T, bool>)
  SqlValue(T value) : kind_(Kind::kInteger), integer_(static_cast<long long>(value)) {}
  template <std::floating_point T>
  SqlValue(T value) : kind_(Kind::kReal), real_(static_cast<double>(value)) {}
  SqlValue(std::string_view text) : kind_(text.data() == nullptr ? Kind::kNull : Kind::kText), text_(text) {}
  SqlValue(const char* text) : SqlValue(text == nullptr ? std::string_view() : std::string_view(text)) {}
  SqlValue(const std::string& text) : kind_(Kind::kText), text_(text) {}
  // Binary data: PostgreSQL bytea, an SQLite BLOB.
  static SqlValue bytes(std::string_view data) {
    SqlValue value;
    value.kind_ = Kind::kBytes;
    value.text_ = data.data() == nullptr ? std::string_view("", 0) : data;
    return value;
  }

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::kNull; }
  long long integer() const { return integer_; }  // kInteger; kBoolean as 0/1
  double real() const { return real_; }
  bool boolean() const { return integer_ != 0; }
  std::string_view text() const { return text_; }  // kText and kBytes

 private:
  Kind kind_ = Kind::kNull;
  long long integer_ = 0;
  double real_ = 0;
  std::string_view text_;
};

// The table a dataset's add_row() writes, and the order of its values.
struct SqlTable {
  std::string name;                  // "summary", or "schema.summary"
  std::vector<std::string> columns;  // add_row() gives a value for each, in this order
  // Key columns of a unique constraint: a row whose key is there already updates the other
  // columns (INSERT ... ON CONFLICT (keys) DO UPDATE). Empty: plain inserts.
  std::vector<std::string> on_conflict = {};
};

struct SqlUrl;      // the parsed URL (internal)
class SqlSession;   // one connection to the database (internal)

class SqlDataset : public DatasetBase {
 public:
  // `postgresql://user:password@host:port/database?sslmode=require&...` (every libpq parameter
  // after `?` is passed on; `postgres://` too) or `sqlite:///relative.db`, `sqlite:////absolute.db`.
  SqlDataset(Model* owner, std::string url_template, Access access = Access::kRead, SqlTable table = {});
  ~SqlDataset() override;

  // The URL with its template filled in and the password shown as "***".
  std::string url() const;
  // "postgresql" or "sqlite".
  std::string engine() const;

  // Reading: one pass over a query's rows, streamed. A new query() (or the end of the stage) ends
  // the previous pass. Reads see what is committed: this dataset's own writes once a stage closed it.
  Rows query(std::string_view statement, std::initializer_list<SqlValue> parameters = {});
  Rows query(std::string_view statement, std::span<const SqlValue> parameters);
  // Every row of a table ("name" or "schema.name").
  Rows table(std::string_view name);

  // Writing, in the dataset's transaction. add_row: one row into the SqlTable the dataset was
  // declared with, a value for each of its columns.
  void add_row(std::initializer_list<SqlValue> values) { add_row(std::span(values.begin(), values.size())); }
  void add_row(std::span<const SqlValue> values);
  // A statement (DDL, DELETE, UPDATE, ...) with bound parameters; returns the rows it changed.
  long long sql(std::string_view statement, std::initializer_list<SqlValue> parameters = {}) {
    return sql(statement, std::span(parameters.begin(), parameters.size()));
  }
  long long sql(std::string_view statement, std::span<const SqlValue> parameters);

  // Commits the transaction (if one is open) and ends a read pass.
  void close() override;
  // Rolls the transaction back.
  void abandon() override;

 private:
  void resolve() const;
  SqlSession& writer();
  [[noreturn]] void fail(const std::string& what) const;

  std::string url_template_;
  Access access_;
  SqlTable table_;
  mutable std::unique_ptr<SqlUrl> parsed_;
  std::unique_ptr<SqlSession> reader_;
  std::unique_ptr<RowSource> reading_;
  std::unique_ptr<SqlSession> writer_;
};

}  // namespace ayeaye
