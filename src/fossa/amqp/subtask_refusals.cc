#include "amqp/subtask_refusals.h"

#include <algorithm>

#include "amqp/subtask_codec.h"
#include "ayeaye/json_input.h"

namespace fossa::amqp {

void SubtaskRefusals::add(const std::string& node) {
  count = std::min(count + 1, kMaxCount);
  const bool known = std::find(nodes.begin(), nodes.end(), node) != nodes.end();
  if (!known && nodes.size() < kMaxNodes && !node.empty() && node.size() <= kMaxIdentLength) nodes.push_back(node);
}

std::string encode_refusals(const SubtaskRefusals& refusals) {
  const ayeaye::Json json = {{"first_refused", encode_utc_time(refusals.first_refused)},
                             {"count", refusals.count},
                             {"nodes", refusals.nodes}};
  return json.dump();
}

std::optional<SubtaskRefusals> decode_refusals(std::string_view value) {
  // A record within the bounds is well under this; anything longer is not one.
  constexpr std::size_t kMaxValueLength = 64 + SubtaskRefusals::kMaxNodes * (SubtaskRefusals::kMaxIdentLength * 6 + 4);
  if (value.size() > kMaxValueLength) return std::nullopt;
  const ayeaye::Json json = ayeaye::parse_json_or_null(value);
  if (!json.is_object()) return std::nullopt;
  const auto first = json.find("first_refused");
  const auto count = json.find("count");
  const auto nodes = json.find("nodes");
  if (first == json.end() || !first->is_string() || count == json.end() || !count->is_number_integer() ||
      nodes == json.end() || !nodes->is_array() || nodes->size() > SubtaskRefusals::kMaxNodes) {
    return std::nullopt;
  }
  SubtaskRefusals refusals;
  const auto time = decode_utc_time(first->get<std::string>());
  if (!time) return std::nullopt;
  refusals.first_refused = *time;
  refusals.count = count->get<long long>();
  if (refusals.count < 1 || refusals.count > SubtaskRefusals::kMaxCount) return std::nullopt;
  for (const auto& node : *nodes) {
    if (!node.is_string()) return std::nullopt;
    auto ident = node.get<std::string>();
    if (ident.empty() || ident.size() > SubtaskRefusals::kMaxIdentLength) return std::nullopt;
    if (std::find(refusals.nodes.begin(), refusals.nodes.end(), ident) != refusals.nodes.end()) return std::nullopt;
    refusals.nodes.push_back(std::move(ident));
  }
  return refusals;
}

std::optional<SubtaskRefusals> read_refusals(const std::map<std::string, std::string>& headers) {
  const auto found = headers.find(std::string(kRefusalsHeader));
  if (found == headers.end()) return std::nullopt;
  return decode_refusals(found->second);
}

}  // namespace fossa::amqp
