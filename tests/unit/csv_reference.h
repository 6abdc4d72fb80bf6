// The CSV parser's rules (src/ayeaye/csv_parser.h) written out plainly, a byte at a time over the
// whole text, errors included — the reference the fast parser is checked against by the unit
// tests and the fuzz target — and a reading of the same text through the parser, its input
// arriving in pieces of random sizes.
#pragma once

#include <algorithm>
#include <cstddef>
#include <memory>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "ayeaye/error.h"
#include "csv_parser.h"

namespace csv_reference {

using Records = std::vector<std::vector<std::string>>;

// A ByteSource that hands out its text a few bytes at a time.
class PieceSource : public ayeaye::ByteSource {
 public:
  PieceSource(std::string text, unsigned seed, std::size_t largest = 40) : text_(std::move(text)), largest_(largest), random_(seed) {}
  std::size_t read(char* buffer, std::size_t size) override {
    const std::size_t piece = std::min({size, text_.size() - at_, std::size_t{1} + random_() % largest_});
    std::copy_n(text_.data() + at_, piece, buffer);
    at_ += piece;
    return piece;
  }

 private:
  std::string text_;
  std::size_t at_ = 0;
  std::size_t largest_;
  std::minstd_rand random_;
};

// What a reading gave: the header and rows with the line each starts on, then the error, if any.
struct Reading {
  Records records;
  std::vector<std::size_t> lines;
  std::string error;
  bool operator==(const Reading&) const = default;
};

inline std::ostream& operator<<(std::ostream& out, const Reading& reading) {
  for (std::size_t i = 0; i < reading.records.size(); ++i) {
    out << reading.lines[i] << ":";
    for (const auto& field : reading.records[i]) out << " [" << field << "]";
    out << "\n";
  }
  return out << "error: " << reading.error;
}

// Every record and line the parser reads from `source` ("r.csv"), or the error it stops at.
inline Reading read_all(std::unique_ptr<ayeaye::ByteSource> source) {
  Reading reading;
  try {
    ayeaye::CsvParser parser(std::move(source), ',', "r.csv");
    reading.records.push_back(parser.header());
    reading.lines.push_back(parser.line());
    ayeaye::Row row;
    while (parser.next(row)) {
      reading.lines.push_back(row.line());
      reading.records.emplace_back();
      for (std::size_t i = 0; i < row.size(); ++i) reading.records.back().emplace_back(row[i]);
    }
  } catch (const ayeaye::DataError& error) {
    reading.error = error.what();
  }
  return reading;
}

inline Reading read_with_parser(const std::string& text, unsigned seed, std::size_t largest_piece) {
  return read_all(std::make_unique<PieceSource>(text, seed, largest_piece));
}

// The rules, plainly (the first record is the header, even a blank one).
inline Reading read_by_the_rules(const std::string& text) {
  Reading reading;
  const std::size_t n = text.size();
  std::size_t pos = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  std::size_t next_line = 1;
  auto fail = [&](std::size_t line, const std::string& what) {
    reading.error = "r.csv:" + std::to_string(line) + ": " + what;
    return reading;
  };
  auto special = [](char c) { return c == ',' || c == '"' || c == '\r' || c == '\n'; };
  while (pos < n) {
    std::vector<std::string> fields;
    std::size_t lines_inside = 0;
    bool quoted = false;
    for (;;) {
      if (pos == n) {
        fields.emplace_back();  // after a final delimiter
        break;
      }
      if (text[pos] == '"') {
        quoted = true;
        std::string field;
        for (++pos;; ++pos) {
          if (pos == n) return fail(next_line, "a quoted field is never closed");
          if (text[pos] == '"' && (pos + 1 == n || text[pos + 1] != '"')) break;
          if (text[pos] == '"') ++pos;  // the first of a doubled quote
          if (text[pos] == '\n') ++lines_inside;
          field += text[pos];
        }
        ++pos;
        fields.push_back(field);
        if (pos < n && !special(text[pos])) {
          return fail(next_line + lines_inside, "text after a closing quote (column " + std::to_string(fields.size()) + ")");
        }
      } else {
        const std::size_t start = pos;
        while (pos < n && !special(text[pos])) ++pos;
        if (pos < n && text[pos] == '"') {
          return fail(next_line + lines_inside, "a quote inside an unquoted field (column " + std::to_string(fields.size() + 1) + ")");
        }
        fields.push_back(text.substr(start, pos - start));
      }
      if (pos == n) break;
      if (text[pos++] == ',') continue;
      if (text[pos - 1] == '\r' && pos < n && text[pos] == '\n') ++pos;
      break;
    }
    const std::size_t line = next_line;
    next_line += 1 + lines_inside;
    const bool blank = fields.size() == 1 && !quoted && fields[0].empty();
    if (reading.records.empty()) {
      reading.records.push_back(fields);  // the header, blank or not
      reading.lines.push_back(line);
      continue;
    }
    if (blank) continue;
    if (fields.size() != reading.records[0].size()) {
      return fail(line, std::to_string(fields.size()) + " fields, but the header has " + std::to_string(reading.records[0].size()));
    }
    reading.records.push_back(fields);
    reading.lines.push_back(line);
  }
  if (reading.records.empty()) {  // an empty file: no header, no rows
    reading.records.emplace_back();
    reading.lines.push_back(0);
  }
  return reading;
}

}  // namespace csv_reference
