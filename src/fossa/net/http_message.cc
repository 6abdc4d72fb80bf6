#include "net/http_message.h"

#include <cctype>

#include "fossa/base/hex.h"

namespace fossa::net {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

std::string Request::get_header_value(std::string_view name) const {
  for (const auto& [field, value] : headers) {
    if (iequals(field, name)) return value;
  }
  return "";
}

bool Request::has_header(std::string_view name) const {
  for (const auto& header : headers) {
    if (iequals(header.first, name)) return true;
  }
  return false;
}

std::string Request::get_param_value(const std::string& name) const {
  const auto found = params.find(name);
  return found == params.end() ? "" : found->second;
}

void Response::set_header(const std::string& name, std::string value) {
  for (auto& header : headers) {
    if (iequals(header.first, name)) {
      header.second = std::move(value);
      return;
    }
  }
  headers.emplace_back(name, std::move(value));
}

std::string Response::get_header_value(std::string_view name) const {
  for (const auto& [field, value] : headers) {
    if (iequals(field, name)) return value;
  }
  return "";
}

namespace {

// RFC 9110 §5.6.2: tchar.
bool is_token_char(unsigned char c) {
  return std::isalnum(c) != 0 || std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

}  // namespace

bool header_is_safe(std::string_view name, std::string_view value) {
  if (name.empty()) return false;
  for (const unsigned char c : name) {
    if (!is_token_char(c)) return false;
  }
  for (const unsigned char c : value) {
    if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
  }
  return true;
}

std::optional<std::string> unsafe_header(const Response& response) {
  if (!header_is_safe("Content-Type", response.content_type)) return "Content-Type";
  for (const auto& [name, value] : response.headers) {
    if (!header_is_safe(name, value)) return name;
  }
  return std::nullopt;
}

bool percent_decode(std::string_view text, bool plus_is_space, std::string& out) {
  out.clear();
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return false;
      const int high = fossa::hex_digit_value(text[i + 1]);
      const int low = fossa::hex_digit_value(text[i + 2]);
      if (high < 0 || low < 0) return false;
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return true;
}

bool split_target(std::string_view target, std::string& path, std::map<std::string, std::string>& params) {
  if (target.empty() || target.front() != '/') return false;
  const auto question = target.find('?');
  if (!percent_decode(target.substr(0, question), false, path)) return false;
  params.clear();
  if (question == std::string_view::npos) return true;
  std::string_view query = target.substr(question + 1);
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const auto equals = pair.find('=');
    std::string name;
    std::string value;
    if (!percent_decode(pair.substr(0, equals), true, name)) return false;
    if (equals != std::string_view::npos && !percent_decode(pair.substr(equals + 1), true, value)) return false;
    params.emplace(std::move(name), std::move(value));
  }
  return true;
}

}  // namespace fossa::net
