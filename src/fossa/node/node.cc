#include "node/node.h"

#include <signal.h>

#include <thread>

#include "amqp/connection.h"
#include "net/http.h"
#include "node/governor.h"
#include "node/http_api.h"
#include "node/node_log.h"
#include "node/scale_in_protection.h"
#include "node/task_supervisor.h"
#include "process/signals.h"

namespace fossa::node {
namespace {

constexpr std::size_t kHttpThreads = 32;  // long polls (GET task ?wait=) hold one each
constexpr auto kShutdownGrace = std::chrono::seconds(5);  // then SIGKILL; all within 10 s
constexpr auto kProtectionExpiry = std::chrono::minutes(60);  // renewed every 30 min while busy

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

  httplib::Server server;
  server.new_task_queue = [] { return new httplib::ThreadPool(kHttpThreads); };
  server.set_payload_max_length(config.max_body_bytes);
  server.set_keep_alive_timeout(2);
  install_routes(server, governor, supervisor, config, log);

  const int port = net::bind_server(server, config.bind, config.port);
  if (port <= 0) {
    log.error("cannot listen on " + config.bind + ":" + std::to_string(config.port) +
              " (in use, or not an address of this machine)");
    return 1;
  }
  supervisor.start();
  std::thread http([&server] { server.listen_after_bind(); });
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
  http.join();
  log.info("fossa node stopped");
  return 0;
}

}  // namespace fossa::node
