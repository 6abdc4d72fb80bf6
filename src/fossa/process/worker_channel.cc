#include "process/worker_channel.h"

#include "ayeaye/json_input.h"

namespace fossa::channel {

std::string subtask_log_line(std::size_t index, const ayeaye::TaskLogMessage& message) {
  const ayeaye::Json line = {{"type", kSubtaskLog}, {"payload", {{"index", index}, {"message", ayeaye::to_json(message)}}}};
  return line.dump() + "\n";
}

std::string subtask_result_line(std::size_t index, const ayeaye::TaskMessage& result) {
  const ayeaye::Json line = {{"type", kSubtaskResult}, {"payload", {{"index", index}, {"result", ayeaye::to_json(result)}}}};
  return line.dump() + "\n";
}

ayeaye::Result<SubtaskEvent> parse_subtask_event(std::string_view line, std::size_t count) {
  using R = ayeaye::Result<SubtaskEvent>;
  const auto parsed = ayeaye::parse_json(line);
  if (!parsed) return R::fail("not JSON: " + parsed.error());
  const ayeaye::Json& json = *parsed;
  if (!json.is_object()) return R::fail("not a JSON object");
  const auto type_field = json.find("type");
  if (type_field == json.end() || !type_field->is_string()) return R::fail("no type string");
  const auto type = type_field->get<std::string>();
  const auto payload = json.find("payload");
  if (payload == json.end() || !payload->is_object()) return R::fail("no payload object");
  const auto index = payload->find("index");
  if (index == payload->end() || !index->is_number_unsigned() || index->get<std::size_t>() >= count) {
    return R::fail("index missing or out of range");
  }
  SubtaskEvent event;
  event.index = index->get<std::size_t>();
  const char* field = nullptr;
  if (type == kSubtaskLog) {
    field = "message";
  } else if (type == kSubtaskResult) {
    field = "result";
    event.is_result = true;
  } else {
    return R::fail("unknown type '" + type + "'");
  }
  const auto body = payload->find(field);
  if (body == payload->end()) return R::fail(std::string("no ") + field);
  auto message = ayeaye::parse_task_message(*body);
  if (!message) return R::fail(message.error());
  if (event.is_result == std::holds_alternative<ayeaye::TaskLogMessage>(*message)) {
    return R::fail(std::string(type) + " carries the wrong kind of task message");
  }
  event.message = std::move(message).value();
  return event;
}

}  // namespace fossa::channel
