// SupervisorEnv: everything the TaskSupervisor needs from outside itself — worker processes, a
// RabbitMQ connection, the time — in one place, so that a test hands it fakes (as leveldb's Env
// or ninja's CommandRunner) and drives it turn by turn on its own thread, in milliseconds:
// tests/unit/fakes/ has a launcher whose workers the test plays, a broker that records what was
// sent and plays what arrives, and a clock that moves only when told.
#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include "amqp/broker.h"
#include "amqp/link.h"
#include "node/node_config.h"
#include "process/worker_process.h"

namespace fossa::node {

struct SupervisorEnv {
  std::unique_ptr<WorkerLauncher> launcher;
  // Called once, when the node has a RabbitMQ URL; `wake_fd` is written when events wait.
  std::function<std::unique_ptr<amqp::Broker>(const amqp::LinkOptions&, int wake_fd)> connect_broker;
  std::function<std::chrono::steady_clock::time_point()> now;

  // The real world: workers spawned as `<config.executable> __worker`, RabbitMQ through an
  // amqp::Link, the steady clock.
  static SupervisorEnv real(const NodeConfig& config);
};

}  // namespace fossa::node
