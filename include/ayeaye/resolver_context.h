// ResolverContext: the string key/values a run is given (`--context output_datasets=/tmp/out`),
// which fill `{name}` templates in dataset URLs and which a model can read.
//
// Values may be marked secret: a secret value is passed to the model and its workers, but never
// logged and never shown (display_json() and redact() replace it with "***").
//
// A context is a value type. The runtime makes one current on a thread with ResolverContext::Scope
// while it constructs and runs a model; a Model copies the current context when constructed, so
// datasets declared as members can resolve their URLs. Not thread-safe; copy it per thread.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ayeaye/error.h"
#include "ayeaye/json.h"

namespace ayeaye {

class ResolverContext {
 public:
  ResolverContext() = default;

  // Parses the protocol's JSON form: an object of string values. `secret_keys` marks some secret.
  static Result<ResolverContext> from_json(const Json& object,
                                           const std::vector<std::string>& secret_keys = {});

  void set(const std::string& key, std::string value, bool secret = false);
  bool contains(std::string_view key) const;
  std::optional<std::string> get(std::string_view key) const;
  std::string get_or(std::string_view key, std::string fallback) const;
  // The value of `key`; throws MissingContextKey naming the key when it is not set.
  std::string require(std::string_view key) const;
  // An integer value; throws MissingContextKey when unset and Error when not an integer.
  long long require_int(std::string_view key) const;
  long long get_int_or(std::string_view key, long long fallback) const;

  bool is_secret(std::string_view key) const;
  std::vector<std::string> secret_keys() const;
  bool empty() const { return values_.empty(); }

  // Fills every `{name}` in `text`: first from `extra`, then from the context. `{{` and `}}` stand
  // for literal braces. A name that is in neither throws MissingContextKey naming it.
  std::string resolve(std::string_view text,
                      const std::map<std::string, std::string>& extra = {}) const;

  // `text` with every secret value replaced by "***".
  std::string redact(std::string_view text) const;

  // Every key with its real value: what a worker needs to run a subtask.
  Json to_json() const;
  // Every key, with secret values as "***": what a log, a page or an API response may show.
  Json display_json() const;

  // The context current on this thread (empty when no Scope is active).
  static const ResolverContext& current();

  // Makes a context current on this thread for the Scope's lifetime; scopes nest.
  class Scope {
   public:
    explicit Scope(const ResolverContext& context);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    const ResolverContext* previous_;
  };

 private:
  struct Value {
    std::string text;
    bool secret = false;
  };
  std::map<std::string, Value, std::less<>> values_;
};

}  // namespace ayeaye
