#include "local_discovery.h"

#include <arpa/inet.h>

#include <regex>

#include "cluster/local_cluster.h"

namespace fossa::gateway {

std::string node_address_of(const std::string& url) {
  static const std::regex pattern(R"(^http://(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}):(\d{1,5})/?$)");
  std::smatch match;
  if (!std::regex_match(url, match, pattern)) return "";
  in_addr address{};
  if (::inet_pton(AF_INET, match[1].str().c_str(), &address) != 1 || std::stoi(match[2]) > 65535) return "";
  return match[1].str() + ":" + match[2].str();
}

LocalDiscovery::LocalDiscovery(std::string cluster_directory, std::vector<std::string> node_urls)
    : directory_(std::move(cluster_directory)), node_urls_(std::move(node_urls)) {}

ayeaye::Result<std::vector<Cluster>> LocalDiscovery::clusters() {
  const std::string where = directory_.empty() ? "the nodes given" : directory_;
  return std::vector<Cluster>{{"local", "local (" + where + ")", "ACTIVE"}};
}

ayeaye::Result<std::vector<ClusterTask>> LocalDiscovery::tasks(const std::string& cluster_arn) {
  using R = ayeaye::Result<std::vector<ClusterTask>>;
  if (cluster_arn != "local") return R::fail("no cluster " + cluster_arn);
  std::vector<ClusterTask> tasks;
  auto add = [&tasks](const std::string& id, const std::string& url) {
    const std::string address = node_address_of(url);
    if (address.empty()) return;
    tasks.push_back({"local/" + id, id, "service:fossa-worker", "RUNNING", "", address.substr(0, address.find(':')),
                     address});
  };
  if (directory_.empty()) {
    for (std::size_t i = 0; i < node_urls_.size(); ++i) add("node-" + std::to_string(i + 1), node_urls_[i]);
    return tasks;
  }
  auto state = cluster::read_cluster_state(directory_);
  if (!state) return R::fail(state.error());
  for (const auto& node : state->nodes) add(node.ident, node.url);
  return tasks;
}

}  // namespace fossa::gateway
