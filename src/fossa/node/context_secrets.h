// ContextSecrets: resolver-context secrets a node holds for every task it runs, from its own
// environment's FOSSA_SECRET_<KEY> variables — on AWS, values ECS reads from Secrets Manager for
// the worker's container (deploy/aws, `database_secrets`), such as a database's password.
//
// Each becomes the context key <KEY> (as written: FOSSA_SECRET_db_password gives `db_password`),
// marked secret, in every task and subtask the node starts. The node's value is the only one: a
// task posted with one of these keys is refused, so that no task can point the node's credentials
// elsewhere (a db_host of its own choosing) or show a value the model did not run with. They are
// the node's, not the task's: they are added to what the task's process receives, never to the
// task's recorded document, and taken out again from the subtasks a parent hands back, so they
// never travel over the broker (each worker node adds its own). A value is never part of an error,
// a log line or a page. A value type; not thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ayeaye/error.h"
#include "ayeaye/resolver_context.h"

namespace fossa::node {

inline constexpr std::string_view kContextSecretPrefix = "FOSSA_SECRET_";

class ContextSecrets {
 public:
  ContextSecrets() = default;

  // Every FOSSA_SECRET_<KEY> of `environment` (variable → value). A key must be letters, digits and
  // underscores, and a value must not be empty; an error names the variable, never its value.
  static ayeaye::Result<ContextSecrets> from_environment(const std::map<std::string, std::string>& environment);

  bool empty() const { return values_.empty(); }
  std::vector<std::string> keys() const;

  // The first of these keys that `context` gives, if any (a task posted with one is refused).
  std::optional<std::string> key_given_in(const ayeaye::ResolverContext& context) const;
  // Sets each secret in `context`, replacing any value it had for the key; returns the keys.
  std::vector<std::string> add_to(ayeaye::ResolverContext& context) const;
  // Takes out of `context` the `added` keys that still hold this node's value: what a parent's
  // subtask carries of them came from here, and the node that runs the subtask adds its own.
  void remove_from(ayeaye::ResolverContext& context, const std::vector<std::string>& added) const;

 private:
  std::map<std::string, std::string> values_;  // context key → value
};

// The FOSSA_SECRET_* variables of this process's environment.
std::map<std::string, std::string> context_secret_variables();
// Removes them from this process's environment, so that no process it starts (a model's) inherits
// them: a model gets the values only through its context. Call before any thread starts.
void forget_context_secret_variables();

}  // namespace fossa::node
