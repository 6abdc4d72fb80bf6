#include "cli/cancel_command.h"

#include <iostream>
#include <memory>
#include <variant>

#include "ayeaye/json_input.h"
#include "cli/command.h"
#include "cli/exit_codes.h"
#include "cli/task_api.h"
#include "net/task_id.h"

namespace fossa::cli {
namespace {

constexpr long kCancelTimeoutMs = 30'000;
// The document is followed with the long poll (at most 20 s on the gateway) this many times: the
// processes have SIGTERM, and SIGKILL 5 s later, so the first poll normally sees the end.
constexpr int kFollowPolls = 3;
constexpr const char* kFollowWait = "?wait=20";
constexpr long kFollowTimeoutMs = 40'000;

std::string status_of(const std::string& body) {
  const ayeaye::Json doc = ayeaye::parse_json_or_null(body);
  const auto status = doc.is_object() ? doc.find("status") : doc.end();
  return status != doc.end() && status->is_string() ? status->get<std::string>() : "";
}

}  // namespace

int cancel_command(const CancelOptions& options) {
  if (!net::valid_task_id(options.job_id)) {
    std::cerr << "fossa cancel: a job id is " << net::kTaskIdRule << "; got " << net::quoted_id(options.job_id) << "\n";
    return kExitRefused;
  }
  auto located = locate_task_api(options.node_url, options.gateway, "cancel");
  if (const int* code = std::get_if<int>(&located)) return *code;
  const TaskApi& api = std::get<TaskApi>(located);
  const std::string& id = options.job_id;

  const auto asked = api.client.del(api.path_of(id), kCancelTimeoutMs);
  if (asked.problem != ApiAnswer::Problem::kNone || asked.status != 202) {
    std::cerr << "fossa cancel: " << api.who << " did not cancel job " << id << ": "
              << (asked.problem != ApiAnswer::Problem::kNone ? asked.message
                                                             : "HTTP " + std::to_string(asked.status) + ": " + message_of(asked.body))
              << "\n";
    return exit_code_for_failure(asked);
  }
  std::cout << "cancelling job " << id << ": " << api.url_of(id) << "\n" << std::flush;
  std::string status = "running";
  for (int poll = 0; poll < kFollowPolls && status == "running"; ++poll) {
    const auto doc = api.client.get(api.path_of(id) + kFollowWait, kFollowTimeoutMs);
    if (doc.problem != ApiAnswer::Problem::kNone || doc.status != 200) {
      std::cerr << "fossa cancel: asked, but cannot follow job " << id << ": "
                << (doc.problem != ApiAnswer::Problem::kNone ? doc.message : "HTTP " + std::to_string(doc.status)) << "\n";
      return exit_code_for_failure(doc);
    }
    status = status_of(doc.body);
  }
  if (status == "running") {
    std::cout << "job " << id << " is still stopping; its processes are killed within seconds\n";
  } else {
    std::cout << "job " << id << " " << status << "\n";
  }
  return kExitComplete;
}

Command add_cancel_command(CLI::App& app) {
  auto options = std::make_shared<CancelOptions>();
  auto* cmd = app.add_subcommand(
      "cancel", "Cancel a running job (or, through fossa-gateway, one held waiting for workers): its task and every subtask of it, on every node, through fossa-gateway or its node");
  cmd->add_option("job", options->job_id, "The job's id (as fossa submit and fossa jobs show it)")->required();
  cmd->add_option("--node,-n", options->node_url,
                  "The URL of the node that runs it (default: --gateway or $FOSSA_GATEWAY_URL if given, else "
                  "$FOSSA_NODE_URL, else http://127.0.0.1:2345)");
  add_gateway_options(cmd, options->gateway);
  cmd->footer(kCancelExitCodes);
  return {cmd, [options] { return cancel_command(*options); }};
}

}  // namespace fossa::cli
