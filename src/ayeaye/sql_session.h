// One connection to an SQL database, behind SqlDataset: PostgreSQL (postgres_session.cc, libpq)
// or SQLite (sqlite_session.cc, libsqlite3). A session either reads (query(): one pass at a time)
// or writes (execute() and add_row() in one transaction that the first of them opens, until
// commit() or rollback()). Every error is an ayeaye::Error that starts with the dataset's URL
// (password hidden). One owner thread. Internal.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ayeaye/sql_dataset.h"
#include "csv_parser.h"
#include "sql_url.h"

namespace ayeaye {

class SqlSession {
 public:
  virtual ~SqlSession() = default;

  // A pass over the statement's rows. The source lives no longer than the session; opening
  // another pass ends this one.
  virtual std::unique_ptr<RowSource> query(const std::string& statement, std::span<const SqlValue> parameters) = 0;

  // In the transaction: a statement with bound parameters; the rows it changed.
  virtual long long execute(const std::string& statement, std::span<const SqlValue> parameters) = 0;
  // In the transaction: one row into `table` (the same table on every call of a session).
  virtual void add_row(const SqlTable& table, std::span<const SqlValue> values) = 0;
  virtual void commit() = 0;
  virtual void rollback() noexcept = 0;
};

std::unique_ptr<SqlSession> open_postgres_session(const SqlUrl& url);
std::unique_ptr<SqlSession> open_sqlite_session(const SqlUrl& url, bool writing);

// What SQL rows share as a RowSource: a header of column names, a row's fields as views (NULL as a
// view with no data), and "URL (statement) row N" for messages.
class SqlRowSource : public RowSource {
 public:
  SqlRowSource(std::string dataset, std::string text) : dataset_(std::move(dataset)), statement_(std::move(text)) {}
  const std::vector<std::string>& header() const override { return header_; }
  const std::string& name() const override { return dataset_; }
  std::size_t line() const override { return row_number_; }
  std::string position() const override;
  const std::string& statement() const { return statement_; }

 protected:
  // Points `row` at fields_ and counts it.
  void emit(Row& row) {
    ++row_number_;
    point(row, fields_.data(), fields_.size(), this);
  }
  std::vector<std::string> header_;
  std::vector<std::string_view> fields_;

 private:
  std::string dataset_;
  std::string statement_;
  std::size_t row_number_ = 0;
};

// "schema"."table": each dotted part quoted as an identifier (an embedded '"' doubled).
std::string quoted_identifier(std::string_view name);
// ("a", "b"): the table's columns, quoted.
std::string column_list(const SqlTable& table);
// INSERT INTO "table" ("a", "b") <source>, then for an upsert ON CONFLICT ("key") DO UPDATE SET
// "b" = excluded."b" (DO NOTHING when every column is a key). `source` is "VALUES (...)" or a SELECT.
std::string insert_statement(const SqlTable& table, std::string_view source);

}  // namespace ayeaye
