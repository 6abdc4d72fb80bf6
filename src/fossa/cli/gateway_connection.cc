#include "cli/gateway_connection.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cstdlib>

#include "ayeaye/json_input.h"
#include "cli/exit_codes.h"
#include "net/http.h"
#include "process/pipe.h"

namespace fossa::cli {
namespace {

constexpr long kClustersTimeoutMs = 30'000;
constexpr std::size_t kMaxPasswordBytes = 1024;

// The controlling terminal, if this process has one.
FileDescriptor open_terminal() { return FileDescriptor(::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)); }

// Asks for the password on `tty` with echo off (restored however the read ends).
std::optional<std::string> ask_password(int tty, const std::string& prompt) {
  termios saved{};
  const bool can_hide = ::tcgetattr(tty, &saved) == 0;
  if (can_hide) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;
    ::tcsetattr(tty, TCSAFLUSH, &quiet);
  }
  (void)!::write(tty, prompt.data(), prompt.size());
  std::string password;
  char c = 0;
  bool ended = false;
  while (password.size() < kMaxPasswordBytes) {
    const ssize_t n = ::read(tty, &c, 1);
    if (n != 1 || c == '\n') {
      ended = n == 1;
      break;
    }
    password += c;
  }
  if (can_hide) ::tcsetattr(tty, TCSAFLUSH, &saved);
  if (!ended) return std::nullopt;
  return password;
}

std::string cluster_names(const ayeaye::Json& clusters) {
  std::string names;
  for (const auto& c : clusters) {
    if (!c.is_object()) continue;
    names += "\n  " + c.value("name", std::string()) + "  (" + c.value("arn", std::string()) + ")";
  }
  return names;
}

}  // namespace

void add_gateway_options(CLI::App* command, GatewayOptions& options) {
  command->add_option("--gateway", options.url,
                      "fossa-gateway's URL, e.g. https://203.0.113.7 (default: $FOSSA_GATEWAY_URL); the password "
                      "from $FOSSA_GATEWAY_PASSWORD, else asked on the terminal");
  command->add_option("--gateway-user", options.user, "The gateway's user")->envname("FOSSA_GATEWAY_USER")->capture_default_str();
  command
      ->add_option("--fingerprint", options.fingerprint,
                   "Trust the gateway's own certificate if its SHA-256 fingerprint is this (SHA256:AB:CD:..., as "
                   "the gateway printed it)")
      ->envname("FOSSA_GATEWAY_FINGERPRINT");
  command->add_option("--cluster", options.cluster, "The gateway's cluster, by name or id (default: its only one)");
}

PasswordSource choose_password_source(const char* variable_value, bool has_terminal) {
  if (variable_value != nullptr && *variable_value != '\0') return PasswordSource::kEnvironment;
  return has_terminal ? PasswordSource::kTerminal : PasswordSource::kNone;
}

ayeaye::Result<std::string> choose_cluster(const ayeaye::Json& clusters_answer, const std::string& wanted) {
  using R = ayeaye::Result<std::string>;
  const auto list = clusters_answer.is_object() ? clusters_answer.find("clusters") : clusters_answer.end();
  if (!clusters_answer.is_object() || list == clusters_answer.end() || !list->is_array()) {
    return R::fail("the gateway's list of clusters is not the gateway's API");
  }
  if (!wanted.empty()) {
    for (const auto& c : *list) {
      if (c.is_object() && (c.value("name", std::string()) == wanted || c.value("arn", std::string()) == wanted)) {
        return c.value("arn", std::string());
      }
    }
    return R::fail("the gateway has no cluster '" + wanted + "'; it has:" +
                   (list->empty() ? std::string(" none") : cluster_names(*list)));
  }
  if (list->empty()) return R::fail("the gateway knows no cluster yet");
  if (list->size() > 1) return R::fail("the gateway has several clusters; choose one with --cluster:" + cluster_names(*list));
  const auto& only = list->front();
  if (!only.is_object() || !only.contains("arn") || !only["arn"].is_string()) {
    return R::fail("the gateway's list of clusters is not the gateway's API");
  }
  return only["arn"].get<std::string>();
}

std::variant<GatewayConnection, GatewayRefusal> connect_to_gateway(const GatewayOptions& options) {
  const auto base = normalize_base_url(options.url);
  if (!base) {
    return GatewayRefusal{kExitRefused, "--gateway must be an http:// or https:// URL, got '" + options.url + "'"};
  }
  std::optional<net::Sha256Digest> pin;
  if (!options.fingerprint.empty()) {
    auto parsed = net::parse_fingerprint(options.fingerprint);
    if (!parsed) return GatewayRefusal{kExitRefused, "--fingerprint: " + parsed.error()};
    pin = *parsed;
  }
  const char* variable = std::getenv(kPasswordVariable);
  FileDescriptor tty = open_terminal();
  std::string password;
  switch (choose_password_source(variable, tty.valid())) {
    case PasswordSource::kEnvironment:
      password = variable;
      break;
    case PasswordSource::kTerminal: {
      auto typed = ask_password(tty.get(), "Password for " + options.user + " at " + *base + ": ");
      if (!typed) return GatewayRefusal{kExitRefused, "no password was typed"};
      password = *typed;
      break;
    }
    case PasswordSource::kNone:
      return GatewayRefusal{kExitRefused, std::string("the gateway asks for a password: set ") + kPasswordVariable +
                                              " (there is no terminal to ask it on; it is never a flag)"};
  }

  ApiClient client(*base, ApiAuth{"", options.user, password}, pin);
  const auto answer = client.get("/api/clusters", kClustersTimeoutMs);
  if (answer.problem != ApiAnswer::Problem::kNone || answer.status != 200) {
    const ExitCode code = exit_code_for_failure(answer);
    std::string message;
    if (answer.problem == ApiAnswer::Problem::kCertificate) {
      message = answer.message;
    } else if (answer.problem == ApiAnswer::Problem::kUnreachable) {
      message = "cannot reach the gateway at " + *base + ": " + answer.message;
    } else if (code == kExitWrongPassword) {
      message = "the gateway refused user '" + options.user + "' and this password (HTTP " +
                std::to_string(answer.status) + "): " + message_of(answer.body);
    } else {
      message = "the gateway at " + *base + " answered HTTP " + std::to_string(answer.status) + ": " + message_of(answer.body);
    }
    return GatewayRefusal{code, message};
  }
  const ayeaye::Json clusters = ayeaye::parse_json_or_null(answer.body);
  if (!clusters.is_object() || !clusters.contains("clusters")) {
    return GatewayRefusal{kExitUnreachable, "what answers at " + *base + " is not a fossa-gateway (GET /api/clusters: " +
                                                message_of(answer.body) + ")"};
  }
  auto cluster = choose_cluster(clusters, options.cluster);
  if (!cluster) return GatewayRefusal{kExitRefused, cluster.error()};
  std::string path = "/api/clusters/" + net::encode_path_segment(*cluster);
  return GatewayConnection{std::move(client), std::move(cluster).value(), std::move(path)};
}

}  // namespace fossa::cli
