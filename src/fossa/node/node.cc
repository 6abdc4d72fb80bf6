#include "node/node.h"

#include <signal.h>

#include <thread>

#include "amqp/connection.h"
#include <openssl/crypto.h>

#include "net/http.h"
#include "net/http_server.h"
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

// With FOSSA_API_TOKEN: every path but the health checks asks for it, compared in constant time.
void require_token(net::Router& router, const std::string& token) {
  if (token.empty()) return;
  router.set_before([expected = "Bearer " + token](const net::Request& req, net::Response& res) {
    if (req.path == "/healthz" || req.path == "/readyz") return false;
    const std::string given = req.get_header_value("Authorization");
    if (given.size() == expected.size() && CRYPTO_memcmp(given.data(), expected.data(), expected.size()) == 0) return false;
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
  require_token(router, config.api_token);
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
