#include "cli/models_command.h"

#include <iostream>

#include "ayeaye/registry.h"
#include "cli/command.h"

namespace fossa::cli {

int models_command() {
  const auto& registry = ayeaye::ModelRegistry::instance();
  for (const auto& name : registry.names()) {
    const ayeaye::ModelClass* model = registry.find(name);
    std::cout << name << (model->partitioned ? "  (partitioned)" : "") << "\n";
    for (const auto& method : model->methods) {
      std::cout << "    " << method.name << "(";
      for (std::size_t i = 0; i < method.parameters.size(); ++i) {
        std::cout << (i ? ", " : "") << method.parameters[i];
      }
      std::cout << ")\n";
    }
  }
  return 0;
}

Command add_models_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("models", "List the models this program can run, with their subtask methods");
  return {cmd, [] { return models_command(); }};
}

}  // namespace fossa::cli
