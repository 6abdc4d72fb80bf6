#include "cli/submit_command.h"

#include <httplib.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <optional>

#include "ayeaye/json_input.h"
#include "ayeaye/task_spec.h"
#include "cli/context_options.h"
#include "cli/command.h"
#include "text/duration.h"
#include "cli/progress_bar.h"
#include "net/http.h"

namespace fossa::cli {
namespace {

// "http://host:port/prefix" -> the client part ("http://host:port") and the path prefix.
struct NodeUrl {
  std::string origin;
  std::string prefix;
};
std::optional<NodeUrl> split_url(const std::string& url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return std::nullopt;
  const std::string scheme = url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") return std::nullopt;
  const auto path_start = url.find('/', scheme_end + 3);
  NodeUrl out;
  out.origin = url.substr(0, path_start);
  if (path_start != std::string::npos) out.prefix = url.substr(path_start);
  while (!out.prefix.empty() && out.prefix.back() == '/') out.prefix.pop_back();
  if (out.origin.size() <= scheme_end + 3) return std::nullopt;
  return out;
}

std::optional<ayeaye::Json> json_body(const std::string& body) {
  auto json = ayeaye::parse_json(body);
  if (!json) return std::nullopt;
  return std::move(json).value();
}

std::string error_message(const ayeaye::Json& body) {
  if (body.contains("error") && body["error"].is_object()) return body["error"].value("message", body.dump());
  if (body.contains("message") && body["message"].is_string()) return body["message"].get<std::string>();
  return body.dump();
}

// One line per subtask of a finished parent: its id, method and kwargs, the node that ran it and
// its outcome; then how many each node ran. Subtask documents are "<parent>.<i>" on the parent's node.
void print_subtasks(httplib::Client& client, const std::string& task_path, const ayeaye::Json& doc) {
  const auto subtasks = doc.find("subtasks");
  if (subtasks == doc.end() || !subtasks->is_object()) return;
  std::map<std::string, int> by_node;
  const std::size_t total = subtasks->value("total", 0u);
  for (std::size_t i = 0; i < total; ++i) {
    const auto got = client.Get(task_path + "." + std::to_string(i));
    const auto sub = got && got->status == 200 ? json_body(got->body) : std::nullopt;
    if (!sub || !sub->is_object()) continue;
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

int submit_and_follow(const SubmitOptions& options) {
  auto spec = task_from_options(options.model_class, options.method, options.context, options.secrets, options.kwargs);
  if (!spec) {
    std::cerr << "fossa submit: " << spec.error() << "\n";
    return 2;
  }
  std::string url = options.node_url;
  if (url.empty()) {
    const char* env = std::getenv("FOSSA_NODE_URL");
    url = env != nullptr && *env != '\0' ? env : "http://127.0.0.1:2345";
  }
  const auto node = split_url(url);
  if (!node) {
    std::cerr << "fossa submit: --node must be an http:// or https:// URL, got '" << url << "'\n";
    return 2;
  }

  httplib::Client client(node->origin);
  client.set_connection_timeout(std::chrono::seconds(5));
  client.set_read_timeout(std::chrono::seconds(30));
  // A node started with FOSSA_API_TOKEN asks for it; the same variable gives it here.
  if (const char* token = std::getenv("FOSSA_API_TOKEN"); token != nullptr && *token != '\0') {
    client.set_bearer_token_auth(token);
  }
  auto posted = client.Post(node->prefix + "/api/0.01/task", net::dump_json(ayeaye::to_json(*spec)), "application/json");
  if (!posted) {
    std::cerr << "fossa submit: cannot reach the node at " << url << ": " << httplib::to_string(posted.error()) << "\n";
    return 3;
  }
  const auto answer = json_body(posted->body);
  if (posted->status != 200) {
    std::cerr << "fossa submit: the node refused the task (HTTP " << posted->status
              << "): " << (answer ? error_message(*answer) : posted->body) << "\n";
    return 2;
  }
  if (!answer || !answer->contains("task_id")) {
    std::cerr << "fossa submit: the node's answer is not a task submission: " << posted->body << "\n";
    return 3;
  }
  const std::string task_id = (*answer)["task_id"].get<std::string>();
  const std::string task_path = node->prefix + "/api/0.01/task/" + task_id;
  std::cout << "task " << task_id << " accepted: " << node->origin << task_path << "\n" << std::flush;
  if (!options.wait) return 0;

  std::optional<ProgressBar> bar;
  if (::isatty(STDERR_FILENO) != 0) bar.emplace(options.model_class);
  ayeaye::Json doc;
  while (true) {
    // A long poll: the node answers when the task ends, or after half a second for the progress bar.
    auto got = client.Get(task_path + "?wait=0.5");
    if (!got) {
      bar.reset();
      std::cerr << "fossa submit: lost the node while waiting for task " << task_id << ": "
                << httplib::to_string(got.error()) << "\n";
      return 3;
    }
    auto body = json_body(got->body);
    if (got->status != 200 || !body || !body->is_object()) {
      bar.reset();
      std::cerr << "fossa submit: cannot read task " << task_id << " (HTTP " << got->status << "): " << got->body << "\n";
      return 3;
    }
    doc = std::move(*body);
    const std::string status = doc.value("status", "");
    if (bar) {
      if (const auto subtasks = doc.find("subtasks"); subtasks != doc.end() && subtasks->is_object()) {
        bar->set_counts(subtasks->value("done", 0u), subtasks->value("total", 0u), subtasks->value("running", 0u),
                        subtasks->value("failed", 0u));
      }
    }
    if (status != "running") break;
  }
  bar.reset();

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
  if (options.show_subtasks) print_subtasks(client, task_path, doc);
  if (status == "complete") {
    // The task's own result: the method's return value, when it has one.
    if (const auto value = payload.value("return_value", ayeaye::Json()); !value.is_null()) {
      std::cout << "return value: " << value.dump() << "\n";
    }
    return 0;
  }
  const auto trace = payload.value("traceback", ayeaye::Json::array());
  // A Python node's trace is a list of strings too, but nothing from the wire is trusted.
  std::string last = !trace.is_array() || trace.empty() || !trace.back().is_string() ? std::string() : trace.back().get<std::string>();
  std::cout << (last.empty() ? payload.value("exception_class_name", std::string("failed")) : last) << "\n";
  if (payload.contains("failure_origin_task_id") && payload["failure_origin_task_id"].is_string()) {
    std::cout << "failed subtask: " << payload["failure_origin_task_id"].get<std::string>() << " ("
              << node->origin << node->prefix << "/api/0.01/task/"
              << payload["failure_origin_task_id"].get<std::string>() << ")\n";
  }
  std::cerr << "trace:\n";
  if (trace.is_array()) for (const auto& line : trace) std::cerr << "  " << (line.is_string() ? line.get<std::string>() : line.dump()) << "\n";
  return 1;
}

}  // namespace

int submit_command(const SubmitOptions& options) {
  try {
    return submit_and_follow(options);
  } catch (const ayeaye::Json::exception& e) {
    // A field of the wrong type in the node's answer: whatever answered is not a Fossa node.
    std::cerr << "fossa submit: the node's answer is not the Fossa API: " << e.what() << "\n";
    return 3;
  }
}

Command add_submit_command(CLI::App& app) {
  auto options = std::make_shared<SubmitOptions>();
  auto* cmd = app.add_subcommand("submit", "Post a task to a node; with --wait, follow it to its end");
  cmd->add_option("model", options->model_class, "Model class name")->required();
  cmd->add_option("--context,-c", options->context, "Resolver context key=value (repeatable)");
  cmd->add_option("--secret", options->secrets, "Resolver context key=value that is never shown (repeatable)");
  cmd->add_option("--method", options->method, "Run only this method (default: go, the whole model)");
  cmd->add_option("--kwargs", options->kwargs, "The method's kwargs as a JSON object");
  cmd->add_option("--node,-n", options->node_url,
                  "The node's (or gateway's) URL (default: $FOSSA_NODE_URL, else http://127.0.0.1:2345)");
  auto* wait_flag =
      cmd->add_flag("--wait,-w", options->wait, "Show progress until the task ends, print its result, exit by its status");
  cmd->add_flag("--subtasks", options->show_subtasks, "With --wait: list each subtask and the node that ran it")
      ->needs(wait_flag);
  return {cmd, [options] { return submit_command(*options); }};
}

}  // namespace fossa::cli
