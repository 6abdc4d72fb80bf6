#include "cli/models_command.h"

#include <iostream>
#include <memory>

#include "ayeaye/json.h"
#include "ayeaye/registry.h"
#include "cli/command.h"

namespace fossa::cli {

namespace {

// For programs (the worker image's build records the models it accepts from this):
//   {"models": [{"name": "WordLengths", "partitioned": true,
//                "methods": [{"name": "measure", "parameters": ["word"]}]}]}
int models_json_command() {
  const auto& registry = ayeaye::ModelRegistry::instance();
  ayeaye::Json models = ayeaye::Json::array();
  for (const auto& name : registry.names()) {
    const ayeaye::ModelClass* model = registry.find(name);
    ayeaye::Json methods = ayeaye::Json::array();
    for (const auto& method : model->methods) {
      methods.push_back({{"name", method.name}, {"parameters", method.parameters}});
    }
    models.push_back({{"name", name}, {"partitioned", model->partitioned}, {"methods", std::move(methods)}});
  }
  std::cout << ayeaye::Json{{"models", std::move(models)}}.dump(2) << "\n";
  return 0;
}

}  // namespace

// For people: one model a line, its subtask methods indented beneath it.
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
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json, "as JSON: {\"models\": [{\"name\", \"partitioned\", \"methods\": [{\"name\", \"parameters\"}]}]}");
  return {cmd, [json] { return *json ? models_json_command() : models_command(); }};
}

}  // namespace fossa::cli
