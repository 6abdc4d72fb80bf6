// SqlSession over libsqlite3. Reading steps a prepared statement one row at a time. Writing opens
// BEGIN IMMEDIATE at the first write (taking the file's write lock then, so two writers wait for
// each other instead of failing on a lock upgrade) and sends rows through one prepared INSERT.
// SQLite allows one writer per file at a time: another waits up to kBusyTimeoutMs.
#include <sqlite3.h>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <memory>

#include "ayeaye/error.h"
#include "sql_session.h"

namespace ayeaye {
namespace {

constexpr int kBusyTimeoutMs = 60000;

// SQLITE_STATIC and SQLITE_TRANSIENT without their C casts: bound text and blobs are used as they
// are (the step happens within the call), or copied (the step happens later, in a read pass).
const sqlite3_destructor_type kUsedInPlace = nullptr;
const sqlite3_destructor_type kCopied = reinterpret_cast<sqlite3_destructor_type>(static_cast<std::intptr_t>(-1));

struct StatementDeleter {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using Statement = std::unique_ptr<sqlite3_stmt, StatementDeleter>;

class SqliteCursor : public SqlRowSource {
 public:
  SqliteCursor(Statement prepared, sqlite3* database, std::string dataset, std::string text)
      : SqlRowSource(std::move(dataset), std::move(text)), statement_(std::move(prepared)), database_(database) {
    const int columns = sqlite3_column_count(statement_.get());
    for (int i = 0; i < columns; ++i) header_.emplace_back(sqlite3_column_name(statement_.get(), i));
    fields_.resize(header_.size());
    reals_.resize(header_.size());
  }

  bool next(Row& row) override {
    if (!statement_) return false;
    const int status = sqlite3_step(statement_.get());
    if (status == SQLITE_DONE) {
      statement_.reset();
      return false;
    }
    if (status != SQLITE_ROW) {
      throw Error(name() + ": " + sqlite3_errmsg(database_) + " (in: " + statement() + ")");
    }
    sqlite3_stmt* s = statement_.get();
    for (std::size_t column = 0; column < fields_.size(); ++column) {
      const int c = static_cast<int>(column);
      switch (sqlite3_column_type(s, c)) {
        case SQLITE_NULL:
          fields_[column] = std::string_view();
          break;
        case SQLITE_BLOB: {
          const auto* data = static_cast<const char*>(sqlite3_column_blob(s, c));
          const auto size = static_cast<std::size_t>(sqlite3_column_bytes(s, c));
          fields_[column] = data == nullptr ? std::string_view("", 0) : std::string_view(data, size);
          break;
        }
        case SQLITE_FLOAT: {
          // SQLite's own text has 15 digits; the shortest text that reads back exactly instead.
          const double value = sqlite3_column_double(s, c);
          auto& text = reals_[column];
          if (std::isnan(value)) {
            fields_[column] = "NaN";
          } else if (std::isinf(value)) {
            fields_[column] = value > 0 ? "Infinity" : "-Infinity";
          } else {
            const auto result = std::to_chars(text.data(), text.data() + text.size(), value);
            fields_[column] = std::string_view(text.data(), static_cast<std::size_t>(result.ptr - text.data()));
          }
          break;
        }
        default: {  // INTEGER as its decimal text, TEXT as it is
          const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(s, c));
          const auto size = static_cast<std::size_t>(sqlite3_column_bytes(s, c));
          fields_[column] = data == nullptr ? std::string_view("", 0) : std::string_view(data, size);
        }
      }
    }
    emit(row);
    return true;
  }

 private:
  Statement statement_;
  sqlite3* database_;
  std::vector<std::array<char, 32>> reals_;
};

class SqliteSession : public SqlSession {
 public:
  SqliteSession(const SqlUrl& url, bool writing) : url_(url) {
    if (!writing && url.path != ":memory:" && !std::filesystem::exists(url.path)) {
      fail("no such database file " + url.path);
    }
    const int flags = writing ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
    const int status = sqlite3_open_v2(url.path.c_str(), &database_, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    if (status != SQLITE_OK) {
      const std::string why = database_ != nullptr ? sqlite3_errmsg(database_) : sqlite3_errstr(status);
      sqlite3_close(database_);
      database_ = nullptr;
      fail("cannot open " + url.path + ": " + why);
    }
    sqlite3_busy_timeout(database_, kBusyTimeoutMs);
  }
  ~SqliteSession() override {
    rollback();
    sqlite3_close_v2(database_);
  }

  std::unique_ptr<RowSource> query(const std::string& statement, std::span<const SqlValue> parameters) override {
    Statement prepared = prepare(statement);
    bind(prepared.get(), parameters, kCopied, statement);  // the rows are stepped after the call
    return std::make_unique<SqliteCursor>(std::move(prepared), database_, "dataset " + url_.display, statement);
  }

  long long execute(const std::string& statement, std::span<const SqlValue> parameters) override {
    begin_writing();
    Statement prepared = prepare(statement);
    bind(prepared.get(), parameters, kUsedInPlace, statement);
    int status;
    while ((status = sqlite3_step(prepared.get())) == SQLITE_ROW) {
    }
    if (status != SQLITE_DONE) fail(std::string(sqlite3_errmsg(database_)) + " (in: " + statement + ")");
    return sqlite3_changes64(database_);
  }

  void add_row(const SqlTable& table, std::span<const SqlValue> values) override {
    begin_writing();
    if (!insert_) {
      std::string placeholders = "VALUES (";
      for (std::size_t i = 0; i < table.columns.size(); ++i) placeholders += i == 0 ? "?" : ", ?";
      insert_text_ = insert_statement(table, placeholders + ")");
      insert_ = prepare(insert_text_);
    }
    bind(insert_.get(), values, kUsedInPlace, insert_text_);
    const int status = sqlite3_step(insert_.get());
    sqlite3_reset(insert_.get());
    if (status != SQLITE_DONE) fail(std::string(sqlite3_errmsg(database_)) + " (writing rows to " + table.name + ")");
  }

  void commit() override {
    if (!in_transaction_) return;
    insert_.reset();
    exec("COMMIT");
    in_transaction_ = false;
  }

  void rollback() noexcept override {
    insert_.reset();
    if (!in_transaction_) return;
    in_transaction_ = false;
    sqlite3_exec(database_, "ROLLBACK", nullptr, nullptr, nullptr);
  }

 private:
  [[noreturn]] void fail(const std::string& what) const { throw Error("dataset " + url_.display + ": " + what); }

  void exec(const char* statement) {
    if (sqlite3_exec(database_, statement, nullptr, nullptr, nullptr) != SQLITE_OK) {
      fail(std::string(sqlite3_errmsg(database_)) + " (in: " + statement + ")");
    }
  }

  void begin_writing() {
    if (in_transaction_) return;
    exec("BEGIN IMMEDIATE");
    in_transaction_ = true;
  }

  Statement prepare(const std::string& text) {
    sqlite3_stmt* statement = nullptr;
    const char* tail = nullptr;
    if (sqlite3_prepare_v2(database_, text.c_str(), static_cast<int>(text.size()), &statement, &tail) != SQLITE_OK) {
      fail(std::string(sqlite3_errmsg(database_)) + " (in: " + text + ")");
    }
    Statement owned(statement);
    if (!owned) fail("no statement in '" + text + "'");
    for (; tail != nullptr && *tail != '\0'; ++tail) {
      if (*tail != ' ' && *tail != '\n' && *tail != '\t' && *tail != '\r' && *tail != ';') {
        fail("one statement at a time, with its parameters bound (in: " + text + ")");
      }
    }
    return owned;
  }

  void bind(sqlite3_stmt* statement, std::span<const SqlValue> values, sqlite3_destructor_type lifetime,
            const std::string& text) {
    const int wanted = sqlite3_bind_parameter_count(statement);
    if (wanted != static_cast<int>(values.size())) {
      fail("the statement has " + std::to_string(wanted) + " parameters, " + std::to_string(values.size()) +
           " given (in: " + text + ")");
    }
    for (std::size_t i = 0; i < values.size(); ++i) {
      const int index = static_cast<int>(i) + 1;
      const SqlValue& value = values[i];
      int status = SQLITE_OK;
      switch (value.kind()) {
        case SqlValue::Kind::kNull: status = sqlite3_bind_null(statement, index); break;
        case SqlValue::Kind::kInteger:
        case SqlValue::Kind::kBoolean: status = sqlite3_bind_int64(statement, index, value.integer()); break;
        case SqlValue::Kind::kReal: status = sqlite3_bind_double(statement, index, value.real()); break;
        case SqlValue::Kind::kText:
          status = sqlite3_bind_text64(statement, index, value.text().data(), value.text().size(), lifetime, SQLITE_UTF8);
          break;
        case SqlValue::Kind::kBytes:
          status = sqlite3_bind_blob64(statement, index, value.text().data(), value.text().size(), lifetime);
          break;
      }
      if (status != SQLITE_OK) fail(std::string(sqlite3_errmsg(database_)) + " (binding parameter " + std::to_string(index) + ")");
    }
  }

  SqlUrl url_;
  sqlite3* database_ = nullptr;
  bool in_transaction_ = false;
  Statement insert_;
  std::string insert_text_;
};

}  // namespace

std::unique_ptr<SqlSession> open_sqlite_session(const SqlUrl& url, bool writing) {
  return std::make_unique<SqliteSession>(url, writing);
}

}  // namespace ayeaye
