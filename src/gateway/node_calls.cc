#include "node_calls.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <future>

#include "ayeaye/json_input.h"
#include "http_client/client.h"

namespace fossa::gateway {
namespace {

// A node has this long to accept the connection (a task address that no longer answers).
constexpr std::chrono::milliseconds kConnectTimeout{2000};

NodeAnswer call(const std::string& method, const std::string& address, const std::string& path, const std::string& body,
                long timeout_ms, const NodeCalls& calls) {
  http_client::Request request;
  request.method = method;
  request.url = "http://" + address + path;
  if (!calls.api_token.empty()) request.auth = http_client::BearerToken{calls.api_token};
  if (method == "POST") request.headers.emplace_back("Content-Type", "application/json");
  request.timeout = std::chrono::milliseconds(timeout_ms);
  request.connect_timeout = kConnectTimeout;
  request.max_answer_bytes = calls.max_bytes;
  request.path_as_is = true;  // a path is sent as built, "/./" and "/../" too
  const auto answer = http_client::send(request, body);
  NodeAnswer out;
  if (answer.too_large()) {
    out.error = "the node at " + address + " answered more than " + std::to_string(calls.max_bytes) + " bytes (--node-max-bytes)";
  } else if (answer.timed_out()) {
    out.error = "the node at " + address + " did not answer within " + std::to_string(timeout_ms) + " ms (--node-timeout)";
  } else if (!answer.answered()) {
    out.error = "the node at " + address + " is not answering (" + answer.error + ")";
  } else {
    out.status = answer.status;
    out.body = ayeaye::parse_json_or_null(answer.body);
  }
  return out;
}

}  // namespace

std::string node_error_message(const ayeaye::Json& body) {
  if (!body.is_object()) return "";
  if (const auto error = body.find("error"); error != body.end() && error->is_object()) {
    if (const auto message = error->find("message"); message != error->end() && message->is_string()) return *message;
  }
  if (const auto message = body.find("message"); message != body.end() && message->is_string()) return *message;
  return "";
}

NodeAnswer get_node_info(const std::string& address, const NodeCalls& calls) {
  return call("GET", address, "/api/0.01/node_info", "", calls.timeout_ms, calls);
}

bool refused_token(const NodeAnswer& answer) { return answer.answered() && (answer.status == 401 || answer.status == 403); }

std::string node_info_problem(const std::string& address, const NodeAnswer& answer) {
  if (!answer.answered()) return answer.error;
  if (refused_token(answer)) {
    std::string message = "the node at " + address + " refused the gateway's token (FOSSA_API_TOKEN): HTTP " +
                          std::to_string(answer.status);
    if (const auto said = node_error_message(answer.body); !said.empty()) message += ", " + said;
    return message;
  }
  if (answer.status != 200 || !answer.body.is_object() || !answer.body.contains("node_info") ||
      !answer.body["node_info"].is_object()) {
    return "the node at " + address + " answered HTTP " + std::to_string(answer.status) + " without a node_info document";
  }
  return "";
}

ayeaye::Result<ayeaye::Json> fetch_node_info(const std::string& address, const NodeCalls& calls) {
  auto answer = get_node_info(address, calls);
  if (auto problem = node_info_problem(address, answer); !problem.empty()) return ayeaye::Result<ayeaye::Json>::fail(problem);
  return std::move(answer.body);
}

NodeAnswer get_task(const std::string& address, const std::string& task_id, double wait_seconds, const NodeCalls& calls) {
  std::string path = "/api/0.01/task/" + task_id;  // the id was checked: letters, digits, '.', '_', '-'
  long timeout_ms = calls.timeout_ms;
  if (wait_seconds > 0) {
    char wait[32];
    std::snprintf(wait, sizeof wait, "%.3f", wait_seconds);
    path += std::string("?wait=") + wait;
    timeout_ms += static_cast<long>(wait_seconds * 1000);
  }
  return call("GET", address, path, "", timeout_ms, calls);
}

NodeAnswer cancel_task(const std::string& address, const std::string& task_id, const NodeCalls& calls) {
  return call("POST", address, "/api/0.01/task/" + task_id + "/cancel", "", calls.timeout_ms, calls);
}

NodeAnswer cancel_task_elsewhere(const std::string& address, const std::string& task_id, const std::string& pool_id,
                                 const NodeCalls& calls) {
  return call("POST", address, "/api/0.01/task/" + task_id + "/cancel?pool=" + pool_id, "", calls.timeout_ms, calls);
}

NodeAnswer post_task(const std::string& address, const std::string& body, const NodeCalls& calls) {
  return call("POST", address, "/api/0.01/task", body, calls.timeout_ms, calls);
}

std::vector<ayeaye::Json> get_subtask_documents(const std::string& address, const std::string& task_id, int count,
                                                const NodeCalls& calls) {
  constexpr int kAtOnce = 16;
  std::vector<ayeaye::Json> out;
  for (int from = 0; from < count; from += kAtOnce) {
    std::vector<std::future<NodeAnswer>> answers;
    for (int i = from; i < std::min(count, from + kAtOnce); ++i) {
      answers.push_back(std::async(std::launch::async, [&, i] { return get_task(address, task_id + "." + std::to_string(i), 0, calls); }));
    }
    for (auto& answer : answers) {
      auto got = answer.get();
      if (got.answered() && got.status == 200 && got.body.is_object()) out.push_back(std::move(got.body));
    }
  }
  return out;
}

}  // namespace fossa::gateway
