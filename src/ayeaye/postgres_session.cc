// SqlSession over libpq. Reading a statement without parameters: COPY (statement) TO STDOUT, one
// row at a time in COPY's text form (the server's fastest way out; the column names from a
// describe of the statement first). COPY takes no parameters, so a statement with them goes
// through a cursor in its own transaction (BEGIN; DECLARE ... NO SCROLL CURSOR; FETCH FORWARD
// kFetchRows at a time). Either way a query of any size holds a row or a batch in memory.
// Writing: BEGIN at the first write; rows are encoded in COPY text form (copy_text.h) and sent
// through COPY ... FROM STDIN in chunks of kCopyChunkBytes; an upsert copies into a temporary
// table and merges it with INSERT ... SELECT ... ON CONFLICT when the COPY ends. A statement
// between rows ends the COPY first, so statements and rows apply in the order they were given.
#include <libpq-fe.h>

#include <cstdlib>
#include <memory>

#include "ayeaye/error.h"
#include "copy_text.h"
#include "sql_session.h"

namespace ayeaye {
namespace {

constexpr int kFetchRows = 10000;
constexpr std::size_t kCopyChunkBytes = 1 << 20;
constexpr unsigned kByteaType = 17;  // pg_type's oid of bytea
constexpr const char* kStagingTable = "fossa_staged_rows";

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// A failed result's message: the primary text, and the detail and context when the server gave them
// (COPY's context names the line and column of a bad value).
std::string result_message(const PGresult* result, PGconn* connection) {
  if (result == nullptr) return trimmed(PQerrorMessage(connection));
  const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
  if (primary == nullptr) {
    std::string message = trimmed(PQresultErrorMessage(result));
    return message.empty() ? trimmed(PQerrorMessage(connection)) : message;
  }
  std::string message = primary;
  if (const char* detail = PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL)) message += " (" + std::string(detail) + ")";
  if (const char* context = PQresultErrorField(result, PG_DIAG_CONTEXT)) message += "; " + trimmed(context);
  return message;
}

// Parameters in libpq's form: text, except bytes (binary); NULL as a null pointer.
class PgParameters {
 public:
  explicit PgParameters(std::span<const SqlValue> given) {
    texts_.reserve(given.size());
    for (const SqlValue& value : given) {
      texts_.emplace_back();
      if (value.kind() == SqlValue::Kind::kText || value.kind() == SqlValue::Kind::kBytes) {
        texts_.back().assign(value.text());
      } else if (value.kind() == SqlValue::Kind::kBoolean) {
        texts_.back() = value.boolean() ? "true" : "false";
      } else if (!value.is_null()) {
        append_copy_value(texts_.back(), value);
      }
    }
    for (std::size_t i = 0; i < given.size(); ++i) {
      pointers_.push_back(given[i].is_null() ? nullptr : texts_[i].c_str());
      lengths_.push_back(static_cast<int>(texts_[i].size()));
      formats_.push_back(given[i].kind() == SqlValue::Kind::kBytes ? 1 : 0);
    }
  }
  int count() const { return static_cast<int>(pointers_.size()); }
  const char* const* values() const { return pointers_.data(); }
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_.data(); }

 private:
  std::vector<std::string> texts_;
  std::vector<const char*> pointers_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
};

class PostgresSession;

class PostgresCursor : public SqlRowSource {
 public:
  PostgresCursor(PostgresSession& session, std::string dataset, std::string text);
  ~PostgresCursor() override;
  bool next(Row& row) override;

 private:
  void fetch();

  PostgresSession& session_;
  PgResult batch_;
  int rows_in_batch_ = 0;
  int next_row_ = 0;
  bool finished_ = false;
  std::vector<bool> bytea_;
  std::vector<std::string> decoded_;  // a bytea column's bytes, for the current row
};

class PostgresCopyOut : public SqlRowSource {
 public:
  PostgresCopyOut(PostgresSession& session, PGconn* connection, std::string dataset, std::string text,
                  const PGresult* description);
  ~PostgresCopyOut() override;
  bool next(Row& row) override;

 private:
  void release() {
    if (buffer_ != nullptr) PQfreemem(buffer_);
    buffer_ = nullptr;
  }

  PostgresSession& session_;
  PGconn* connection_;
  char* buffer_ = nullptr;
  bool finished_ = false;
  std::vector<bool> bytea_;
  std::vector<std::string> unescaped_;
  std::vector<std::string> decoded_;
};

class PostgresSession : public SqlSession {
 public:
  explicit PostgresSession(const SqlUrl& url) : url_(url) {
    std::vector<std::pair<std::string, std::string>> keywords = url.keywords;
    auto set_default = [&](const std::string& keyword, const std::string& value) {
      for (const auto& [k, v] : keywords) {
        if (k == keyword) return;
      }
      keywords.emplace_back(keyword, value);
    };
    set_default("connect_timeout", "10");
    set_default("application_name", "fossa");
    set_default("client_encoding", "UTF8");
    std::vector<const char*> names;
    std::vector<const char*> values;
    for (const auto& [k, v] : keywords) {
      names.push_back(k.c_str());
      values.push_back(v.c_str());
    }
    names.push_back(nullptr);
    values.push_back(nullptr);
    connection_ = PQconnectdbParams(names.data(), values.data(), 0);
    if (connection_ == nullptr) fail("cannot connect: out of memory");
    if (PQstatus(connection_) != CONNECTION_OK) fail("cannot connect: " + trimmed(PQerrorMessage(connection_)));
  }
  ~PostgresSession() override {
    if (in_transaction_) rollback();
    PQfinish(connection_);
  }

  std::unique_ptr<RowSource> query(const std::string& statement, std::span<const SqlValue> parameters) override {
    end_reading();
    if (parameters.empty()) return copy_out(statement);
    run("BEGIN", {}, PGRES_COMMAND_OK, statement);
    reading_ = true;
    run("DECLARE fossa_rows NO SCROLL CURSOR FOR " + statement, parameters, PGRES_COMMAND_OK, statement);
    return std::make_unique<PostgresCursor>(*this, "dataset " + url_.display, statement);
  }

  long long execute(const std::string& statement, std::span<const SqlValue> parameters) override {
    begin_writing();
    end_copy();
    PgResult result = run(statement, parameters, PGRES_COMMAND_OK, statement, PGRES_TUPLES_OK);
    return std::atoll(PQcmdTuples(result.get()));
  }

  void add_row(const SqlTable& table, std::span<const SqlValue> values) override {
    begin_writing();
    if (!copying_) start_copy(table);
    append_copy_row(copy_buffer_, values);
    if (copy_buffer_.size() >= kCopyChunkBytes) send_copy_buffer();
  }

  void commit() override {
    if (!in_transaction_) return;
    end_copy();
    run("COMMIT", {}, PGRES_COMMAND_OK, "COMMIT");
    in_transaction_ = false;
  }

  void rollback() noexcept override {
    if (!in_transaction_) return;
    in_transaction_ = false;
    if (copying_) {
      copying_ = nullptr;
      copy_buffer_.clear();
      PQputCopyEnd(connection_, "the subtask failed");  // the server ends the COPY with an error
      while (PGresult* result = PQgetResult(connection_)) PQclear(result);
    }
    PQclear(PQexec(connection_, "ROLLBACK"));
  }

  // --- for PostgresCursor ---
  PgResult fetch_batch(const std::string& statement) {
    return run("FETCH FORWARD " + std::to_string(kFetchRows) + " FROM fossa_rows", {}, PGRES_TUPLES_OK, statement);
  }
  // Ends the read transaction (and with it the cursor), or a COPY out before its end: the server
  // is asked to cancel it, and what it sent meanwhile is read and dropped.
  void end_reading() noexcept {
    if (copying_out_) {
      copying_out_ = false;
      if (PGcancel* cancel = PQgetCancel(connection_)) {
        char ignored[256];
        PQcancel(cancel, ignored, sizeof ignored);
        PQfreeCancel(cancel);
      }
      char* buffer = nullptr;
      while (PQgetCopyData(connection_, &buffer, 0) > 0) PQfreemem(buffer);
      while (PGresult* result = PQgetResult(connection_)) PQclear(result);
    }
    if (!reading_) return;
    reading_ = false;
    PQclear(PQexec(connection_, "ROLLBACK"));
  }
  // The COPY out has ended: its final result, an Error when the server reported one.
  void finish_copy_out(const std::string& statement) {
    copying_out_ = false;
    PgResult result(PQgetResult(connection_));
    while (PGresult* extra = PQgetResult(connection_)) PQclear(extra);
    if (!result || PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
      std::string message = result_message(result.get(), connection_);
      if (PQstatus(connection_) != CONNECTION_OK) message = "the connection was lost: " + message;
      fail(message + " (in: " + statement + ")");
    }
  }
  [[noreturn]] void fail_reading(const std::string& what, const std::string& statement) {
    copying_out_ = false;
    fail(what + " (in: " + statement + ")");
  }

 private:
  std::unique_ptr<RowSource> copy_out(const std::string& statement) {
    // The columns first: a describe of the statement (unnamed, prepared and described).
    PgResult prepared(PQprepare(connection_, "", statement.c_str(), 0, nullptr));
    if (!prepared || PQresultStatus(prepared.get()) != PGRES_COMMAND_OK) {
      fail(result_message(prepared.get(), connection_) + " (in: " + statement + ")");
    }
    PgResult description(PQdescribePrepared(connection_, ""));
    if (!description || PQresultStatus(description.get()) != PGRES_COMMAND_OK) {
      fail(result_message(description.get(), connection_) + " (in: " + statement + ")");
    }
    std::string body = statement;
    while (!body.empty() && (body.back() == ';' || body.back() == ' ' || body.back() == '\n' || body.back() == '\t')) body.pop_back();
    const std::string copy = "COPY (" + body + ") TO STDOUT";
    PgResult started(PQexec(connection_, copy.c_str()));
    if (!started || PQresultStatus(started.get()) != PGRES_COPY_OUT) {
      fail(result_message(started.get(), connection_) + " (in: " + statement + ")");
    }
    copying_out_ = true;
    return std::make_unique<PostgresCopyOut>(*this, connection_, "dataset " + url_.display, statement, description.get());
  }

  [[noreturn]] void fail(const std::string& what) const { throw Error("dataset " + url_.display + ": " + url_.scrub(what)); }

  // Runs a statement; anything but the expected status is an Error naming the statement.
  PgResult run(const std::string& text, std::span<const SqlValue> parameters, ExecStatusType expected,
               const std::string& shown, ExecStatusType also = PGRES_COMMAND_OK) {
    const PgParameters bound(parameters);
    PgResult result(PQexecParams(connection_, text.c_str(), bound.count(), nullptr, bound.values(), bound.lengths(),
                                 bound.formats(), 0));
    const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status != expected && status != also) {
      std::string message = result_message(result.get(), connection_);
      if (PQstatus(connection_) != CONNECTION_OK) message = "the connection was lost: " + message;
      fail(message + " (in: " + shown + ")");
    }
    return result;
  }

  void begin_writing() {
    if (in_transaction_) return;
    run("BEGIN", {}, PGRES_COMMAND_OK, "BEGIN");
    in_transaction_ = true;
  }

  void start_copy(const SqlTable& table) {
    std::string target = quoted_identifier(table.name);
    if (!table.on_conflict.empty()) {
      // COPY cannot upsert: rows go to a temporary table shaped like the target, merged at end_copy().
      run(std::string("CREATE TEMPORARY TABLE ") + kStagingTable + " (LIKE " + target + ") ON COMMIT DROP", {},
          PGRES_COMMAND_OK, "creating the upsert's staging table for " + table.name);
      target = kStagingTable;
    }
    const std::string copy = "COPY " + target + " " + column_list(table) + " FROM STDIN";
    PgResult result(PQexec(connection_, copy.c_str()));
    if (!result || PQresultStatus(result.get()) != PGRES_COPY_IN) {
      fail(result_message(result.get(), connection_) + " (in: " + copy + ")");
    }
    copying_ = &table;
  }

  void send_copy_buffer() {
    if (copy_buffer_.empty()) return;
    if (PQputCopyData(connection_, copy_buffer_.data(), static_cast<int>(copy_buffer_.size())) != 1) {
      fail("the connection was lost while writing rows: " + trimmed(PQerrorMessage(connection_)));
    }
    copy_buffer_.clear();
  }

  // Ends a COPY in progress; an upsert's staged rows are merged into the table.
  void end_copy() {
    if (!copying_) return;
    const SqlTable& table = *copying_;
    send_copy_buffer();
    copying_ = nullptr;
    if (PQputCopyEnd(connection_, nullptr) != 1) {
      fail("the connection was lost while writing rows: " + trimmed(PQerrorMessage(connection_)));
    }
    PgResult result(PQgetResult(connection_));
    while (PGresult* extra = PQgetResult(connection_)) PQclear(extra);
    if (!result || PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
      std::string message = result_message(result.get(), connection_);
      if (PQstatus(connection_) != CONNECTION_OK) message = "the connection was lost: " + message;
      fail(message + " (writing rows to " + table.name + ")");
    }
    if (!table.on_conflict.empty()) {
      std::string columns = column_list(table);
      const std::string merge =
          insert_statement(table, "SELECT " + columns.substr(1, columns.size() - 2) + " FROM " + kStagingTable);
      run(merge, {}, PGRES_COMMAND_OK, merge);
      run(std::string("DROP TABLE ") + kStagingTable, {}, PGRES_COMMAND_OK, "dropping the staging table");
    }
  }

  SqlUrl url_;
  PGconn* connection_ = nullptr;
  bool in_transaction_ = false;
  bool reading_ = false;
  bool copying_out_ = false;
  const SqlTable* copying_ = nullptr;
  std::string copy_buffer_;
};

PostgresCursor::PostgresCursor(PostgresSession& session, std::string dataset, std::string text)
    : SqlRowSource(std::move(dataset), std::move(text)), session_(session) {
  fetch();  // the first batch names the columns, even when it has no rows
  const int columns = PQnfields(batch_.get());
  for (int i = 0; i < columns; ++i) {
    header_.emplace_back(PQfname(batch_.get(), i));
    bytea_.push_back(PQftype(batch_.get(), i) == kByteaType);
  }
  fields_.resize(header_.size());
  decoded_.resize(header_.size());
}

PostgresCursor::~PostgresCursor() { session_.end_reading(); }

void PostgresCursor::fetch() {
  batch_ = session_.fetch_batch(statement());
  rows_in_batch_ = PQntuples(batch_.get());
  next_row_ = 0;
}

bool PostgresCursor::next(Row& row) {
  if (finished_) return false;
  if (next_row_ == rows_in_batch_) {
    if (rows_in_batch_ < kFetchRows) {
      finished_ = true;
      session_.end_reading();
      return false;
    }
    fetch();
    if (rows_in_batch_ == 0) {
      finished_ = true;
      session_.end_reading();
      return false;
    }
  }
  PGresult* batch = batch_.get();
  for (std::size_t column = 0; column < fields_.size(); ++column) {
    const int c = static_cast<int>(column);
    if (PQgetisnull(batch, next_row_, c)) {
      fields_[column] = std::string_view();
      continue;
    }
    const char* value = PQgetvalue(batch, next_row_, c);
    const auto length = static_cast<std::size_t>(PQgetlength(batch, next_row_, c));
    if (bytea_[column]) {
      decoded_[column].clear();
      if (!decode_bytea_hex(std::string_view(value, length), decoded_[column])) {
        throw DataError(position() + ": column " + std::to_string(column + 1) + " (" + header_[column] +
                        "): bytea not in hex form (set bytea_output = 'hex')");
      }
      fields_[column] = std::string_view(decoded_[column].data(), decoded_[column].size());
    } else {
      fields_[column] = std::string_view(value, length);
    }
  }
  ++next_row_;
  emit(row);
  return true;
}

PostgresCopyOut::PostgresCopyOut(PostgresSession& session, PGconn* connection, std::string dataset, std::string text,
                                 const PGresult* description)
    : SqlRowSource(std::move(dataset), std::move(text)), session_(session), connection_(connection) {
  const int columns = PQnfields(description);
  for (int i = 0; i < columns; ++i) {
    header_.emplace_back(PQfname(description, i));
    bytea_.push_back(PQftype(description, i) == kByteaType);
  }
  fields_.reserve(header_.size());
  decoded_.resize(header_.size());
}

PostgresCopyOut::~PostgresCopyOut() {
  release();
  if (!finished_) session_.end_reading();
}

bool PostgresCopyOut::next(Row& row) {
  if (finished_) return false;
  release();
  const int size = PQgetCopyData(connection_, &buffer_, 0);
  if (size == -1) {  // the end of the rows
    finished_ = true;
    session_.finish_copy_out(statement());
    return false;
  }
  if (size < 0) {
    finished_ = true;
    session_.fail_reading("the connection was lost while reading rows: " + trimmed(PQerrorMessage(connection_)), statement());
  }
  if (!decode_copy_row(std::string_view(buffer_, static_cast<std::size_t>(size)), header_.size(), fields_, unescaped_)) {
    throw DataError(position() + ": a row of COPY's text output without " + std::to_string(header_.size()) + " fields");
  }
  for (std::size_t column = 0; column < fields_.size(); ++column) {
    if (!bytea_[column] || fields_[column].data() == nullptr) continue;
    decoded_[column].clear();
    if (!decode_bytea_hex(fields_[column], decoded_[column])) {
      throw DataError(position() + ": column " + std::to_string(column + 1) + " (" + header_[column] +
                      "): bytea not in hex form (set bytea_output = 'hex')");
    }
    fields_[column] = std::string_view(decoded_[column].data(), decoded_[column].size());
  }
  emit(row);
  return true;
}

}  // namespace

std::unique_ptr<SqlSession> open_postgres_session(const SqlUrl& url) { return std::make_unique<PostgresSession>(url); }

}  // namespace ayeaye
