#include "amqp/task_delivery.h"

#include <map>
#include <vector>

#include "amqp/link.h"
#include "amqp/refused_subtask.h"
#include "amqp/subtask_batch.h"
#include "amqp/subtask_codec.h"
#include "ayeaye/json_input.h"

namespace fossa::amqp {
namespace {

std::vector<std::string> parse_secret_keys(const std::map<std::string, std::string>& headers) {
  const auto found = headers.find(std::string(kSecretKeysHeader));
  if (found == headers.end()) return {};
  const ayeaye::Json json = ayeaye::parse_json_or_null(found->second);
  std::vector<std::string> keys;
  if (!json.is_array()) return {"(x-fossa-secret-keys is not a JSON array)"};
  for (const auto& key : json) {
    if (key.is_string()) keys.push_back(key.get<std::string>());
  }
  return keys;
}

// Not a task: to the dead-letter queue with the reason, acknowledged once that is confirmed.
TaskDeliveryOutcome dead_letter(Message m, const std::string& reason, std::string_view queue, std::uint64_t taken_id,
                                const std::string& node_ident) {
  LinkCommand dead;
  dead.kind = LinkCommand::Kind::kDeadLetter;
  dead.routing_key = std::string(kDeadLetterQueue);
  dead.message.body = std::move(m.body);
  dead.message.content_type = m.content_type;
  dead.message.persistent = true;
  dead.message.headers = {{"x-fossa-reason", reason},
                          {"x-fossa-rejected-by", node_ident},
                          {"x-fossa-original-queue", std::string(queue)},
                          {"x-fossa-original-correlation-id", m.correlation_id},
                          {"x-fossa-original-reply-to", m.reply_to}};
  dead.taken_id = taken_id;
  dead.ack_after_confirm = true;
  return {DeadLettered{reason, m.correlation_id}, std::move(dead)};
}

}  // namespace

TaskDeliveryOutcome take_task_delivery(Message m, bool redelivered, std::uint64_t taken_id, const std::string& node_ident,
                                       const RefusalLimits& limits) {
  auto decoded = decode_subtask(m.body, m.reply_to, m.correlation_id, parse_secret_keys(m.headers));
  if (auto* task = std::get_if<SubtaskDelivery>(&decoded)) {
    if (const auto job = m.headers.find(std::string(kJobIdHeader)); job != m.headers.end()) {
      task->spec.job_id = job_id_from_header(job->second);
    }
    return {SubtaskTaken{taken_id, std::move(*task), redelivered, m.headers.count(std::string(kLogRepliesHeader)) > 0},
            std::nullopt};
  }
  if (auto* other = std::get_if<SubtaskForAnotherModel>(&decoded)) {
    // Another node may run it: handed back for one, or answered once refused too long.
    auto refused = refuse_subtask(m, *other, taken_id, node_ident, SubtaskRefusals::Clock::now(), limits);
    return {std::move(refused.event), std::move(refused.command)};
  }
  return dead_letter(std::move(m), std::get<NotASubtask>(decoded).reason, kTaskQueue, taken_id, node_ident);
}

BatchDeliveryOutcome take_batch_delivery(Message m, bool redelivered, std::uint64_t first_id,
                                         const std::string& node_ident, const RefusalLimits& limits) {
  BatchDeliveryOutcome out;
  auto items = decode_subtask_batch(m.body);
  if (!items) {
    out.outcomes.push_back(dead_letter(std::move(m), items.error(), kBatchQueue, first_id, node_ident));
    return out;
  }
  for (auto& item : *items) out.pieces.push_back(subtask_message(std::move(item), m.reply_to));
  for (std::size_t i = 0; i < out.pieces.size(); ++i) {
    auto outcome = take_task_delivery(out.pieces[i], redelivered, first_id + i, node_ident, limits);
    if (auto* taken = std::get_if<SubtaskTaken>(&outcome.event)) taken->task.in_batch = true;
    out.outcomes.push_back(std::move(outcome));
  }
  return out;
}

}  // namespace fossa::amqp
