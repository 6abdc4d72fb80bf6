// `fossa cluster up|status|down`: a development cluster on this machine — its own RabbitMQ and N
// nodes on free loopback ports (src/fossa/cluster/local_cluster.h).
#pragma once

#include <string>

namespace fossa::cli {

struct ClusterCommandOptions {
  std::string directory;  // default: cluster::default_cluster_directory()
  int workers = 4;
  int capacity = 0;  // tasks per node; 0: each node's default
  bool gateway = false;  // also start a fossa-gateway and print its URL and password
};

// Exit codes: 0 done; 1 it could not be done (the reason is printed); 2 bad options.
int cluster_up(const ClusterCommandOptions& options);
int cluster_status(const ClusterCommandOptions& options);
int cluster_down(const ClusterCommandOptions& options);
// The detached supervisor that `up` starts (`fossa __cluster-supervisor DIR WORKERS CAPACITY GATEWAY`),
// reporting on fd 3.
int cluster_supervisor(int argc, char** argv);

}  // namespace fossa::cli
