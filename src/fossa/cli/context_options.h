// Turning command-line `key=value` pairs into a resolver context and JSON kwargs, with errors
// that name the offending argument. Shared by `fossa run` and `fossa submit`.
#pragma once

#include <string>
#include <vector>

#include "ayeaye/error.h"
#include "ayeaye/json.h"
#include "ayeaye/resolver_context.h"

namespace fossa::cli {

// `--context key=value` (plain) and `--secret key=value` (never shown) into one context.
ayeaye::Result<ayeaye::ResolverContext> parse_context_options(const std::vector<std::string>& plain,
                                                              const std::vector<std::string>& secret);

// `--kwargs '{"x": 1}'`: a JSON object, or an error naming the option and the parse error.
ayeaye::Result<ayeaye::Json> parse_json_object_option(const std::string& option, const std::string& text);

}  // namespace fossa::cli
