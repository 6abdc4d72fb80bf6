#include "cli/context_options.h"

#include "ayeaye/json_input.h"

namespace fossa::cli {

ayeaye::Result<ayeaye::ResolverContext> parse_context_options(const std::vector<std::string>& plain,
                                                              const std::vector<std::string>& secret) {
  using R = ayeaye::Result<ayeaye::ResolverContext>;
  ayeaye::ResolverContext context;
  auto add = [&](const std::string& pair, const char* option, bool is_secret) -> std::optional<std::string> {
    const auto eq = pair.find('=');
    if (eq == std::string::npos || eq == 0) {
      return std::string(option) + " takes key=value, got '" + (is_secret ? "***" : pair) + "'";
    }
    context.set(pair.substr(0, eq), pair.substr(eq + 1), is_secret);
    return std::nullopt;
  };
  for (const auto& pair : plain) {
    if (auto error = add(pair, "--context", false)) return R::fail(*error);
  }
  for (const auto& pair : secret) {
    if (auto error = add(pair, "--secret", true)) return R::fail(*error);
  }
  return context;
}

ayeaye::Result<ayeaye::Json> parse_json_object_option(const std::string& option, const std::string& text) {
  using R = ayeaye::Result<ayeaye::Json>;
  auto json = ayeaye::parse_json(text);
  if (!json) return R::fail(option + " is not valid JSON: " + json.error());
  if (!json->is_object()) return R::fail(option + " must be a JSON object, got " + std::string(json->type_name()));
  return std::move(json).value();
}

ayeaye::Result<ayeaye::TaskSpec> task_from_options(const std::string& model_class, const std::string& method,
                                                   const std::vector<std::string>& context,
                                                   const std::vector<std::string>& secrets, const std::string& kwargs) {
  using R = ayeaye::Result<ayeaye::TaskSpec>;
  auto resolver_context = parse_context_options(context, secrets);
  if (!resolver_context) return R::fail(resolver_context.error());
  auto method_kwargs = parse_json_object_option("--kwargs", kwargs);
  if (!method_kwargs) return R::fail(method_kwargs.error());
  ayeaye::TaskSpec spec;
  spec.model_class = model_class;
  spec.method = method;
  spec.method_kwargs = std::move(method_kwargs).value();
  spec.resolver_context = std::move(resolver_context).value();
  return spec;
}

}  // namespace fossa::cli
