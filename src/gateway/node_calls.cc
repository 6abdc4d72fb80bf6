#include "node_calls.h"

#include <chrono>
#include <cstdio>

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

ayeaye::Result<ayeaye::Json> fetch_node_info(const std::string& address, const NodeCalls& calls) {
  using R = ayeaye::Result<ayeaye::Json>;
  auto answer = call("GET", address, "/api/0.01/node_info", "", calls.timeout_ms, calls);
  if (!answer.answered()) return R::fail(answer.error);
  if (answer.status != 200 || !answer.body.is_object() || !answer.body.contains("node_info")) {
    return R::fail("the node at " + address + " answered HTTP " + std::to_string(answer.status) +
                   " without a node_info document");
  }
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

NodeAnswer post_task(const std::string& address, const std::string& body, const NodeCalls& calls) {
  return call("POST", address, "/api/0.01/task", body, calls.timeout_ms, calls);
}

}  // namespace fossa::gateway
