#include "ayeaye/sql_dataset.h"

#include <exception>

#include "sql_session.h"
#include "sql_url.h"

namespace ayeaye {

SqlDataset::SqlDataset(Model* owner, std::string url_template, Access access, SqlTable table)
    : DatasetBase(owner), url_template_(std::move(url_template)), access_(access), table_(std::move(table)) {}

SqlDataset::~SqlDataset() {
  // Commit what was written — unless an exception is unwinding through: then roll it back.
  close_or_abandon();
}

void SqlDataset::resolve() const {
  if (parsed_) return;
  const ResolverContext& context = owner() != nullptr ? owner()->context() : ResolverContext::current();
  auto parsed = parse_sql_url(context.resolve(url_template_));
  if (!parsed) throw Error(parsed.error());
  parsed_ = std::make_unique<SqlUrl>(std::move(parsed).value());
}

std::string SqlDataset::url() const {
  resolve();
  return parsed_->display;
}

std::string SqlDataset::engine() const {
  resolve();
  return parsed_->engine_name();
}

void SqlDataset::fail(const std::string& what) const { throw Error("dataset " + url() + ": " + what); }

namespace {

std::unique_ptr<SqlSession> open_session(const SqlUrl& url, bool writing) {
  return url.engine == SqlUrl::Engine::kPostgresql ? open_postgres_session(url) : open_sqlite_session(url, writing);
}

}  // namespace

Rows SqlDataset::query(std::string_view statement, std::initializer_list<SqlValue> parameters) {
  return query(statement, std::span(parameters.begin(), parameters.size()));
}

Rows SqlDataset::query(std::string_view statement, std::span<const SqlValue> parameters) {
  resolve();
  if (access_ == Access::kWrite) fail("is write-only; declare it Access::kReadWrite to query it");
  reading_.reset();  // the previous pass ends before the next begins on the same connection
  if (!reader_) reader_ = open_session(*parsed_, false);
  reading_ = reader_->query(std::string(statement), parameters);
  return Rows(reading_.get());
}

Rows SqlDataset::table(std::string_view name) { return query("SELECT * FROM " + quoted_identifier(name)); }

SqlSession& SqlDataset::writer() {
  resolve();
  if (access_ == Access::kRead) fail("is read-only; declare it Access::kWrite to write to it");
  if (!writer_) writer_ = open_session(*parsed_, true);
  return *writer_;
}

void SqlDataset::add_row(std::span<const SqlValue> values) {
  resolve();
  if (table_.name.empty() || table_.columns.empty()) {
    fail("add_row() needs the table and its columns: declare the dataset with an SqlTable");
  }
  if (values.size() != table_.columns.size()) {
    fail("add_row() was given " + std::to_string(values.size()) + " values for the " +
         std::to_string(table_.columns.size()) + " columns of " + table_.name);
  }
  writer().add_row(table_, values);
}

long long SqlDataset::sql(std::string_view statement, std::span<const SqlValue> parameters) {
  return writer().execute(std::string(statement), parameters);
}

void SqlDataset::close() {
  reading_.reset();
  reader_.reset();
  if (writer_) {
    auto writer = std::move(writer_);
    writer->commit();
  }
}

void SqlDataset::abandon() {
  reading_.reset();
  reader_.reset();
  if (writer_) {
    auto writer = std::move(writer_);
    writer->rollback();
  }
}

}  // namespace ayeaye
