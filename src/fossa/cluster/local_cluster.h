// A development cluster on this machine: a private RabbitMQ (BrokerProcess) and N `fossa node`
// processes on free loopback ports, all under one run directory:
//
//   <dir>/cluster.json   who is running: the supervisor's pid, the broker's URL, each node's URL
//   <dir>/broker/        the broker's data and logs (owned by the rabbitmq user)
//   <dir>/node-<i>.log   each node's log (and gateway.log, with --gateway)
//
// One supervisor process (`fossa cluster up` starts it, detached) owns them all: it stops them
// when it gets SIGTERM or SIGINT (`fossa cluster down`), and nothing else.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "ayeaye/error.h"
#include "ayeaye/json.h"

namespace fossa::cluster {

struct ClusterOptions {
  std::string directory;
  int workers = 4;
  int capacity = 0;  // tasks per node; 0: the node's default
  bool gateway = false;  // also a fossa-gateway for the cluster, with a fresh password
  std::string executable = "/proc/self/exe";
};

struct ClusterState {
  struct Node {
    std::string ident;
    std::string url;
    std::string log;
    pid_t pid = 0;
  };
  pid_t supervisor = 0;
  std::string rabbitmq_url;
  std::string broker_directory;
  pid_t broker_pid = 0;
  pid_t broker_epmd_pid = 0;  // the broker's own epmd (0 in a state written before it was recorded)
  std::vector<Node> nodes;
  std::optional<Node> gateway;
  std::string gateway_password;
};

// $TMPDIR/fossa-cluster (or /tmp/fossa-cluster).
std::string default_cluster_directory();
std::string state_file(const std::string& directory);
ayeaye::Json to_json(const ClusterState& state);
// The state of the cluster in `directory`; an error when none was started there.
ayeaye::Result<ClusterState> read_cluster_state(const std::string& directory);

// The supervisor: starts the broker and the nodes, writes cluster.json, reports each step as a
// line on `report_fd` ("ready" last, or "error: ..."), closes it, and then waits for SIGTERM or
// SIGINT to stop everything. Returns the exit code.
int supervise_cluster(const ClusterOptions& options, int report_fd);

}  // namespace fossa::cluster
