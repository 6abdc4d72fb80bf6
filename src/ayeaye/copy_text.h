// PostgreSQL's COPY text format, the rows our PostgreSQL writer streams through COPY ... FROM
// STDIN: fields separated by a tab, rows ended by a newline, NULL as \N, and a backslash, tab,
// newline or carriage return inside a value escaped as \\, \t, \n, \r. Booleans are t / f, reals
// the shortest text that reads back exactly (Infinity, -Infinity, NaN), bytea its hex form
// (\\x0a1b: the \x of bytea's input, its backslash escaped for COPY). And the way back, for
// reading through COPY ... TO STDOUT: a row split into its fields, unescaped, and bytea's hex
// output decoded. Pure; internal.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ayeaye/sql_dataset.h"

namespace ayeaye {

// Appends one value in COPY text form (no separator).
void append_copy_value(std::string& out, const SqlValue& value);
// Appends a whole row: the values tab-separated, then '\n'.
void append_copy_row(std::string& out, std::span<const SqlValue> values);

// One COPY text row (its '\n' included or not) into `fields`, one view a field: into `row` when
// the field has no escapes, else into that field's entry of `unescaped` (resized to the field
// count); \N is NULL, a view with no data. False when the row has not `expected` fields.
bool decode_copy_row(std::string_view row, std::size_t expected, std::vector<std::string_view>& fields,
                     std::vector<std::string>& unescaped);

// bytea's output form "\x0a1b..." as the bytes it stands for, appended to `out`; false when
// `text` is not in that form.
bool decode_bytea_hex(std::string_view text, std::string& out);

}  // namespace ayeaye
