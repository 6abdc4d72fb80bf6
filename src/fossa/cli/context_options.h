// Turning command-line `key=value` pairs into a resolver context and JSON kwargs, and both into a
// task, with errors that name the offending argument. Shared by `fossa run` and `fossa submit`.
#pragma once

#include <string>
#include <vector>

#include "ayeaye/error.h"
#include "ayeaye/json.h"
#include "ayeaye/resolver_context.h"
#include "ayeaye/task_spec.h"

namespace fossa::cli {

// `--context key=value` (plain) and `--secret key=value` (never shown) into one context.
ayeaye::Result<ayeaye::ResolverContext> parse_context_options(const std::vector<std::string>& plain,
                                                              const std::vector<std::string>& secret);

// `--kwargs '{"x": 1}'`: a JSON object, or an error naming the option and the parse error.
ayeaye::Result<ayeaye::Json> parse_json_object_option(const std::string& option, const std::string& text);

// The task that `MODEL [--method M] [--kwargs JSON] [--context k=v ...] [--secret k=v ...]` asks for.
ayeaye::Result<ayeaye::TaskSpec> task_from_options(const std::string& model_class, const std::string& method,
                                                   const std::vector<std::string>& context,
                                                   const std::vector<std::string>& secrets, const std::string& kwargs);

}  // namespace fossa::cli
