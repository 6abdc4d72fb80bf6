// NoaaClimatology: per-station figures from NOAA's GHCN-Daily station files, one subtask per file,
// the shape of Aye-Aye's NOAA example. The parent lists the files a wildcard matches (S3 or local,
// plain or compressed), each subtask reads one station's file and returns its figures, and the
// parent combines them into one summary dataset: a row per station, sorted, and a row "ALL".
//
// Resolver context:
//   ghcn_stations        the station files; default NOAA's public bucket,
//                        s3+gz+csv://noaa-ghcn-pds/csv.gz/by_station/AGM000603*.csv.gz
//   climatology_summary  where the summary goes, e.g. s3+csv://my-bucket/climatology/summary.csv
//
// A station file is GHCN-Daily's by-station CSV with its header: ID,DATE,ELEMENT,DATA_VALUE,
// M_FLAG,Q_FLAG,S_FLAG,OBS_TIME. TMAX and TMIN are in tenths of a degree C, PRCP in tenths of a
// mm; an observation with a quality flag (Q_FLAG not empty) failed NOAA's checks and is counted
// as flagged, not used.
#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <map>
#include <string>

#include "ayeaye/ayeaye.h"

namespace examples {

namespace {

constexpr const char* kPublicStations = "s3+gz+csv://noaa-ghcn-pds/csv.gz/by_station/AGM000603*.csv.gz";

const std::vector<std::string> kSummaryFields = {
    "station",     "first_date", "last_date",    "observations", "flagged",      "mean_tmax_c",
    "highest_tmax_c", "mean_tmin_c", "lowest_tmin_c", "prcp_days", "total_prcp_mm"};

// Tenths as decimal text: 215 -> "21.5", -3 -> "-0.3".
std::string tenths(long long value) {
  const long long whole = std::llabs(value);
  return std::string(value < 0 ? "-" : "") + std::to_string(whole / 10) + "." + std::to_string(whole % 10);
}

// sum/count tenths, in units, to two decimals; empty when there is nothing to average.
std::string mean_of_tenths(long long sum, long long count) {
  if (count == 0) return "";
  char text[32];
  const auto [end, error] = std::to_chars(text, text + sizeof text, static_cast<double>(sum) / static_cast<double>(count) / 10.0,
                                          std::chars_format::fixed, 2);
  return std::string(text, end);
}

// What one or more stations add up to. Also the subtask's return value (as JSON), so the parent
// combines exact sums and counts, not rounded means.
struct Figures {
  std::string first_date, last_date;
  long long observations = 0, flagged = 0;
  long long tmax_count = 0, tmax_sum = 0, tmax_highest = 0;
  long long tmin_count = 0, tmin_sum = 0, tmin_lowest = 0;
  long long prcp_days = 0, prcp_sum = 0;

  void observe(std::string_view date, std::string_view element, long long value) {
    ++observations;
    if (first_date.empty() || date < first_date) first_date = date;
    if (last_date.empty() || date > last_date) last_date = date;
    if (element == "TMAX") {
      tmax_highest = tmax_count++ == 0 ? value : std::max(tmax_highest, value);
      tmax_sum += value;
    } else if (element == "TMIN") {
      tmin_lowest = tmin_count++ == 0 ? value : std::min(tmin_lowest, value);
      tmin_sum += value;
    } else if (element == "PRCP") {
      ++prcp_days;
      prcp_sum += value;
    }
  }

  void combine(const Figures& other) {
    if (other.observations == 0) {
      flagged += other.flagged;
      return;
    }
    if (first_date.empty() || other.first_date < first_date) first_date = other.first_date;
    if (last_date.empty() || other.last_date > last_date) last_date = other.last_date;
    observations += other.observations;
    flagged += other.flagged;
    if (other.tmax_count > 0) tmax_highest = tmax_count == 0 ? other.tmax_highest : std::max(tmax_highest, other.tmax_highest);
    if (other.tmin_count > 0) tmin_lowest = tmin_count == 0 ? other.tmin_lowest : std::min(tmin_lowest, other.tmin_lowest);
    tmax_count += other.tmax_count;
    tmax_sum += other.tmax_sum;
    tmin_count += other.tmin_count;
    tmin_sum += other.tmin_sum;
    prcp_days += other.prcp_days;
    prcp_sum += other.prcp_sum;
  }

  std::vector<std::string> summary_row(const std::string& station) const {
    return {station,
            first_date,
            last_date,
            std::to_string(observations),
            std::to_string(flagged),
            mean_of_tenths(tmax_sum, tmax_count),
            tmax_count > 0 ? tenths(tmax_highest) : "",
            mean_of_tenths(tmin_sum, tmin_count),
            tmin_count > 0 ? tenths(tmin_lowest) : "",
            std::to_string(prcp_days),
            tenths(prcp_sum)};
  }
};

void to_json(ayeaye::Json& json, const Figures& f) {
  json = {{"first_date", f.first_date}, {"last_date", f.last_date}, {"observations", f.observations},
          {"flagged", f.flagged},       {"tmax_count", f.tmax_count}, {"tmax_sum", f.tmax_sum},
          {"tmax_highest", f.tmax_highest}, {"tmin_count", f.tmin_count}, {"tmin_sum", f.tmin_sum},
          {"tmin_lowest", f.tmin_lowest}, {"prcp_days", f.prcp_days},   {"prcp_sum", f.prcp_sum}};
}

void from_json(const ayeaye::Json& json, Figures& f) {
  json.at("first_date").get_to(f.first_date);
  json.at("last_date").get_to(f.last_date);
  for (auto [name, field] : {std::pair{"observations", &f.observations}, {"flagged", &f.flagged},
                             {"tmax_count", &f.tmax_count}, {"tmax_sum", &f.tmax_sum}, {"tmax_highest", &f.tmax_highest},
                             {"tmin_count", &f.tmin_count}, {"tmin_sum", &f.tmin_sum}, {"tmin_lowest", &f.tmin_lowest},
                             {"prcp_days", &f.prcp_days}, {"prcp_sum", &f.prcp_sum}}) {
    json.at(name).get_to(*field);
  }
}

// A URL as a dataset template that stands for itself (a key may hold braces).
std::string literal_template(const std::string& url) {
  std::string text;
  for (char c : url) text += (c == '{' || c == '}') ? std::string(2, c) : std::string(1, c);
  return text;
}

}  // namespace

class NoaaClimatology : public ayeaye::PartitionedModel {
 public:
  std::vector<ayeaye::TaskPartition> partition_slice(int /*partition_count*/) override {
    auto subtasks = ayeaye::one_subtask_per_file(stations_, "station_figures");
    log("Station files: " + std::to_string(subtasks.size()) + " matching " + stations_.url());
    return subtasks;
  }

  // One station's file: its figures, with the station's ID (null for a file without observations).
  ayeaye::Json station_figures(const std::string& url) {
    ayeaye::Dataset file(this, literal_template(url));
    ayeaye::Rows rows = file.rows();
    const std::size_t id = rows.column("ID"), date = rows.column("DATE"), element = rows.column("ELEMENT"),
                      value = rows.column("DATA_VALUE"), quality = rows.column("Q_FLAG");
    std::string station;
    Figures figures;
    for (const ayeaye::Row& row : rows) {
      if (station.empty()) {
        station = row[id];
      } else if (row[id] != station) {
        throw ayeaye::DataError(row.where(id) + ": station '" + std::string(row[id]) + "' in the file of station '" +
                                station + "' (one station a file)");
      }
      if (!row[quality].empty()) {
        ++figures.flagged;
        continue;
      }
      figures.observe(row[date], row[element], row.integer(value));
    }
    if (station.empty()) return nullptr;
    return {{"station", station}, {"figures", figures}};
  }

  void partition_subtask_complete(const std::string& /*method*/, const ayeaye::Json& kwargs,
                                  const ayeaye::Json& result) override {
    if (result.is_null()) {
      log("No observations in " + kwargs.value("url", std::string("?")));
      return;
    }
    by_station_[result.at("station").get<std::string>()].combine(result.at("figures").get<Figures>());
  }

  void partition_complete() override {
    Figures all;
    for (const auto& [station, figures] : by_station_) {
      summary_.add_row(as_views(figures.summary_row(station)));
      all.combine(figures);
    }
    summary_.add_row(as_views(all.summary_row("ALL")));
    log("Summary of " + std::to_string(by_station_.size()) + " stations written to " + summary_.url());
  }

 private:
  static std::vector<std::string_view> as_views(const std::vector<std::string>& fields) {
    return {fields.begin(), fields.end()};
  }

  ayeaye::Dataset stations_{this, context().get_or("ghcn_stations", kPublicStations)};
  ayeaye::Dataset summary_{this, "{climatology_summary}", ayeaye::Access::kWrite, kSummaryFields};
  std::map<std::string, Figures> by_station_;
};

}  // namespace examples

using examples::NoaaClimatology;
AYEAYE_REGISTER_MODEL(NoaaClimatology, AYEAYE_SUBTASK(station_figures, url));
