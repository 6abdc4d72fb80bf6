// `fossa node`: its options are the rows of the node's settings table (node/node_config.h), each
// checked by its row whether it comes as a flag or as a variable.
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "node/node.h"
#include "node/node_config.h"

namespace fossa::cli {

Command add_node_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "node", "Run a worker node: the Fossa HTTP API and pages; each task in its own process. A flag overrides "
              "its environment variable (in brackets), which overrides the default (docs/node.md)");
  const auto& settings = node::node_settings();
  auto values = std::make_shared<std::vector<std::string>>(settings.size());
  for (std::size_t i = 0; i < settings.size(); ++i) {
    const auto& s = settings[i];
    if (s.flag.empty()) continue;
    cmd->add_option(s.flag + (s.short_flag.empty() ? "" : "," + s.short_flag), (*values)[i],
                    s.help + " (default: " + s.default_text + ") [" + s.variable + "]")
        ->type_name("VALUE");
  }
  std::string variables_only = "Set only in the environment:\n";
  for (const auto& s : settings) {
    if (s.flag.empty()) variables_only += "  " + s.variable + "  " + s.help + " (default: " + s.default_text + ")\n";
  }
  cmd->footer(variables_only);
  return {cmd, [cmd, values] {
            const auto& rows = node::node_settings();
            std::map<std::string, std::string> given;  // by variable name
            for (std::size_t i = 0; i < rows.size(); ++i) {
              if (!rows[i].flag.empty() && cmd->count(rows[i].flag) > 0) given[rows[i].variable] = (*values)[i];
            }
            auto config = node::resolve_node_config(given, node::node_environment());
            if (!config) {
              std::cerr << "fossa node: " << config.error() << "\n";
              return 2;
            }
            // Held in the config from now on; no process the node starts inherits them.
            node::forget_context_secret_variables();
            return node::run_node(*config);
          }};
}

}  // namespace fossa::cli
