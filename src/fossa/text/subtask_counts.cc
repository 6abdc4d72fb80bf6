#include "text/subtask_counts.h"

#include <cstdint>

namespace fossa::text {

std::string subtask_counts(const ayeaye::Json& subtasks) {
  if (!subtasks.is_object()) return "";
  const auto count = [&](const char* key) {
    const auto found = subtasks.find(key);
    return found != subtasks.end() && found->is_number_unsigned() ? found->get<std::uint64_t>() : std::uint64_t{0};
  };
  std::string text = std::to_string(count("done")) + "/" + std::to_string(count("total")) + " subtasks";
  for (const char* part : {"failed", "cancelled", "running"}) {
    if (const auto n = count(part); n > 0) text += ", " + std::to_string(n) + " " + part;
  }
  return text;
}

}  // namespace fossa::text
