#include "net/task_id.h"

#include "ayeaye/json.h"

namespace fossa::net {

bool valid_task_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  bool only_dots = true;
  for (const char c : id) {
    const bool letter_or_digit = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!letter_or_digit && c != '.' && c != '_' && c != '-') return false;
    only_dots = only_dots && c == '.';
  }
  return !only_dots;
}

std::string quoted_id(std::string_view id) {
  constexpr std::size_t kShown = 80;
  const bool cut = id.size() > kShown;
  std::string text = ayeaye::Json(std::string(id.substr(0, kShown))).dump(-1, ' ', false, ayeaye::Json::error_handler_t::replace);
  if (cut) text += "…";
  return text;
}

}  // namespace fossa::net
