// SqlRangeSummaries: per-station summaries of a table of readings in an SQL database (PostgreSQL
// or SQLite), one subtask per range of the table's key — the SQL counterpart of NoaaClimatology.
// The parent (re)creates the summary table and splits the key's range, each subtask summarises its
// range with a GROUP BY and writes a row per station, and the parent checks that the summaries
// account for every reading.
//
// Resolver context:
//   database   the database's URL, a secret when it holds a password:
//              --secret database=postgresql://user:password@host/dbname?sslmode=require
//              --context database=sqlite:////data/readings.db
//
// The database holds readings(id bigint PRIMARY KEY, station text, value double precision); the
// model writes range_summaries(first_id, last_id, station, readings, total). A subtask writes in
// one transaction, committed when it returns (rolled back when it fails), and upserts on
// (first_id, station): a subtask run again replaces its rows instead of adding to them.
#include <algorithm>
#include <string>

#include "ayeaye/ayeaye.h"

namespace examples {

class SqlRangeSummaries : public ayeaye::PartitionedModel {
 public:
  void build() override {
    summaries_.sql(
        "CREATE TABLE IF NOT EXISTS range_summaries (first_id bigint NOT NULL, last_id bigint NOT NULL, "
        "station text NOT NULL, readings bigint NOT NULL, total double precision NOT NULL, PRIMARY KEY (first_id, station))");
    summaries_.sql("DELETE FROM range_summaries");  // the ranges of an earlier run may differ from this one's
    summaries_.close();  // commits now: the subtasks write to the table
  }

  std::vector<ayeaye::TaskPartition> partition_slice(int partition_count) override {
    long long first = 0, last = -1;
    for (const ayeaye::Row& row : readings_.query("SELECT min(id), max(id) FROM readings")) {
      if (row.is_null(0)) break;  // no readings
      first = row.integer(0);
      last = row.integer(1);
    }
    std::vector<ayeaye::TaskPartition> subtasks;
    const long long span = last - first + 1;
    const long long parts = std::max(1LL, std::min<long long>(partition_count, span));
    for (long long part = 0; part < parts && span > 0; ++part) {
      const long long range_first = first + span * part / parts;
      const long long range_last = first + span * (part + 1) / parts - 1;
      subtasks.emplace_back("summarise_range", ayeaye::Json{{"first_id", range_first}, {"last_id", range_last}});
    }
    log("Readings " + std::to_string(first) + ".." + std::to_string(last) + " in " + std::to_string(subtasks.size()) +
        " ranges, from " + readings_.url());
    return subtasks;
  }

  // One range of ids: a summary row per station; returns how many readings it summarised.
  long long summarise_range(long long first_id, long long last_id) {
    ayeaye::Rows rows = readings_.query(
        "SELECT station, count(*) AS readings, sum(value) AS total FROM readings WHERE id BETWEEN $1 AND $2 "
        "GROUP BY station ORDER BY station",
        {first_id, last_id});
    const std::size_t station = rows.column("station"), count = rows.column("readings"), total = rows.column("total");
    long long summarised = 0;
    for (const ayeaye::Row& row : rows) {
      summaries_.add_row({first_id, last_id, row[station], row.integer(count), row.number(total)});
      summarised += row.integer(count);
    }
    return summarised;
  }

  void partition_subtask_complete(const std::string& /*method*/, const ayeaye::Json& /*kwargs*/,
                                  const ayeaye::Json& summarised) override {
    summarised_ += summarised.get<long long>();
  }

  // Every reading is in exactly one summary: the table's count, the summaries' sum and what the
  // subtasks reported agree.
  bool post_build_check() override {
    long long readings = -1, in_summaries = -1;
    for (const ayeaye::Row& row : readings_.query("SELECT count(*) FROM readings")) readings = row.integer(0);
    for (const ayeaye::Row& row : readings_.query("SELECT coalesce(sum(readings), 0) FROM range_summaries")) {
      in_summaries = row.integer(0);
    }
    log("Readings: " + std::to_string(readings) + " in the table, " + std::to_string(in_summaries) +
        " in the summaries, " + std::to_string(summarised_) + " reported by the subtasks");
    return readings == in_summaries && readings == summarised_;
  }

 private:
  ayeaye::SqlDataset readings_{this, "{database}"};
  ayeaye::SqlDataset summaries_{this, "{database}", ayeaye::Access::kWrite,
                                {.name = "range_summaries",
                                 .columns = {"first_id", "last_id", "station", "readings", "total"},
                                 .on_conflict = {"first_id", "station"}}};
  long long summarised_ = 0;
};

}  // namespace examples

using examples::SqlRangeSummaries;
AYEAYE_REGISTER_MODEL(SqlRangeSummaries, AYEAYE_SUBTASK(summarise_range, first_id, last_id));
