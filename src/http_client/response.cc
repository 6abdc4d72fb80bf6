#include "http_client/response.h"

#include <algorithm>
#include <cctype>

namespace fossa::http_client {
namespace {

bool same_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trimmed(std::string_view text) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace

std::string Response::header(std::string_view name) const {
  for (const auto& [field, value] : headers) {
    if (same_ignoring_case(field, name)) return value;
  }
  return "";
}

void take_header_line(std::string_view line, Headers& headers) {
  if (line.rfind("HTTP/", 0) == 0) {
    headers.clear();
    return;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return;
  const std::string_view name = trimmed(line.substr(0, colon));
  if (name.empty()) return;
  headers.emplace_back(std::string(name), std::string(trimmed(line.substr(colon + 1))));
}

}  // namespace fossa::http_client
