// Reading fields of a JSON object with errors that name the field: the one place the protocol
// decoders (task messages, task specs) get their "x must be a string, got a number" messages.
#pragma once

#include <optional>
#include <string>

#include "ayeaye/error.h"
#include "ayeaye/json.h"

namespace ayeaye::json_fields {

// An article and a kind for messages: "a string", "an object", "null".
std::string describe(const Json& value);

// `where` prefixes messages ("payload", "task"). Each returns the error message, or nullopt when
// the field is fine; the value is written to `out`.
std::optional<std::string> string_field(const Json& object, const char* name, std::string& out,
                                        const std::string& where, bool required,
                                        const std::string& fallback = {});
std::optional<std::string> object_field(const Json& object, const char* name, Json& out,
                                        const std::string& where);
// Any JSON value (null when absent).
Json value_field(const Json& object, const char* name);

}  // namespace ayeaye::json_fields
