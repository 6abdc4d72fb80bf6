#include "cluster/local_cluster.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>

#include "ayeaye/json_input.h"
#include "cluster/broker_process.h"
#include "process/child_process.h"
#include "process/pipe.h"
#include "process/program_path.h"
#include "process/server_process.h"
#include "process/signals.h"

namespace fossa::cluster {
namespace {

void report(int fd, const std::string& line) {
  const std::string text = line + "\n";
  (void)!::write(fd, text.data(), text.size());
}

// One server (a node, the gateway) and what cluster.json says of it.
struct RunningServer {
  ClusterState::Node facts;
  std::unique_ptr<ServerProcess> server;
};

ayeaye::Result<std::unique_ptr<RunningServer>> start_server(const std::string& directory, const std::string& ident,
                                                            ChildProcess::Options spawn, const std::string& marker) {
  using R = ayeaye::Result<std::unique_ptr<RunningServer>>;
  auto running = std::make_unique<RunningServer>();
  running->facts.ident = ident;
  running->facts.log = directory + "/" + ident + ".log";
  auto server = ServerProcess::start(std::move(spawn), marker, running->facts.log);
  if (!server) return R::fail(ident + ": " + server.error());
  running->server = std::move(server).value();
  running->facts.url = running->server->url();
  running->facts.pid = running->server->process().pid();
  return running;
}

ayeaye::Result<std::unique_ptr<RunningServer>> start_node(const ClusterOptions& options, const std::string& rabbitmq_url,
                                                          int index) {
  ChildProcess::Options spawn;
  spawn.executable = options.executable;
  spawn.arguments = {"node", "--bind", "127.0.0.1", "--port", "0", "--node-ident", "node-" + std::to_string(index)};
  if (options.capacity > 0) {
    spawn.arguments.push_back("--max-concurrent-tasks");
    spawn.arguments.push_back(std::to_string(options.capacity));
  }
  spawn.extra_environment = {"RABBITMQ_URL=" + rabbitmq_url};
  return start_server(options.directory, "node-" + std::to_string(index), std::move(spawn), "fossa node ready");
}

// 24 random letters and digits, from the kernel's generator.
std::string random_password() {
  static constexpr char kAlphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::ifstream random("/dev/urandom", std::ios::binary);
  std::string password;
  for (char c; password.size() < 24 && random.get(c);) password += kAlphabet[static_cast<unsigned char>(c) % (sizeof kAlphabet - 1)];
  return password;
}

// fossa-gateway beside this program (build/bin/, an installed bin/), else on PATH: a model
// author's own program (examples/external-models) lives in their build tree, apart from Fossa's.
ayeaye::Result<std::string> find_gateway_program() {
  std::error_code error;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", error);
  const auto beside = self.parent_path() / "fossa-gateway";
  if (!error && ::access(beside.c_str(), X_OK) == 0) return beside.string();
  if (auto found = find_on_path("fossa-gateway")) return *found;
  return ayeaye::Result<std::string>::fail("--gateway: fossa-gateway is neither beside " + self.string() +
                                           " nor on PATH (cmake --install puts it in <prefix>/bin; add that to PATH)");
}

ayeaye::Result<std::unique_ptr<RunningServer>> start_gateway(const ClusterOptions& options, const std::string& password) {
  ChildProcess::Options spawn;
  auto gateway = find_gateway_program();
  if (!gateway) return ayeaye::Result<std::unique_ptr<RunningServer>>::fail(gateway.error());
  spawn.executable = *gateway;
  // Its job records beside the cluster's other files: they outlive the workers and the gateway.
  spawn.arguments = {"--bind", "127.0.0.1", "--port", "0", "--cluster-dir", options.directory,
                     "--state-dir", (std::filesystem::path(options.directory) / "gateway").string()};
  spawn.extra_environment = {"GATEWAY_HTTP_PASSWORD=" + password};
  return start_server(options.directory, "gateway", std::move(spawn), "fossa-gateway ready");
}

void stop_nodes(std::vector<std::unique_ptr<RunningServer>>& nodes) {
  for (auto& node : nodes) node->server->process().kill(SIGTERM);
  for (auto& node : nodes) node->server->stop(SIGTERM);
  nodes.clear();
}

}  // namespace

std::string default_cluster_directory() {
  const char* tmp = std::getenv("TMPDIR");
  return std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/fossa-cluster";
}

std::string state_file(const std::string& directory) { return directory + "/cluster.json"; }

ayeaye::Json to_json(const ClusterState& state) {
  ayeaye::Json nodes = ayeaye::Json::array();
  for (const auto& n : state.nodes) nodes.push_back({{"ident", n.ident}, {"url", n.url}, {"log", n.log}, {"pid", n.pid}});
  ayeaye::Json gateway;  // null without one
  if (state.gateway) {
    gateway = {{"url", state.gateway->url}, {"log", state.gateway->log}, {"pid", state.gateway->pid},
               {"user", "fossa"}, {"password", state.gateway_password}};
  }
  return {{"gateway", gateway},
          {"supervisor_pid", state.supervisor},
          {"rabbitmq_url", state.rabbitmq_url},
          {"broker_directory", state.broker_directory},
          {"broker_pid", state.broker_pid},
          {"broker_epmd_pid", state.broker_epmd_pid},
          {"nodes", nodes}};
}

ayeaye::Result<ClusterState> read_cluster_state(const std::string& directory) {
  using R = ayeaye::Result<ClusterState>;
  std::ifstream file(state_file(directory));
  if (!file) return R::fail("no cluster is up in " + directory + " (no cluster.json)");
  const std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  const auto parsed = ayeaye::parse_json(text);
  if (!parsed) return R::fail(state_file(directory) + " is not JSON: " + parsed.error());
  const ayeaye::Json& json = *parsed;
  try {
    ClusterState state;
    state.supervisor = json.at("supervisor_pid").get<pid_t>();
    state.rabbitmq_url = json.at("rabbitmq_url").get<std::string>();
    state.broker_directory = json.at("broker_directory").get<std::string>();
    state.broker_pid = json.at("broker_pid").get<pid_t>();
    state.broker_epmd_pid = json.value("broker_epmd_pid", pid_t{0});
    for (const auto& n : json.at("nodes")) {
      state.nodes.push_back({n.at("ident").get<std::string>(), n.at("url").get<std::string>(),
                             n.at("log").get<std::string>(), n.at("pid").get<pid_t>()});
    }
    if (const auto g = json.find("gateway"); g != json.end() && g->is_object()) {
      state.gateway = ClusterState::Node{"gateway", g->at("url").get<std::string>(), g->at("log").get<std::string>(),
                                         g->at("pid").get<pid_t>()};
      state.gateway_password = g->at("password").get<std::string>();
    }
    return state;
  } catch (const ayeaye::Json::exception& e) {
    return R::fail(state_file(directory) + " is not a cluster's state: " + e.what());
  }
}

int supervise_cluster(const ClusterOptions& options, int report_fd) {
  const sigset_t stop_signals = block_stop_signals();  // children get the default mask back
  // The broker and the nodes must not inherit the report pipe: `up` reads it to its end.
  ::fcntl(report_fd, F_SETFD, FD_CLOEXEC);

  BrokerProcess::Options broker_options;
  broker_options.directory = options.directory + "/broker";
  broker_options.keep_directory = true;
  auto broker = BrokerProcess::start(broker_options);
  if (!broker) {
    report(report_fd, "error: cannot start RabbitMQ: " + broker.error());
    return 1;
  }
  ClusterState state;
  state.supervisor = ::getpid();
  state.rabbitmq_url = (*broker)->amqp_url();
  state.broker_directory = (*broker)->directory();
  state.broker_pid = (*broker)->pid();
  state.broker_epmd_pid = (*broker)->epmd_pid();
  report(report_fd, "rabbitmq  " + state.rabbitmq_url + "  (data and logs: " + state.broker_directory + ")");

  std::vector<std::unique_ptr<RunningServer>> nodes;
  for (int i = 1; i <= options.workers; ++i) {
    auto node = start_node(options, state.rabbitmq_url, i);
    if (!node) {
      report(report_fd, "error: " + node.error());
      stop_nodes(nodes);
      return 1;
    }
    report(report_fd, (*node)->facts.ident + "    " + (*node)->facts.url + "  (log: " + (*node)->facts.log + ")");
    state.nodes.push_back((*node)->facts);
    nodes.push_back(std::move(node).value());
  }
  if (options.gateway) {
    state.gateway_password = random_password();
    auto gateway = start_gateway(options, state.gateway_password);
    if (!gateway) {
      report(report_fd, "error: " + gateway.error());
      stop_nodes(nodes);
      return 1;
    }
    state.gateway = (*gateway)->facts;
    report(report_fd, "gateway   " + state.gateway->url + "/  user fossa, password " + state.gateway_password +
                          "  (log: " + state.gateway->log + ")");
    nodes.push_back(std::move(gateway).value());
  }
  {
    // The gateway's password is in it: readable by this user only.
    const auto old_mask = ::umask(077);
    std::ofstream(state_file(options.directory) + ".tmp") << to_json(state).dump(2) << "\n";
    ::umask(old_mask);
    std::filesystem::rename(state_file(options.directory) + ".tmp", state_file(options.directory));
  }
  report(report_fd, "ready");
  ::close(report_fd);

  int signal = 0;
  sigwait(&stop_signals, &signal);
  stop_nodes(nodes);
  broker->reset();
  std::error_code ignored;
  std::filesystem::remove(state_file(options.directory), ignored);
  return 0;
}

}  // namespace fossa::cluster
