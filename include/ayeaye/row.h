// The fast record path of csv:// and tsv:// datasets (and the rows of SQL datasets, sql_dataset.h): rows as views over the parsed buffer, no
// JSON built. A column's index is resolved from its header name once, before the loop:
//
//   ayeaye::Rows rows = people.rows();
//   const std::size_t name = rows.column("name"), amount = rows.column("amount");
//   for (const ayeaye::Row& row : rows) {
//     double value = row.number(amount);           // DataError "people.csv:7: column 4 (amount): ..."
//     summary.add_row({row[name], format(value)});  // fields as text, no JSON
//   }
//
// A Row and the string_views it hands out are valid until the next row is read. A row always has
// the header's number of fields (a row that has not is a DataError naming its line).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ayeaye {

class RowSource;  // the parser a Row comes from (internal)

class Row {
 public:
  std::size_t size() const { return size_; }
  // A field's text; an index past the header is a DataError naming file:line.
  std::string_view operator[](std::size_t column) const {
    if (column >= size_) throw_no_column(column);
    return fields_[column];
  }
  // Is the field SQL's NULL (an SQL dataset's; a csv field never is)? Its text is then empty.
  bool is_null(std::size_t column) const { return (*this)[column].data() == nullptr; }
  // Typed getters: the whole field must be the number (no spaces, no trailing text), else a
  // DataError naming file:line (an SQL row: the dataset, the query and the row's number), the
  // column's number and its header name, and the text found. A NULL is an error that says so.
  long long integer(std::size_t column) const;
  double number(std::size_t column) const;
  // true / false from t, true, 1 / f, false, 0 (PostgreSQL's and SQLite's forms).
  bool boolean(std::size_t column) const;
  // The line the row starts on (1 is the header), and "file:line: column N (name)" for messages.
  std::size_t line() const;
  std::string where(std::size_t column) const;

 private:
  friend class RowSource;
  [[noreturn]] void throw_no_column(std::size_t column) const;
  const std::string_view* fields_ = nullptr;
  std::size_t size_ = 0;
  const RowSource* source_ = nullptr;
};

// One read pass over a dataset's rows (Dataset::rows()).
class Rows {
 public:
  // The index of a header name; a name not in the header is a DataError listing the header.
  std::size_t column(std::string_view name) const;
  std::size_t column_count() const;

  class Iterator {
   public:
    using value_type = Row;
    using difference_type = std::ptrdiff_t;
    Iterator() = default;
    const Row& operator*() const { return row_; }
    const Row* operator->() const { return &row_; }
    Iterator& operator++();
    bool operator==(const Iterator& other) const { return source_ == other.source_; }

   private:
    friend class Rows;
    explicit Iterator(RowSource* source);
    RowSource* source_ = nullptr;
    Row row_;
  };
  Iterator begin() { return Iterator(source_); }
  Iterator end() { return Iterator(); }

 private:
  friend class Dataset;
  friend class SqlDataset;
  explicit Rows(RowSource* source) : source_(source) {}
  RowSource* source_;
};

}  // namespace ayeaye
