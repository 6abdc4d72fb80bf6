#include "node/supervisor_env.h"

namespace fossa::node {

SupervisorEnv SupervisorEnv::real(const NodeConfig& config) {
  SupervisorEnv env;
  WorkerProcess::Options workers;
  workers.executable = config.executable;
  env.launcher = std::make_unique<SpawningLauncher>(workers);
  env.connect_broker = [](const amqp::LinkOptions& options, int wake_fd) -> std::unique_ptr<amqp::Broker> {
    return std::make_unique<amqp::Link>(options, wake_fd);
  };
  env.now = [] { return std::chrono::steady_clock::now(); };
  return env;
}

}  // namespace fossa::node
