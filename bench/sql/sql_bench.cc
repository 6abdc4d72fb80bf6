// The C++ side of the SQL benchmark, through ayeaye::SqlDataset. Modes:
//   write <sql-url> <csv-file>    the CSV's rows (id,name,city,amount,note) into table bench_rows
//   read <sql-url> <csv-file>     every row of bench_rows out to a CSV file
// The CSV is read and written on the csv fast path (Rows, add_row), so the figures compare with
// psql's \copy and the sqlite3 shell's .import, which also go between a CSV file and the table.
#include <cstdio>
#include <string>

#include "ayeaye/dataset.h"
#include "ayeaye/sql_dataset.h"

namespace {

const std::vector<std::string> kColumns = {"id", "name", "city", "amount", "note"};

class Write : public ayeaye::Model {
 public:
  Write(const std::string& sql, const std::string& csv)
      : input{this, csv}, table{this, sql, ayeaye::Access::kWrite, {.name = "bench_rows", .columns = kColumns}} {}
  void build() override {
    ayeaye::Rows rows = input.rows();
    for (const ayeaye::Row& row : rows) table.add_row({row[0], row[1], row[2], row[3], row[4]});
  }
  ayeaye::Dataset input;
  ayeaye::SqlDataset table;
};

class Read : public ayeaye::Model {
 public:
  Read(const std::string& sql, const std::string& csv) : table{this, sql}, output{this, csv, ayeaye::Access::kWrite, kColumns} {}
  void build() override {
    for (const ayeaye::Row& row : table.table("bench_rows")) output.add_row({row[0], row[1], row[2], row[3], row[4]});
  }
  ayeaye::SqlDataset table;
  ayeaye::Dataset output;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: bench_sql write|read <sql-url> <csv-file>\n");
    return 2;
  }
  const std::string mode = argv[1];
  const std::string csv = std::string("csv://") + argv[3];
  try {
    if (mode == "write") {
      Write model(argv[2], csv);
      return model.go() ? 0 : 1;
    }
    if (mode == "read") {
      Read model(argv[2], csv);
      return model.go() ? 0 : 1;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_sql: %s\n", e.what());
    return 1;
  }
  std::fprintf(stderr, "bench_sql: unknown mode %s\n", mode.c_str());
  return 2;
}
