#include "ayeaye/task_message.h"

#include "ayeaye/json_input.h"

#include "json_fields.h"

namespace ayeaye {

using json_fields::describe;
using json_fields::object_field;
using json_fields::string_field;

std::string TaskFailed::message() const {
  if (traceback.empty()) return {};
  const std::string& last = traceback.back();
  const std::string prefix = exception_class_name + ": ";
  return last.rfind(prefix, 0) == 0 ? last.substr(prefix.size()) : last;
}

Json to_json(const TaskComplete& message) {
  return {{"type", "TaskComplete"},
          {"payload",
           {{"method_name", message.method_name},
            {"method_kwargs", message.method_kwargs},
            {"return_value", message.return_value}}}};
}

Json to_json(const TaskFailed& message) {
  auto optional_string = [](const std::optional<std::string>& s) {
    return s ? Json(*s) : Json(nullptr);
  };
  return {{"type", "TaskFailed"},
          {"payload",
           {{"model_class_name", message.model_class_name},
            {"model_construction_kwargs", message.model_construction_kwargs},
            {"partition_initialise_kwargs", message.partition_initialise_kwargs},
            {"method_name", message.method_name},
            {"method_kwargs", message.method_kwargs},
            {"resolver_context", message.resolver_context},
            {"exception_class_name", message.exception_class_name},
            {"traceback", message.traceback},
            {"task_id", optional_string(message.task_id)},
            {"failure_origin_task_id", optional_string(message.failure_origin_task_id)}}}};
}

Json to_json(const TaskLogMessage& message) {
  return {{"type", "TaskLogMessage"}, {"payload", {{"msg", message.msg}, {"level", message.level}}}};
}

Json to_json(const TaskMessage& message) {
  return std::visit([](const auto& m) { return to_json(m); }, message);
}

namespace {

Result<TaskMessage> fail(std::string message) { return Result<TaskMessage>::fail(std::move(message)); }

std::optional<std::string> optional_string_field(const Json& payload, const char* name,
                                                 std::optional<std::string>& out) {
  auto it = payload.find(name);
  if (it == payload.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) {
    return "TaskFailed payload field '" + std::string(name) + "' must be a string or null, got " +
           describe(*it);
  }
  out = it->get<std::string>();
  return std::nullopt;
}

Result<TaskMessage> parse_complete(const Json& payload) {
  TaskComplete m;
  if (auto e = string_field(payload, "method_name", m.method_name, "TaskComplete payload", true)) return fail(*e);
  if (auto e = object_field(payload, "method_kwargs", m.method_kwargs, "TaskComplete payload")) return fail(*e);
  if (!payload.contains("return_value")) return fail("TaskComplete payload lacks 'return_value'");
  m.return_value = payload.at("return_value");
  return TaskMessage(std::move(m));
}

Result<TaskMessage> parse_failed(const Json& payload) {
  TaskFailed m;
  const std::string where = "TaskFailed payload";
  if (auto e = string_field(payload, "model_class_name", m.model_class_name, where, false)) return fail(*e);
  if (auto e = string_field(payload, "method_name", m.method_name, where, false)) return fail(*e);
  if (auto e = string_field(payload, "exception_class_name", m.exception_class_name, where, false)) return fail(*e);
  for (auto [name, out] : {std::pair{"model_construction_kwargs", &m.model_construction_kwargs},
                           std::pair{"partition_initialise_kwargs", &m.partition_initialise_kwargs},
                           std::pair{"method_kwargs", &m.method_kwargs},
                           std::pair{"resolver_context", &m.resolver_context}}) {
    if (auto e = object_field(payload, name, *out, where)) return fail(*e);
  }
  if (auto it = payload.find("traceback"); it != payload.end() && !it->is_null()) {
    if (!it->is_array()) return fail(where + " field 'traceback' must be an array of strings, got " + describe(*it));
    for (const auto& line : *it) {
      if (!line.is_string()) return fail(where + " field 'traceback' must hold only strings, got " + describe(line));
      m.traceback.push_back(line.get<std::string>());
    }
  }
  if (auto e = optional_string_field(payload, "task_id", m.task_id)) return fail(*e);
  if (auto e = optional_string_field(payload, "failure_origin_task_id", m.failure_origin_task_id)) return fail(*e);
  return TaskMessage(std::move(m));
}

Result<TaskMessage> parse_log(const Json& payload) {
  TaskLogMessage m;
  if (auto e = string_field(payload, "msg", m.msg, "TaskLogMessage payload", true)) return fail(*e);
  if (auto e = string_field(payload, "level", m.level, "TaskLogMessage payload", false, "INFO")) return fail(*e);
  return TaskMessage(std::move(m));
}

}  // namespace

Result<TaskMessage> parse_task_message(const Json& json) {
  if (!json.is_object()) return fail("a task message must be a JSON object, got " + describe(json));
  std::string type;
  if (auto e = string_field(json, "type", type, "task message", true)) return fail("task message: " + *e);
  auto payload = json.find("payload");
  if (payload == json.end() || !payload->is_object()) {
    return fail("task message of type '" + type + "' needs an object 'payload'");
  }
  if (type == "TaskComplete") return parse_complete(*payload);
  if (type == "TaskFailed") return parse_failed(*payload);
  if (type == "TaskLogMessage") return parse_log(*payload);
  return fail("unknown task message type '" + type +
              "' (expected TaskComplete, TaskFailed or TaskLogMessage)");
}

Result<TaskMessage> parse_task_message(std::string_view text) {
  auto json = parse_json(text);
  if (!json) return fail("a task message must be JSON: " + json.error());
  return parse_task_message(*json);
}

}  // namespace ayeaye
