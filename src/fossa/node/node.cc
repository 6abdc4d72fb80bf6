#include "node/node.h"

#include <signal.h>

#include <thread>

#include "amqp/connection.h"
#include "net/http.h"
#include "net/http_server.h"
#include "net/request_guards.h"
#include "node/governor.h"
#include "node/http_api.h"
#include "node/node_log.h"
#include "node/scale_in_protection.h"
#include "node/task_supervisor.h"
#include "process/signals.h"

namespace fossa::node {
namespace {

// The HTTP server's I/O threads; handlers run on them (none blocks: long polls hold no thread).
constexpr int kHttpThreads = 2;
constexpr auto kShutdownGrace = std::chrono::seconds(5);  // then SIGKILL; all within 10 s
constexpr auto kProtectionExpiry = std::chrono::minutes(60);  // renewed every 30 min while busy

// What every request must show, on its head: a name of this node (DNS rebinding) and, with
// FOSSA_API_TOKEN, the token on every path but the health checks. Every answer carries the
// security headers.
void guard_the_door(net::Router& router, const NodeConfig& config) {
  net::add_security_headers(router);
  std::vector<std::string> names = config.allowed_hosts;
  if (!config.host_name.empty()) names.push_back(config.host_name);
  router.set_before([names, token = config.api_token](const net::Request& req, net::Response& res) {
    if (auto misdirected = net::host_refusal(req, names, "--allowed-hosts (FOSSA_ALLOWED_HOSTS)")) {
      net::send_error(res, misdirected->status, misdirected->message);
      return true;
    }
    if (token.empty() || req.path == "/healthz" || req.path == "/readyz") return false;
    if (net::bearer_token_matches(req.get_header_value("Authorization"), token)) return false;
    res.set_header("WWW-Authenticate", "Bearer realm=\"fossa-node\"");
    net::send_error(res, 401, "this node asks for its API token: Authorization: Bearer <FOSSA_API_TOKEN>");
    return true;
  });
}

}  // namespace

int run_node(const NodeConfig& config) {
  const sigset_t stop_signals = block_stop_signals();  // before any thread starts

  NodeLog log(config.log_format);
  Governor governor(config.max_concurrent_tasks, config.history_size, config.subtask_documents);
  std::unique_ptr<ScaleInProtection> protection;
  if (config.scale_in_protection == ProtectionMode::kOn) {
    protection = std::make_unique<ScaleInProtection>(ecs_agent_sender(config.ecs_agent_uri), kProtectionExpiry,
                                                     [&log](const std::string& line) { log.warn(line); });
    governor.slots().watch([&protection](bool busy) { protection->set_busy(busy); });
  }
  TaskSupervisor supervisor(governor, config, log, SupervisorEnv::real(config));

  net::Router router;
  install_routes(router, governor, supervisor, config, log);
  guard_the_door(router, config);
  net::raise_open_file_limit();
  net::HttpServerOptions options;
  options.limits = config.http;
  options.io_threads = kHttpThreads;
  net::HttpServer server(router, options);
  const auto listening = server.listen(config.bind, config.port);
  if (!listening) {
    log.error(listening.error() + " (in use, or not an address of this machine)");
    return 1;
  }
  const int port = listening.value();
  supervisor.start();
  server.start();
  const std::string host = config.bind == "0.0.0.0" ? "127.0.0.1" : config.bind;
  NodeLog::Fields ready{{"url", "http://" + host + ":" + std::to_string(port) + "/"},
                        {"node_ident", config.node_ident},
                        {"max_concurrent_tasks", std::to_string(config.max_concurrent_tasks)}};
  if (!config.rabbitmq_url.empty()) {
    ready.emplace_back("rabbitmq", amqp::redact_url(config.rabbitmq_url));
    ready.emplace_back("consume_subtasks", config.consume_subtasks ? "yes" : "no");
  }
  log.info("fossa node ready", ready);

  int signal = 0;
  sigwait(&stop_signals, &signal);
  const auto drain = config.drain.value_or(std::chrono::seconds(0));
  // Refuse first, then say so: whoever reads the line may count on the refusal.
  governor.stop_admitting();
  log.info(std::string("stopping on SIG") + sigabbrev_np(signal) + ": refusing new tasks, " +
           (drain.count() > 0 ? "letting running ones finish for up to " + std::to_string(drain.count()) + " s"
                              : std::string("stopping running ones")));
  supervisor.shutdown(drain, kShutdownGrace);
  server.stop();
  log.info("fossa node stopped");
  return 0;
}

}  // namespace fossa::node
