#include "cli/jobs_command.h"

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <sstream>
#include <variant>
#include <vector>

#include "ayeaye/json_input.h"
#include "cli/command.h"
#include "cli/exit_codes.h"
#include "text/duration.h"
#include "text/subtask_counts.h"

namespace fossa::cli {
namespace {

constexpr long kJobsTimeoutMs = 30'000;
constexpr std::size_t kMaxCellChars = 40;

std::string cell(const ayeaye::Json& row, const char* key) {
  const auto found = row.find(key);
  if (found == row.end() || !found->is_string() || found->get<std::string>().empty()) return "-";
  std::string text = found->get<std::string>();
  // One line per job, however odd the text: no control characters, no endless cells.
  std::replace_if(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; }, ' ');
  return text.size() <= kMaxCellChars ? text : text.substr(0, kMaxCellChars - 3) + "...";
}

// "2024-05-01T12:03:04.123Z" -> "2024-05-01 12:03:04".
std::string started_cell(const ayeaye::Json& row) {
  std::string text = cell(row, "started");
  if (text.size() >= 19 && text[10] == 'T') text = text.substr(0, 10) + " " + text.substr(11, 8);
  return text;
}

std::string duration_cell(const ayeaye::Json& row) {
  const auto found = row.find("duration_seconds");
  if (found == row.end() || !found->is_number() || found->get<double>() < 0) return "-";
  return text::human_duration(found->get<double>());
}

std::string progress_cell(const ayeaye::Json& row) {
  const auto subtasks = row.find("subtasks");
  if (subtasks == row.end() || !subtasks->is_object()) return "-";
  return text::subtask_counts(*subtasks);
}

}  // namespace

std::string jobs_table(const ayeaye::Json& answer) {
  const auto jobs = answer.is_object() ? answer.find("jobs") : answer.end();
  if (!answer.is_object() || jobs == answer.end() || !jobs->is_array() || jobs->empty()) return "no jobs\n";
  std::vector<std::vector<std::string>> rows = {{"JOB", "NODE", "MODEL", "STATUS", "STARTED (UTC)", "TOOK", "PROGRESS"}};
  for (const auto& job : *jobs) {
    if (!job.is_object()) continue;
    const std::string id = cell(job, "job_id") != "-" ? cell(job, "job_id") : cell(job, "task_id");
    rows.push_back({id, cell(job, "node"), cell(job, "model_class"), cell(job, "status"), started_cell(job),
                    duration_cell(job), progress_cell(job)});
  }
  std::vector<std::size_t> widths(rows.front().size(), 0);
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  std::ostringstream out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - row[i].size() + 2, ' ');
    }
    out << line << "\n";
  }
  return out.str();
}

int jobs_command(const GatewayOptions& given) {
  GatewayOptions options = given;
  if (options.url.empty()) {
    const char* variable = std::getenv(kGatewayUrlVariable);
    options.url = variable != nullptr ? variable : "";
  }
  if (options.url.empty()) {
    std::cerr << "fossa jobs: which gateway? --gateway URL, or FOSSA_GATEWAY_URL\n";
    return kExitRefused;
  }
  auto connected = connect_to_gateway(options);
  if (auto* refused = std::get_if<GatewayRefusal>(&connected)) {
    std::cerr << "fossa jobs: " << refused->message << "\n";
    return refused->exit_code;
  }
  const auto& gateway = std::get<GatewayConnection>(connected);
  const auto answer = gateway.client.get(gateway.cluster_path + "/jobs", kJobsTimeoutMs);
  if (answer.problem != ApiAnswer::Problem::kNone || answer.status != 200) {
    std::cerr << "fossa jobs: cannot list the jobs of cluster " << gateway.cluster << ": "
              << (answer.problem != ApiAnswer::Problem::kNone ? answer.message
                                                              : "HTTP " + std::to_string(answer.status) + ": " + message_of(answer.body))
              << "\n";
    return exit_code_for_failure(answer);
  }
  const ayeaye::Json listing = ayeaye::parse_json_or_null(answer.body);
  if (!listing.is_object() || !listing.contains("jobs")) {
    std::cerr << "fossa jobs: the gateway's list of jobs is not the Fossa API: " << message_of(answer.body) << "\n";
    return kExitUnreachable;
  }
  std::cout << jobs_table(listing);
  return kExitComplete;
}

Command add_jobs_command(CLI::App& app) {
  auto options = std::make_shared<GatewayOptions>();
  auto* cmd = app.add_subcommand("jobs", "List the recent and running jobs of a fossa-gateway's cluster");
  add_gateway_options(cmd, *options);
  cmd->footer(kJobsExitCodes);
  return {cmd, [options] { return jobs_command(*options); }};
}

}  // namespace fossa::cli
