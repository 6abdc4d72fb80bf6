// How `fossa submit --gateway` and `fossa jobs` reach fossa-gateway: its URL, user, password and
// certificate pin, and which of its clusters. Each setting is one row below (flag, variable,
// default, help: add_gateway_options); the password has no flag, which other users could read in
// the process list: FOSSA_GATEWAY_PASSWORD, else asked on the terminal.
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <variant>

#include "ayeaye/json.h"
#include "cli/api_client.h"

namespace fossa::cli {

struct GatewayOptions {
  std::string url;             // --gateway, else FOSSA_GATEWAY_URL
  std::string user = "fossa";  // --gateway-user, FOSSA_GATEWAY_USER
  std::string fingerprint;     // --fingerprint, FOSSA_GATEWAY_FINGERPRINT
  std::string cluster;         // --cluster; default: the gateway's only cluster
};

// Adds --gateway, --gateway-user, --fingerprint and --cluster to `command`. FOSSA_GATEWAY_URL is
// read by the command (`fossa submit` weighs it against --node: task_api.h).
void add_gateway_options(CLI::App* command, GatewayOptions& options);
inline constexpr const char* kGatewayUrlVariable = "FOSSA_GATEWAY_URL";

inline constexpr const char* kPasswordVariable = "FOSSA_GATEWAY_PASSWORD";

// Where the password comes from: the variable when set and not empty, else the terminal if there
// is one, else nowhere (an error that says how to give it).
enum class PasswordSource { kEnvironment, kTerminal, kNone };
PasswordSource choose_password_source(const char* variable_value, bool has_terminal);

// The cluster's id for paths, from GET /api/clusters's answer: `wanted` (a cluster's name or id),
// or, when empty, the only cluster. The error lists the clusters there are.
ayeaye::Result<std::string> choose_cluster(const ayeaye::Json& clusters_answer, const std::string& wanted);

struct GatewayConnection {
  ApiClient client;
  std::string cluster;       // its id, as the gateway's paths name it
  std::string cluster_path;  // "/api/clusters/<id, encoded>"
};
struct GatewayRefusal {
  int exit_code;
  std::string message;
};

// Checks the options, finds the password, asks the gateway for its clusters (which also checks
// the password and the certificate) and picks one.
std::variant<GatewayConnection, GatewayRefusal> connect_to_gateway(const GatewayOptions& options);

}  // namespace fossa::cli
