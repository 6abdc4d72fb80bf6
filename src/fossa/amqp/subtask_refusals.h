// SubtaskRefusals: the record a subtask carries of the nodes of ours that took it and could not
// run it (its model is not in their program), in the message header kRefusalsHeader. A node that
// refuses a subtask adds itself and hands it back for another node (refused_subtask.h); the record
// is how the next node knows for how long, how often and by whom it has been refused.
//
// Ours, unknown to Python: a Python node ignores AMQP headers, and a parent (ours or Python's)
// never sets this one. Everything read from it is bounded; a header that is not exactly such a
// record is treated as absent (the subtask counts as refused for the first time), never an error.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fossa::amqp {

inline constexpr std::string_view kRefusalsHeader = "x-fossa-refusals";

struct SubtaskRefusals {
  using Clock = std::chrono::system_clock;
  // Node idents kept at most (a refusal by a node not among them is still counted), and the
  // length of one ident at most.
  static constexpr std::size_t kMaxNodes = 16;
  static constexpr std::size_t kMaxIdentLength = 256;
  static constexpr long long kMaxCount = 1'000'000;

  Clock::time_point first_refused;  // on the clock of the node that refused it first
  long long count = 0;              // refusals so far, 1 to kMaxCount
  std::vector<std::string> nodes;   // distinct idents of refusing nodes, first refusal first

  // Counts one more refusal, by `node` (kept when there is room and it is new).
  void add(const std::string& node);
};

// The header's value: {"first_refused": "<ISO time in UTC>", "count": n, "nodes": ["ident", ...]}.
std::string encode_refusals(const SubtaskRefusals& refusals);
// The record, or nullopt when `value` is not one within the bounds above.
std::optional<SubtaskRefusals> decode_refusals(std::string_view value);
// The record in a delivery's headers; nullopt when absent or malformed.
std::optional<SubtaskRefusals> read_refusals(const std::map<std::string, std::string>& headers);

}  // namespace fossa::amqp
