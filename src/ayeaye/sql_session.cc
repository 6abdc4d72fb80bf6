#include "sql_session.h"

#include <algorithm>

namespace ayeaye {

std::string SqlRowSource::position() const {
  return name() + " (" + statement_ + ") row " + std::to_string(line());
}

namespace {

// One identifier in double quotes, an embedded '"' doubled.
std::string quoted_part(std::string_view part) {
  std::string out = "\"";
  for (const char c : part) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

}  // namespace

std::string quoted_identifier(std::string_view name) {
  std::string out;
  std::size_t begin = 0;
  for (;;) {
    const auto dot = name.find('.', begin);
    const std::string_view part = name.substr(begin, dot == std::string_view::npos ? std::string_view::npos : dot - begin);
    if (!out.empty()) out += '.';
    out += quoted_part(part);
    if (dot == std::string_view::npos) return out;
    begin = dot + 1;
  }
}

std::string column_list(const SqlTable& table) {
  std::string out = "(";
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    if (i > 0) out += ", ";
    out += quoted_part(table.columns[i]);
  }
  return out + ")";
}

std::string insert_statement(const SqlTable& table, std::string_view source) {
  std::string out = "INSERT INTO " + quoted_identifier(table.name) + " " + column_list(table) + " ";
  out += source;
  if (table.on_conflict.empty()) return out;
  out += " ON CONFLICT (";
  for (std::size_t i = 0; i < table.on_conflict.size(); ++i) {
    if (i > 0) out += ", ";
    out += quoted_part(table.on_conflict[i]);
  }
  out += ") DO ";
  std::string updates;
  for (const auto& column : table.columns) {
    if (std::find(table.on_conflict.begin(), table.on_conflict.end(), column) != table.on_conflict.end()) continue;
    if (!updates.empty()) updates += ", ";
    updates += quoted_part(column) + " = excluded." + quoted_part(column);
  }
  return out + (updates.empty() ? "NOTHING" : "UPDATE SET " + updates);
}

}  // namespace ayeaye
