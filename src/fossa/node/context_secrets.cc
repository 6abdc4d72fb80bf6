#include "node/context_secrets.h"

#include <cstdlib>
#include <utility>

extern char** environ;

namespace fossa::node {
namespace {

bool valid_key(std::string_view key) {
  if (key.empty()) return false;
  for (const char c : key) {
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!letter && !(c >= '0' && c <= '9') && c != '_') return false;
  }
  return true;
}

bool has_prefix(std::string_view name) { return name.substr(0, kContextSecretPrefix.size()) == kContextSecretPrefix; }

}  // namespace

ayeaye::Result<ContextSecrets> ContextSecrets::from_environment(const std::map<std::string, std::string>& environment) {
  using R = ayeaye::Result<ContextSecrets>;
  ContextSecrets secrets;
  for (const auto& [name, value] : environment) {
    if (!has_prefix(name)) continue;
    const std::string key = name.substr(kContextSecretPrefix.size());
    if (!valid_key(key)) {
      return R::fail(name + ": the context key after " + std::string(kContextSecretPrefix) +
                     " must be letters, digits and underscores, got '" + key + "'");
    }
    if (value.empty()) return R::fail(name + " is empty: a context secret needs a value");
    secrets.values_[key] = value;
  }
  return secrets;
}

std::vector<std::string> ContextSecrets::keys() const {
  std::vector<std::string> keys;
  for (const auto& [key, value] : values_) keys.push_back(key);
  return keys;
}

std::optional<std::string> ContextSecrets::key_given_in(const ayeaye::ResolverContext& context) const {
  for (const auto& [key, value] : values_) {
    if (context.contains(key)) return key;
  }
  return std::nullopt;
}

std::vector<std::string> ContextSecrets::add_to(ayeaye::ResolverContext& context) const {
  std::vector<std::string> added;
  for (const auto& [key, value] : values_) {
    context.set(key, value, /*secret=*/true);
    added.push_back(key);
  }
  return added;
}

void ContextSecrets::remove_from(ayeaye::ResolverContext& context, const std::vector<std::string>& added) const {
  // A context is rebuilt without the keys (it has no erase), from its values and secret keys.
  ayeaye::Json values = context.to_json();
  std::vector<std::string> secret_keys = context.secret_keys();
  bool removed = false;
  for (const auto& key : added) {
    const auto ours = values_.find(key);
    if (ours == values_.end() || context.get(key) != ours->second) continue;
    values.erase(key);
    std::erase(secret_keys, key);
    removed = true;
  }
  if (!removed) return;
  if (auto rebuilt = ayeaye::ResolverContext::from_json(values, secret_keys)) context = std::move(rebuilt).value();
}

std::map<std::string, std::string> context_secret_variables() {
  std::map<std::string, std::string> found;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const auto equals = text.find('=');
    if (equals == std::string_view::npos || !has_prefix(text.substr(0, equals))) continue;
    found.emplace(std::string(text.substr(0, equals)), std::string(text.substr(equals + 1)));
  }
  return found;
}

void forget_context_secret_variables() {
  for (const auto& [name, value] : context_secret_variables()) ::unsetenv(name.c_str());
}

}  // namespace fossa::node
