#include "amqp/subtask_batch.h"

#include "ayeaye/json_input.h"

namespace fossa::amqp {
namespace {

std::string encode(std::string_view list, const std::vector<BatchItem>& items) {
  ayeaye::Json array = ayeaye::Json::array();
  for (const auto& item : items) {
    array.push_back({{"correlation_id", item.correlation_id}, {"body", item.body}, {"headers", item.headers}});
  }
  return ayeaye::Json{{std::string(list), std::move(array)}}.dump();
}

ayeaye::Result<std::vector<BatchItem>> decode(std::string_view list, std::string_view body) {
  using R = ayeaye::Result<std::vector<BatchItem>>;
  auto parsed = ayeaye::parse_json(body, /*max_depth=*/4);
  if (!parsed) return R::fail("the batch is not JSON: " + parsed.error());
  const std::string name(list);
  const auto found = parsed->is_object() ? parsed->find(name) : parsed->end();
  if (found == parsed->end() || !found->is_array()) return R::fail("the batch has no array '" + name + "'");
  if (found->empty()) return R::fail("the batch's '" + name + "' is empty");
  if (found->size() > kMaxBatchItems) {
    return R::fail("the batch holds " + std::to_string(found->size()) + " " + name + ", more than " +
                   std::to_string(kMaxBatchItems));
  }
  std::vector<BatchItem> items;
  items.reserve(found->size());
  for (std::size_t i = 0; i < found->size(); ++i) {
    const ayeaye::Json& entry = (*found)[i];
    const std::string where = name + "[" + std::to_string(i) + "]";
    if (!entry.is_object()) return R::fail(where + " is not an object");
    BatchItem item;
    for (auto [key, field] : {std::pair{"correlation_id", &item.correlation_id}, {"body", &item.body}}) {
      const auto value = entry.find(key);
      if (value == entry.end() || !value->is_string()) return R::fail(where + "." + key + " is not a string");
      *field = value->get<std::string>();
    }
    if (const auto headers = entry.find("headers"); headers != entry.end()) {
      if (!headers->is_object()) return R::fail(where + ".headers is not an object");
      for (const auto& [key, value] : headers->items()) {
        if (!value.is_string()) return R::fail(where + ".headers." + key + " is not a string");
        item.headers.emplace(key, value.get<std::string>());
      }
    }
    items.push_back(std::move(item));
  }
  return items;
}

}  // namespace

std::string encode_subtask_batch(const std::vector<BatchItem>& items) { return encode("subtasks", items); }
std::string encode_reply_batch(const std::vector<BatchItem>& items) { return encode("replies", items); }

ayeaye::Result<std::vector<BatchItem>> decode_subtask_batch(std::string_view body) { return decode("subtasks", body); }
ayeaye::Result<std::vector<BatchItem>> decode_reply_batch(std::string_view body) { return decode("replies", body); }

Message subtask_message(BatchItem item, const std::string& reply_to) {
  Message m;
  m.body = std::move(item.body);
  m.correlation_id = std::move(item.correlation_id);
  m.headers = std::move(item.headers);
  m.reply_to = reply_to;
  m.persistent = true;
  return m;
}

namespace {

std::optional<SubtaskTimes> times_of(const std::map<std::string, std::string>& headers) {
  // Times that cannot be read are as good as none: the parent says "not known".
  const auto header = headers.find(std::string(kTimesHeader));
  if (header == headers.end()) return std::nullopt;
  auto decoded = decode_subtask_times(header->second);
  return decoded ? std::optional(*decoded) : std::nullopt;
}

// A subtask as its own message carries it, or as one of a batch: body, correlation id, headers.
BatchItem subtask_item(const std::string& correlation_id, const ayeaye::TaskSpec& spec) {
  BatchItem item{correlation_id, encode_subtask_body(spec), {{std::string(kLogRepliesHeader), "1"}}};
  if (const auto secret = spec.resolver_context.secret_keys(); !secret.empty()) {
    item.headers[std::string(kSecretKeysHeader)] = ayeaye::Json(secret).dump();
  }
  if (is_valid_job_id(spec.job_id)) item.headers[std::string(kJobIdHeader)] = spec.job_id;
  return item;
}

LinkCommand publish_command(std::string_view queue, std::string body) {
  LinkCommand command;
  command.kind = LinkCommand::Kind::kSubtask;
  command.routing_key = std::string(queue);
  command.message.body = std::move(body);
  command.message.persistent = true;
  return command;
}

bool joins_reply_batch(const LinkCommand& command) {
  return command.kind == LinkCommand::Kind::kReply && command.ack_after_confirm && command.in_batch;
}

}  // namespace

LinkCommand subtask_command(const std::string& correlation_id, const ayeaye::TaskSpec& spec) {
  BatchItem item = subtask_item(correlation_id, spec);
  LinkCommand command = publish_command(kTaskQueue, std::move(item.body));
  command.message.correlation_id = std::move(item.correlation_id);
  command.message.headers = std::move(item.headers);
  return command;
}

std::vector<LinkCommand> subtask_batch_commands(const std::vector<OutgoingSubtask>& subtasks) {
  std::vector<LinkCommand> commands;
  std::vector<BatchItem> items;
  std::size_t bytes = 0;
  for (const auto& subtask : subtasks) {
    BatchItem item = subtask_item(subtask.correlation_id, *subtask.spec);
    const std::size_t size = item.body.size() + item.correlation_id.size() + 256;
    if (items.size() == kMaxBatchItems || (!items.empty() && bytes + size > kMaxBatchBytes)) {
      commands.push_back(publish_command(kBatchQueue, encode_subtask_batch(items)));
      items.clear();
      bytes = 0;
    }
    bytes += size;
    items.push_back(std::move(item));
  }
  if (!items.empty()) commands.push_back(publish_command(kBatchQueue, encode_subtask_batch(items)));
  return commands;
}

void read_replies(Message m, std::vector<LinkEvent>& events) {
  const auto node_header = m.headers.find(std::string(kNodeHeader));
  const std::string node = node_header == m.headers.end() ? "" : node_header->second;
  if (!m.headers.contains(std::string(kBatchHeader))) {
    const bool takes_batches = m.headers.contains(std::string(kTakesBatchesHeader));
    events.emplace_back(
        ReplyReceived{std::move(m.correlation_id), std::move(m.body), node, times_of(m.headers), takes_batches});
    return;
  }
  auto items = decode_reply_batch(m.body);
  if (!items) {
    events.emplace_back(UnreadableReplyBatch{items.error()});
    return;
  }
  for (auto& item : *items) {
    events.emplace_back(ReplyReceived{std::move(item.correlation_id), std::move(item.body), node, times_of(item.headers),
                                      /*takes_batches=*/true});
  }
}

LinkCommand take_next_publish(std::deque<LinkCommand>& todo) {
  LinkCommand first = std::move(todo.front());
  todo.pop_front();
  if (!joins_reply_batch(first) || todo.empty() || !joins_reply_batch(todo.front()) ||
      todo.front().routing_key != first.routing_key) {
    return first;
  }
  LinkCommand batch;
  batch.kind = LinkCommand::Kind::kReply;
  batch.routing_key = first.routing_key;
  batch.taken_id = first.taken_id;
  batch.ack_after_confirm = true;
  batch.in_batch = true;
  batch.message.headers[std::string(kBatchHeader)] = "1";
  if (const auto node = first.message.headers.find(std::string(kNodeHeader)); node != first.message.headers.end()) {
    batch.message.headers.insert(*node);
  }
  std::vector<BatchItem> items;
  std::size_t bytes = 0;
  const auto add = [&](LinkCommand& reply) {
    reply.message.headers.erase(std::string(kNodeHeader));
    reply.message.headers.erase(std::string(kTakesBatchesHeader));  // the reply batch says it for all
    bytes += reply.message.body.size() + reply.message.correlation_id.size() + 128;
    items.push_back({std::move(reply.message.correlation_id), std::move(reply.message.body),
                     std::move(reply.message.headers)});
  };
  add(first);
  while (!todo.empty() && items.size() < kMaxBatchItems && joins_reply_batch(todo.front()) &&
         todo.front().routing_key == batch.routing_key &&
         bytes + todo.front().message.body.size() + 128 <= kMaxBatchBytes) {
    batch.also_taken.push_back(todo.front().taken_id);
    add(todo.front());
    todo.pop_front();
  }
  batch.message.body = encode_reply_batch(items);
  return batch;
}

}  // namespace fossa::amqp
