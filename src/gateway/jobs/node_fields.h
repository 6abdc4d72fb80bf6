// Reading a node's documents (node_info, a task's document), which the gateway does not trust to
// be well formed: each field by its type, and a field missing or of another type reads as blank
// (an empty string, 0), never as an exception — one bad node must not turn a page into a 500.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>

#include "ayeaye/json.h"

namespace fossa::gateway {

inline std::string string_at(const ayeaye::Json& json, const char* key) {
  if (!json.is_object()) return "";
  const auto found = json.find(key);
  return found != json.end() && found->is_string() ? found->get<std::string>() : "";
}

// An integer, held within ±10^9 (far beyond any count of subtasks or attempts), so that a few of
// them add up without overflowing an int, whatever a node claims.
inline int int_at(const ayeaye::Json& json, const char* key) {
  constexpr long long kBound = 1'000'000'000;
  if (!json.is_object()) return 0;
  const auto found = json.find(key);
  if (found == json.end()) return 0;
  if (found->is_number_unsigned()) return static_cast<int>(std::min<std::uint64_t>(found->get<std::uint64_t>(), kBound));
  if (!found->is_number_integer()) return 0;
  return static_cast<int>(std::clamp(found->get<long long>(), -kBound, kBound));
}

inline double number_at(const ayeaye::Json& json, const char* key) {
  if (!json.is_object()) return 0;
  const auto found = json.find(key);
  return found != json.end() && found->is_number() ? found->get<double>() : 0;
}

}  // namespace fossa::gateway
