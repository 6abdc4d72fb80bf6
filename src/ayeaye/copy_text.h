// PostgreSQL's COPY text format, the rows our PostgreSQL writer streams through COPY ... FROM
// STDIN: fields separated by a tab, rows ended by a newline, NULL as \N, and a backslash, tab,
// newline or carriage return inside a value escaped as \\, \t, \n, \r. Booleans are t / f, reals
// the shortest text that reads back exactly (Infinity, -Infinity, NaN), bytea its hex form
// (\\x0a1b: the \x of bytea's input, its backslash escaped for COPY). Also the decoding of bytea's
// hex output, for reading. Pure; internal.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "ayeaye/sql_dataset.h"

namespace ayeaye {

// Appends one value in COPY text form (no separator).
void append_copy_value(std::string& out, const SqlValue& value);
// Appends a whole row: the values tab-separated, then '\n'.
void append_copy_row(std::string& out, std::span<const SqlValue> values);

// bytea's output form "\x0a1b..." as the bytes it stands for, appended to `out`; false when
// `text` is not in that form.
bool decode_bytea_hex(std::string_view text, std::string& out);

}  // namespace ayeaye
