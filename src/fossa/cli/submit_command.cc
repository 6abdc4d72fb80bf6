#include "cli/submit_command.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <variant>

#include "ayeaye/json_input.h"
#include "ayeaye/task_spec.h"
#include "cli/command.h"
#include "cli/context_options.h"
#include "cli/exit_codes.h"
#include "cli/progress_bar.h"
#include "cli/subtask_times_line.h"
#include "cli/task_api.h"
#include "net/http.h"
#include "net/task_id.h"
#include "text/duration.h"

namespace fossa::cli {
namespace {

constexpr long kSubmitTimeoutMs = 60'000;  // a gateway may ask several nodes in turn
constexpr long kReadTimeoutMs = 30'000;
// The node's long poll answers when the task ends, or after this long for the progress bar.
constexpr const char* kPollWait = "?wait=0.5";
// A job the gateway holds until it has started a worker for it.
// ("forwarded": on its way to a node, which soon answers for it).
bool waiting_for_workers(const std::string& status) {
  return status == "waiting for workers" || status == "starting workers" || status == "forwarded";
}

std::optional<ayeaye::Json> json_object(const std::string& body) {
  auto json = ayeaye::parse_json(body);
  if (!json || !json->is_object()) return std::nullopt;
  return std::move(json).value();
}

// Prints why `answer` is not what was asked and returns its exit code.
int report_failure(const TaskApi& api, const ApiAnswer& answer, const std::string& what) {
  const ExitCode code = exit_code_for_failure(answer);
  std::cerr << "fossa submit: ";
  if (answer.problem == ApiAnswer::Problem::kCertificate) {
    std::cerr << answer.message;
  } else if (answer.problem == ApiAnswer::Problem::kUnreachable) {
    std::cerr << "cannot reach " << api.who << " at " << api.client.base_url() << " " << what << ": " << answer.message;
  } else if (code == kExitWrongPassword) {
    std::cerr << api.who << " refused the credentials (HTTP " << answer.status << "): " << message_of(answer.body);
  } else if (code == kExitRefused) {
    std::cerr << api.who << " refused the task (HTTP " << answer.status << "): " << message_of(answer.body);
  } else {
    std::cerr << api.who << " failed " << what << " (HTTP " << answer.status << "): " << message_of(answer.body);
  }
  std::cerr << "\n";
  return code;
}

// One line per subtask of a finished parent: its id, method and kwargs, the node that ran it and
// its outcome; then how many each node ran. Subtask documents are "<parent>.<i>" on the parent's node.
void print_subtasks(const TaskApi& api, const std::string& task_id, const ayeaye::Json& doc) {
  const auto subtasks = doc.find("subtasks");
  if (subtasks == doc.end() || !subtasks->is_object()) return;
  std::map<std::string, int> by_node;
  const std::size_t total = subtasks->value("total", 0u);
  for (std::size_t i = 0; i < total; ++i) {
    const auto got = api.client.get(api.path_of(task_id + "." + std::to_string(i)), kReadTimeoutMs);
    const auto sub = got.status == 200 ? json_object(got.body) : std::nullopt;
    if (!sub) continue;
    const std::string node = sub->value("node", std::string("this node"));
    ++by_node[node];
    const auto payload = sub->value("results", ayeaye::Json::object()).value("payload", ayeaye::Json::object());
    std::cout << "  " << sub->value("task_id", std::string()) << "  " << sub->value("method", std::string()) << " "
              << sub->value("method_kwargs", ayeaye::Json::object()).dump() << "  on " << node << "  "
              << sub->value("status", std::string()) << " "
              << (payload.contains("return_value") ? payload["return_value"].dump() : std::string()) << "\n";
  }
  std::cout << "subtasks by node:";
  const char* separator = " ";
  for (const auto& [node, count] : by_node) {
    std::cout << separator << node << " " << count;
    separator = ", ";
  }
  std::cout << "\n";
}

// The task's document once it has ended; or the exit code of what went wrong meanwhile.
std::variant<ayeaye::Json, int> follow(const TaskApi& api, const std::string& task_id, const std::string& model_class) {
  std::optional<ProgressBar> bar;
  if (::isatty(STDERR_FILENO) != 0) bar.emplace(model_class);
  bool said_waiting = false;
  while (true) {
    const auto got = api.client.get(api.path_of(task_id) + kPollWait, kReadTimeoutMs);
    auto doc = got.problem == ApiAnswer::Problem::kNone && got.status == 200 ? json_object(got.body) : std::nullopt;
    if (!doc) {
      bar.reset();
      if (got.problem == ApiAnswer::Problem::kNone && got.status == 200) {
        std::cerr << "fossa submit: " << api.who << "'s document of task " << task_id << " is not the Fossa API: "
                  << message_of(got.body) << "\n";
        return int{kExitUnreachable};
      }
      return report_failure(api, got, "while waiting for task " + task_id);
    }
    const std::string status = doc->value("status", "");
    if (waiting_for_workers(status)) {
      if (!said_waiting) {
        if (bar) bar->print_line("the gateway is starting workers for it; waiting");
        else std::cerr << "the gateway is starting workers for it; waiting\n";
      }
      said_waiting = true;
      continue;
    }
    if (bar) {
      if (const auto subtasks = doc->find("subtasks"); subtasks != doc->end() && subtasks->is_object()) {
        bar->set_counts(subtasks->value("done", 0u), subtasks->value("total", 0u), subtasks->value("running", 0u),
                        subtasks->value("failed", 0u));
      }
    }
    if (status != "running") return std::move(*doc);
  }
}

// Prints an ended task's outcome; its exit code.
int report_outcome(const TaskApi& api, const SubmitOptions& options, const std::string& task_id, const ayeaye::Json& doc) {
  const std::string status = doc.value("status", "");
  const ayeaye::Json results = doc.value("results", ayeaye::Json::object());
  const ayeaye::Json payload = results.value("payload", ayeaye::Json::object());
  std::cout << options.model_class << " " << status;
  if (doc.contains("duration_seconds") && doc["duration_seconds"].is_number()) {
    std::cout << " in " << text::human_duration(doc["duration_seconds"].get<double>());
  }
  if (const auto subtasks = doc.find("subtasks"); subtasks != doc.end() && subtasks->is_object()) {
    std::cout << ": " << subtasks->value("total", 0u) << " subtasks, " << subtasks->value("failed", 0u) << " failed, "
              << subtasks->value("retried", 0u) << " retried";
  }
  std::cout << "\n";
  if (const auto subtasks = doc.find("subtasks"); subtasks != doc.end()) {
    if (const auto line = subtask_times_line(*subtasks)) std::cout << *line << "\n";
  }
  if (options.show_subtasks) print_subtasks(api, task_id, doc);
  if (status == "complete") {
    // The task's own result: the method's return value, when it has one.
    if (const auto value = payload.value("return_value", ayeaye::Json()); !value.is_null()) {
      std::cout << "return value: " << value.dump() << "\n";
    }
    return kExitComplete;
  }
  const auto trace = payload.value("traceback", ayeaye::Json::array());
  // A Python node's trace is a list of strings too, but nothing from the wire is trusted.
  std::string last = !trace.is_array() || trace.empty() || !trace.back().is_string() ? std::string() : trace.back().get<std::string>();
  std::cout << (last.empty() ? payload.value("exception_class_name", std::string("failed")) : last) << "\n";
  // A job the gateway held and could not place says why.
  if (const auto problem = doc.find("problem"); problem != doc.end() && problem->is_string()) {
    std::cout << problem->get<std::string>() << "\n";
  }
  if (payload.contains("failure_origin_task_id") && payload["failure_origin_task_id"].is_string()) {
    const std::string failed = payload["failure_origin_task_id"].get<std::string>();
    if (net::valid_task_id(failed)) {
      std::cout << "failed subtask: " << failed << " (" << api.url_of(failed) << ")\n";
    } else {
      std::cout << "failed subtask: " << net::quoted_id(failed) << " (not an id, so not linked)\n";
    }
  }
  std::cerr << "trace:\n";
  if (trace.is_array()) for (const auto& line : trace) std::cerr << "  " << (line.is_string() ? line.get<std::string>() : line.dump()) << "\n";
  return kExitFailed;
}

// Where the API is: a node, or the gateway (which asks for its password and cluster first).
std::variant<TaskApi, int> locate_api(const SubmitOptions& options) {
  const auto choice =
      choose_task_api(options.node_url, options.gateway.url, std::getenv(kGatewayUrlVariable), std::getenv("FOSSA_NODE_URL"));
  if (!choice.error.empty()) {
    std::cerr << "fossa submit: " << choice.error << "\n";
    return int{kExitRefused};
  }
  if (choice.kind == TaskApiChoice::Kind::kGateway) {
    GatewayOptions gateway = options.gateway;
    gateway.url = choice.url;
    auto connected = connect_to_gateway(gateway);
    if (auto* refused = std::get_if<GatewayRefusal>(&connected)) {
      std::cerr << "fossa submit: " << refused->message << "\n";
      return refused->exit_code;
    }
    return gateway_task_api(std::get<GatewayConnection>(std::move(connected)));
  }
  const auto base = normalize_base_url(choice.url);
  if (!base) {
    std::cerr << "fossa submit: --node must be an http:// or https:// URL, got '" << choice.url << "'\n";
    return int{kExitRefused};
  }
  // A node started with FOSSA_API_TOKEN asks for it; the same variable gives it here.
  const char* token = std::getenv("FOSSA_API_TOKEN");
  return node_task_api(*base, token != nullptr ? token : "");
}

int submit_and_follow(const SubmitOptions& options) {
  auto spec = task_from_options(options.model_class, options.method, options.context, options.secrets, options.kwargs);
  if (!spec) {
    std::cerr << "fossa submit: " << spec.error() << "\n";
    return kExitRefused;
  }
  auto located = locate_api(options);
  if (const int* code = std::get_if<int>(&located)) return *code;
  const TaskApi& api = std::get<TaskApi>(located);

  const auto posted = api.client.post(api.submit_path, net::dump_json(ayeaye::to_json(*spec)), kSubmitTimeoutMs);
  if (posted.problem != ApiAnswer::Problem::kNone || posted.status < 200 || posted.status > 202) {
    return report_failure(api, posted, "to post the task");
  }
  // A node answers {"task_id"}; the gateway {"job_id", "node", "links"}, or with 202 a job it
  // holds until a worker is up.
  const auto answer = json_object(posted.body);
  const std::string id_key = answer && answer->contains("job_id") ? "job_id" : "task_id";
  if (!answer || !answer->contains(id_key) || !(*answer)[id_key].is_string()) {
    std::cerr << "fossa submit: " << api.who << "'s answer is not a task submission: " << message_of(posted.body) << "\n";
    return kExitUnreachable;
  }
  const std::string task_id = (*answer)[id_key].get<std::string>();
  if (!net::valid_task_id(task_id)) {
    // It goes into every URL that follows the task: a node is not trusted to give ids.
    std::cerr << "fossa submit: " << api.who << " took the task but answered a task id that is not an id (" << net::kTaskIdRule
              << "): " << net::quoted_id(task_id) << "\n";
    return kExitUnreachable;
  }
  std::cout << "task " << task_id << " accepted";
  if (const auto node = answer->find("node"); node != answer->end() && node->is_string()) {
    std::cout << " by node " << node->get<std::string>();
  }
  std::cout << ": " << api.url_of(task_id) << "\n";
  if (posted.status == 202) std::cout << "the gateway is starting workers for it\n";
  if (const auto links = answer->find("links"); links != answer->end() && links->is_object()) {
    if (const auto page = links->find("page"); page != links->end() && page->is_string()) {
      std::cout << "its page: " << api.client.base_url() << page->get<std::string>() << "\n";
    }
  }
  std::cout << std::flush;
  if (!options.wait) return kExitComplete;

  auto ended = follow(api, task_id, options.model_class);
  if (const int* code = std::get_if<int>(&ended)) return *code;
  return report_outcome(api, options, task_id, std::get<ayeaye::Json>(ended));
}

}  // namespace

int submit_command(const SubmitOptions& options) {
  try {
    return submit_and_follow(options);
  } catch (const ayeaye::Json::exception& e) {
    // A field of the wrong type in the node's answer: whatever answered is not a Fossa node.
    std::cerr << "fossa submit: the answer is not the Fossa API: " << e.what() << "\n";
    return kExitUnreachable;
  }
}

Command add_submit_command(CLI::App& app) {
  auto options = std::make_shared<SubmitOptions>();
  auto* cmd = app.add_subcommand(
      "submit", "Post a task to a node, or through fossa-gateway to its cluster; with --wait, follow it to its end");
  cmd->add_option("model", options->model_class, "Model class name")->required();
  cmd->add_option("--context,-c", options->context, "Resolver context key=value (repeatable)");
  cmd->add_option("--secret", options->secrets, "Resolver context key=value that is never shown (repeatable)");
  cmd->add_option("--method", options->method, "Run only this method (default: go, the whole model)");
  cmd->add_option("--kwargs", options->kwargs, "The method's kwargs as a JSON object");
  cmd->add_option("--node,-n", options->node_url,
                  "The node's URL (default: --gateway or $FOSSA_GATEWAY_URL if given, else $FOSSA_NODE_URL, else "
                  "http://127.0.0.1:2345)");
  add_gateway_options(cmd, options->gateway);
  auto* wait_flag =
      cmd->add_flag("--wait,-w", options->wait,
                    "Show progress until the task ends, print its result (and how long its subtasks ran and waited), exit by "
                    "its status");
  cmd->add_flag("--subtasks", options->show_subtasks, "With --wait: list each subtask and the node that ran it")
      ->needs(wait_flag);
  cmd->footer(kSubmitExitCodes);
  return {cmd, [options] { return submit_command(*options); }};
}

}  // namespace fossa::cli
