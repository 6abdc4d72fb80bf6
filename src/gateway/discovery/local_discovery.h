// Local discovery: one cluster, "local", whose tasks are the nodes of a `fossa cluster up` run
// directory (read afresh on every request, so a restarted cluster is seen) or a fixed URL list.
// Its status: for a run directory, whether the processes it records (supervisor, broker, nodes)
// are running; for a URL list, whether the nodes answer /healthz.
#pragma once

#include <string>
#include <vector>

#include "discovery/discovery.h"

namespace fossa::gateway {

class LocalDiscovery : public Discovery {
 public:
  // Exactly one of the two: a cluster run directory, or node URLs ("http://host:port").
  LocalDiscovery(std::string cluster_directory, std::vector<std::string> node_urls);

  ayeaye::Result<std::vector<Cluster>> clusters() override;
  ayeaye::Result<std::vector<ClusterTask>> tasks(const std::string& cluster_arn) override;

 private:
  std::string directory_;
  std::vector<std::string> node_urls_;
};

// "http://10.0.0.5:2345/" -> "10.0.0.5:2345"; empty for anything that is not http://<ipv4>:<port>.
std::string node_address_of(const std::string& url);

}  // namespace fossa::gateway
