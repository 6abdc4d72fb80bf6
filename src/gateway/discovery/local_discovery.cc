#include "discovery/local_discovery.h"

#include <arpa/inet.h>
#include <signal.h>

#include <cerrno>
#include <chrono>
#include <fstream>
#include <regex>

#include "cluster/local_cluster.h"
#include "http_client/client.h"

namespace fossa::gateway {
namespace {

// True while `pid` names a process that has not ended: one of another user's counts (kill says
// EPERM), a zombie does not (its parent has yet to reap it, but it is gone).
bool running(pid_t pid) {
  if (pid <= 0 || (::kill(pid, 0) != 0 && errno != EPERM)) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  const auto paren = line.rfind(')');  // the state follows the command name, which may hold spaces
  return paren != std::string::npos && paren + 2 < line.size() && line[paren + 2] != 'Z';
}

// Whether a node answers GET /healthz with 200; short time-outs, as for the node pages.
bool answers(const std::string& address) {
  http_client::Request request;
  request.url = "http://" + address + "/healthz";
  request.connect_timeout = std::chrono::seconds(2);
  request.timeout = std::chrono::seconds(7);
  request.max_answer_bytes = 64 << 10;
  return http_client::send(request).status == 200;
}

// ACTIVE when nothing is missing, DOWN when everything is, DEGRADED between; `missing` in words.
Cluster with_status(Cluster cluster, const std::vector<std::string>& missing, std::size_t parts) {
  cluster.status = missing.empty() ? "ACTIVE" : missing.size() == parts ? "DOWN" : "DEGRADED";
  for (const auto& what : missing) cluster.detail += (cluster.detail.empty() ? "" : "; ") + what;
  return cluster;
}

}  // namespace

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
  Cluster cluster{"local", "local (" + (directory_.empty() ? "the nodes given" : directory_) + ")", "", ""};
  std::vector<std::string> missing;
  if (directory_.empty()) {
    for (const auto& url : node_urls_) {
      if (!answers(node_address_of(url))) missing.push_back(url + " does not answer");
    }
    return std::vector<Cluster>{with_status(cluster, missing, node_urls_.size())};
  }
  auto state = cluster::read_cluster_state(directory_);
  if (!state) return std::vector<Cluster>{with_status(cluster, {state.error()}, 1)};
  // Without its supervisor the cluster is down whatever is left of it (`fossa cluster down` cleans
  // up); with it, each of its processes counts.
  if (!running(state->supervisor)) {
    return std::vector<Cluster>{with_status(
        cluster, {"its supervisor (pid " + std::to_string(state->supervisor) + ") is not running"}, 1)};
  }
  if (!running(state->broker_pid)) missing.push_back("its broker (pid " + std::to_string(state->broker_pid) + ") is not running");
  for (const auto& node : state->nodes) {
    if (!running(node.pid)) missing.push_back(node.ident + " (pid " + std::to_string(node.pid) + ") is not running");
  }
  return std::vector<Cluster>{with_status(cluster, missing, state->nodes.size() + 1)};
}

ayeaye::Result<std::vector<ClusterTask>> LocalDiscovery::tasks(const std::string& cluster_arn) {
  using R = ayeaye::Result<std::vector<ClusterTask>>;
  if (cluster_arn != "local") return R::fail("no cluster " + cluster_arn);
  std::vector<ClusterTask> tasks;
  auto add = [&tasks](const std::string& id, const std::string& url) {
    const std::string address = node_address_of(url);
    if (address.empty()) return;
    tasks.push_back({"local/" + id, id, "service:fossa-worker", "RUNNING", "", address.substr(0, address.find(':')),
                     address, 0, 0, ""});
  };
  if (directory_.empty()) {
    for (std::size_t i = 0; i < node_urls_.size(); ++i) add("node-" + std::to_string(i + 1), node_urls_[i]);
    return tasks;
  }
  auto state = cluster::read_cluster_state(directory_);
  if (!state) return R::fail(state.error());
  // A node whose process has ended is no task of the cluster (as a stopped ECS task is not): its
  // jobs are lost at once, not after --lost-after.
  for (const auto& node : state->nodes) {
    if (node.pid <= 0 || running(node.pid)) add(node.ident, node.url);
  }
  return tasks;
}

}  // namespace fossa::gateway
