// The task messages of the Fossa protocol (docs/protocol.md): what a subtask is asked to do
// (TaskPartition) and what comes back from running it (TaskComplete, TaskFailed, TaskLogMessage).
//
// Their JSON forms are exactly those of Python Aye-Aye 0.0.66, `{"type": ..., "payload": {...}}`
// with the same field names, so messages cross between our nodes and Python ones. Encoding and
// decoding live here, apart from any transport, so they are tested without a socket.
#pragma once

#include <optional>
#include <utility>
#include <string>
#include <variant>
#include <vector>

#include "ayeaye/error.h"
#include "ayeaye/json.h"

namespace ayeaye {

// One subtask of a partitioned model: a method of the model and its kwargs, and optionally how to
// construct and initialise the model instance that runs it. partition_slice() returns these; a
// plain `{"method", {kwargs}}` is enough.
struct TaskPartition {
  TaskPartition() = default;
  // `{"crypto_challenge", {{"ch", "a"}, {"count", 4}}}`
  TaskPartition(std::string method, Json kwargs = Json::object())
      : method_name(std::move(method)), method_kwargs(std::move(kwargs)) {}

  std::string method_name;
  Json method_kwargs = Json::object();
  Json model_construction_kwargs = Json::object();
  Json partition_initialise_kwargs = Json::object();
  // Empty means the class of the model that sliced it.
  std::string model_class;
};

struct TaskComplete {
  std::string method_name;
  Json method_kwargs = Json::object();
  Json return_value;
};

struct TaskFailed {
  std::string model_class_name;
  Json model_construction_kwargs = Json::object();
  Json partition_initialise_kwargs = Json::object();
  std::string method_name;
  Json method_kwargs = Json::object();
  Json resolver_context = Json::object();
  // The C++ exception's type (`std::domain_error`), or `Signal` for a process killed by a signal.
  std::string exception_class_name;
  // What trace is available; the last line is always "<type>: <message>".
  std::vector<std::string> traceback;
  std::optional<std::string> task_id;
  // The task id of the subtask whose failure failed this (parent) task.
  std::optional<std::string> failure_origin_task_id;

  // The exception's message: the traceback's last line without its "<type>: " prefix.
  std::string message() const;
};

struct TaskLogMessage {
  std::string msg;
  std::string level = "INFO";
};

using TaskMessage = std::variant<TaskComplete, TaskFailed, TaskLogMessage>;

// `{"type": "TaskComplete", "payload": {...}}` and friends.
Json to_json(const TaskMessage& message);
Json to_json(const TaskComplete& message);
Json to_json(const TaskFailed& message);
Json to_json(const TaskLogMessage& message);
// Decodes any of the three; the error says which field is missing or of the wrong type.
Result<TaskMessage> parse_task_message(const Json& json);
Result<TaskMessage> parse_task_message(std::string_view text);

}  // namespace ayeaye
