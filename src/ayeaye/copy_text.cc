#include "copy_text.h"

#include <charconv>
#include <cmath>

#include "fossa/base/hex.h"

namespace ayeaye {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void append_escaped(std::string& out, std::string_view text) {
  std::size_t plain = 0;  // the start of the run not yet appended
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const char* escape = nullptr;
    switch (c) {
      case '\\': escape = "\\\\"; break;
      case '\t': escape = "\\t"; break;
      case '\n': escape = "\\n"; break;
      case '\r': escape = "\\r"; break;
      default: continue;
    }
    out.append(text.data() + plain, i - plain);
    out += escape;
    plain = i + 1;
  }
  out.append(text.data() + plain, text.size() - plain);
}

}  // namespace

void append_copy_value(std::string& out, const SqlValue& value) {
  char number[32];
  switch (value.kind()) {
    case SqlValue::Kind::kNull:
      out += "\\N";
      return;
    case SqlValue::Kind::kBoolean:
      out += value.boolean() ? 't' : 'f';
      return;
    case SqlValue::Kind::kInteger: {
      const auto result = std::to_chars(number, number + sizeof number, value.integer());
      out.append(number, result.ptr);
      return;
    }
    case SqlValue::Kind::kReal: {
      const double real = value.real();
      if (std::isnan(real)) {
        out += "NaN";
      } else if (std::isinf(real)) {
        out += real > 0 ? "Infinity" : "-Infinity";
      } else {
        const auto result = std::to_chars(number, number + sizeof number, real);
        out.append(number, result.ptr);
      }
      return;
    }
    case SqlValue::Kind::kText:
      append_escaped(out, value.text());
      return;
    case SqlValue::Kind::kBytes:
      out += "\\\\x";
      for (const char c : value.text()) {
        const auto byte = static_cast<unsigned char>(c);
        out += kHex[byte >> 4];
        out += kHex[byte & 0xf];
      }
      return;
  }
}

void append_copy_row(std::string& out, std::span<const SqlValue> values) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += '\t';
    append_copy_value(out, values[i]);
  }
  out += '\n';
}

namespace {

// A field with backslash escapes, as the text it stands for (COPY's \b \f \n \r \t \v \\; a
// backslash before any other character stands for that character).
void unescape_into(std::string_view field, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < field.size(); ++i) {
    char c = field[i];
    if (c == '\\' && i + 1 < field.size()) {
      c = field[++i];
      switch (c) {
        case 'b': c = '\b'; break;
        case 'f': c = '\f'; break;
        case 'n': c = '\n'; break;
        case 'r': c = '\r'; break;
        case 't': c = '\t'; break;
        case 'v': c = '\v'; break;
        default: break;
      }
    }
    out += c;
  }
}

}  // namespace

bool decode_copy_row(std::string_view row, std::size_t expected, std::vector<std::string_view>& fields,
                     std::vector<std::string>& unescaped) {
  if (!row.empty() && row.back() == '\n') row.remove_suffix(1);
  if (unescaped.size() < expected) unescaped.resize(expected);
  fields.clear();
  if (expected == 0) return row.empty();
  std::size_t begin = 0;
  for (;;) {
    const auto tab = row.find('\t', begin);
    const std::string_view field = row.substr(begin, tab == std::string_view::npos ? std::string_view::npos : tab - begin);
    if (fields.size() == expected) return false;
    if (field == "\\N") {
      fields.emplace_back();
    } else if (field.find('\\') == std::string_view::npos) {
      fields.push_back(field.data() == nullptr ? std::string_view("", 0) : field);
    } else {
      std::string& text = unescaped[fields.size()];
      unescape_into(field, text);
      fields.emplace_back(text.data(), text.size());
    }
    if (tab == std::string_view::npos) break;
    begin = tab + 1;
  }
  return fields.size() == expected;
}

bool decode_bytea_hex(std::string_view text, std::string& out) {
  if (text.size() < 2 || text[0] != '\\' || text[1] != 'x' || text.size() % 2 != 0) return false;
  for (std::size_t i = 2; i < text.size(); i += 2) {
    const int high = fossa::hex_digit_value(text[i]);
    const int low = fossa::hex_digit_value(text[i + 1]);
    if (high < 0 || low < 0) return false;
    out += static_cast<char>(high * 16 + low);
  }
  return true;
}

}  // namespace ayeaye
