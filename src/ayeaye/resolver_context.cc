#include "ayeaye/resolver_context.h"

#include <charconv>

namespace ayeaye {
namespace {

thread_local const ResolverContext* current_context = nullptr;

const ResolverContext& empty_context() {
  static const ResolverContext empty;
  return empty;
}

constexpr std::string_view kRedacted = "***";

}  // namespace

Result<ResolverContext> ResolverContext::from_json(const Json& object,
                                                   const std::vector<std::string>& secret_keys) {
  ResolverContext context;
  if (object.is_null()) return context;
  if (!object.is_object()) {
    return Result<ResolverContext>::fail("resolver_context must be a JSON object of strings, got " +
                                         std::string(object.type_name()));
  }
  for (const auto& [key, value] : object.items()) {
    if (value.is_string()) {
      context.set(key, value.get<std::string>());
    } else if (value.is_number() || value.is_boolean()) {
      // Python clients send numbers now and then; the protocol's values are strings.
      context.set(key, value.dump());
    } else {
      return Result<ResolverContext>::fail("resolver_context['" + key + "'] must be a string, got " +
                                           std::string(value.type_name()));
    }
  }
  for (const auto& key : secret_keys) {
    auto it = context.values_.find(key);
    if (it == context.values_.end()) {
      return Result<ResolverContext>::fail("resolver_context_secrets names '" + key +
                                           "', which is not in resolver_context");
    }
    it->second.secret = true;
  }
  return context;
}

void ResolverContext::set(const std::string& key, std::string value, bool secret) {
  values_[key] = Value{std::move(value), secret};
}

bool ResolverContext::contains(std::string_view key) const { return values_.find(key) != values_.end(); }

std::optional<std::string> ResolverContext::get(std::string_view key) const {
  auto it = values_.find(key);
  if (it == values_.end()) return std::nullopt;
  return it->second.text;
}

std::string ResolverContext::get_or(std::string_view key, std::string fallback) const {
  auto value = get(key);
  return value ? *value : std::move(fallback);
}

std::string ResolverContext::require(std::string_view key) const {
  auto value = get(key);
  if (!value) {
    throw MissingContextKey(std::string(key),
                            "resolver context has no key '" + std::string(key) +
                                "' (give it with --context " + std::string(key) + "=...)");
  }
  return *value;
}

namespace {
std::optional<long long> parse_integer(std::string_view text) {
  long long value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}
}  // namespace

long long ResolverContext::require_int(std::string_view key) const {
  const std::string text = require(key);
  auto value = parse_integer(text);
  if (!value) {
    throw Error("resolver context key '" + std::string(key) + "' must be an integer, got '" +
                (is_secret(key) ? std::string(kRedacted) : text) + "'");
  }
  return *value;
}

long long ResolverContext::get_int_or(std::string_view key, long long fallback) const {
  return contains(key) ? require_int(key) : fallback;
}

bool ResolverContext::is_secret(std::string_view key) const {
  auto it = values_.find(key);
  return it != values_.end() && it->second.secret;
}

std::vector<std::string> ResolverContext::secret_keys() const {
  std::vector<std::string> keys;
  for (const auto& [key, value] : values_) {
    if (value.secret) keys.push_back(key);
  }
  return keys;
}

std::string ResolverContext::resolve(std::string_view text,
                                     const std::map<std::string, std::string>& extra) const {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '{' && i + 1 < text.size() && text[i + 1] == '{') {
      out += '{';
      ++i;
    } else if (c == '}' && i + 1 < text.size() && text[i + 1] == '}') {
      out += '}';
      ++i;
    } else if (c == '{') {
      const auto close = text.find('}', i + 1);
      if (close == std::string_view::npos) {
        throw Error("unclosed '{' at position " + std::to_string(i) + " in template '" +
                    std::string(text) + "'");
      }
      const std::string key(text.substr(i + 1, close - i - 1));
      if (auto it = extra.find(key); it != extra.end()) {
        out += it->second;
      } else if (auto value = get(key)) {
        out += *value;
      } else {
        throw MissingContextKey(key, "template '" + std::string(text) +
                                         "' needs resolver context key '" + key +
                                         "', which is not set (give it with --context " + key +
                                         "=...)");
      }
      i = close;
    } else {
      out += c;
    }
  }
  return out;
}

std::string ResolverContext::redact(std::string_view text) const {
  std::string out(text);
  for (const auto& [key, value] : values_) {
    if (!value.secret || value.text.empty()) continue;
    for (auto pos = out.find(value.text); pos != std::string::npos;
         pos = out.find(value.text, pos + kRedacted.size())) {
      out.replace(pos, value.text.size(), kRedacted);
    }
  }
  return out;
}

Json ResolverContext::to_json() const {
  Json out = Json::object();
  for (const auto& [key, value] : values_) out[key] = value.text;
  return out;
}

Json ResolverContext::display_json() const {
  Json out = Json::object();
  for (const auto& [key, value] : values_) out[key] = value.secret ? std::string(kRedacted) : value.text;
  return out;
}

const ResolverContext& ResolverContext::current() {
  return current_context != nullptr ? *current_context : empty_context();
}

ResolverContext::Scope::Scope(const ResolverContext& context) : previous_(current_context) {
  current_context = &context;
}

ResolverContext::Scope::~Scope() { current_context = previous_; }

}  // namespace ayeaye
