// The jobs list against a full store: `newest(cluster, 200)` of the gateway's job records
// (src/gateway/jobs/job_store.h) among N records of two clusters, beside the baseline a store
// without the index would do — every record read, parsed and sorted. Each record is the size of
// a finished job's: the node's document and 20 subtask documents. Prints a Markdown section with
// the medians of R runs of each, side by side in one process.
//   bench_gateway_store [N = 100000] [R = 9]
#include <sqlite3.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "ayeaye/json_input.h"
#include "jobs/job_store.h"

namespace {

using fossa::gateway::JobRecord;
using Clock = std::chrono::steady_clock;

JobRecord finished_job(int i) {
  JobRecord record;
  record.id = "job" + std::to_string(i) + "-1";
  record.cluster = i % 10 == 0 ? "other" : "c";
  record.model_class = "PartitionedExampleEtl";
  record.status = "complete";
  record.submitted = 1'800'000'000.0 + i;
  record.updated = record.submitted + 30;
  record.ended = record.updated;
  record.request = R"({"model_class":"PartitionedExampleEtl","resolver_context":{"complexity":"5"}})";
  record.attempts.push_back({"10.0.1.7:2345", record.id, record.submitted, record.ended, "complete"});
  record.document = {{"task_id", record.id}, {"status", "complete"}, {"duration_seconds", 30.0},
                     {"subtasks", {{"total", 20u}, {"done", 20u}, {"failed", 0u}}},
                     {"log_tail", std::vector<std::string>(20, "INFO a line of the model's log, as long as most")}};
  for (int s = 0; s < 20; ++s) {
    record.subtasks.push_back({{"task_id", record.id + "." + std::to_string(s)}, {"status", "complete"},
                               {"node", "ip-10-0-1-7:1"}, {"started", "2026-12-07T10:00:00.000Z"},
                               {"duration_seconds", 1.5}, {"attempts", 1u}});
  }
  return record;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

// The baseline: every record of the file read and parsed, the cluster's sorted, the newest 200 kept.
std::size_t list_by_scanning(const std::string& path) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* statement = nullptr;
  sqlite3_prepare_v2(db, "SELECT record FROM jobs", -1, &statement, nullptr);
  std::vector<std::pair<double, std::string>> found;
  while (sqlite3_step(statement) == SQLITE_ROW) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
    auto record = fossa::parse_json(text);
    if (record && (*record)["cluster"] == "c") found.emplace_back((*record)["submitted"].get<double>(), (*record)["id"].get<std::string>());
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  std::partial_sort(found.begin(), found.begin() + std::min<std::size_t>(200, found.size()), found.end(), std::greater<>());
  return std::min<std::size_t>(200, found.size());
}

}  // namespace

int main(int argc, char** argv) {
  const int jobs = argc > 1 ? std::atoi(argv[1]) : 100000;
  const int runs = argc > 2 ? std::atoi(argv[2]) : 9;
  std::string dir = (std::filesystem::temp_directory_path() / "fossa-store-bench-XXXXXX").string();
  if (::mkdtemp(dir.data()) == nullptr) return 1;
  auto store = fossa::gateway::open_job_store(dir);
  if (!store) {
    std::fprintf(stderr, "%s\n", store.error().c_str());
    return 1;
  }
  const auto fill_start = Clock::now();
  for (int i = 0; i < jobs; ++i) {
    if (auto put = (*store)->put(finished_job(i)); !put) {
      std::fprintf(stderr, "%s\n", put.error().c_str());
      return 1;
    }
  }
  const double fill_seconds = std::chrono::duration<double>(Clock::now() - fill_start).count();
  std::vector<double> indexed, scanned;
  std::size_t listed = 0, listed_by_scan = 0;
  for (int run = 0; run < runs; ++run) {
    auto start = Clock::now();
    auto newest = (*store)->newest("c", 200);
    indexed.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    listed = newest ? newest->size() : 0;
    start = Clock::now();
    listed_by_scan = list_by_scanning((*store)->where());
    scanned.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  const auto bytes = std::filesystem::file_size((*store)->where());
  store->reset();
  std::filesystem::remove_all(dir);
  std::printf("## Gateway job records (issue 24)\n\n");
  std::printf("The jobs list, the newest 200 of %d finished jobs' records (each with its document and 20 subtask "
              "documents; %.0f MB of SQLite), median of %d runs: through the store's index, beside reading every "
              "record as a store without one would. Filling it took %.1f s (%.0f µs a record).\n\n",
              jobs, static_cast<double>(bytes) / 1e6, runs, fill_seconds, fill_seconds / jobs * 1e6);
  std::printf("| | median | jobs listed |\n| --- | --- | --- |\n");
  std::printf("| `JobStore::newest(c, 200)` | %.2f ms | %zu |\n", median(indexed), listed);
  std::printf("| every record read and sorted (baseline) | %.0f ms | %zu |\n", median(scanned), listed_by_scan);
  std::printf("| ratio | %.0f× faster | |\n", median(scanned) / median(indexed));
  return 0;
}
