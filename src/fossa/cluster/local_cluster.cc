#include "cluster/local_cluster.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <thread>

#include "cluster/broker_process.h"
#include "process/child_process.h"
#include "process/pipe.h"
#include "process/signals.h"

namespace fossa::cluster {
namespace {

void report(int fd, const std::string& line) {
  const std::string text = line + "\n";
  (void)!::write(fd, text.data(), text.size());
}

// One node: its process, and a thread copying its log into <dir>/node-<i>.log.
struct RunningNode {
  ClusterState::Node facts;
  std::unique_ptr<ChildProcess> process;
  std::thread log_copier;
};

// Starts node `index` and returns once it has logged its ready line (or ended without one).
ayeaye::Result<std::unique_ptr<RunningNode>> start_node(const ClusterOptions& options, const std::string& rabbitmq_url,
                                                        int index) {
  using R = ayeaye::Result<std::unique_ptr<RunningNode>>;
  auto node = std::make_unique<RunningNode>();
  node->facts.ident = "node-" + std::to_string(index);
  node->facts.log = options.directory + "/" + node->facts.ident + ".log";
  auto err = Pipe::make();
  if (!err) return R::fail(err.error());
  FileDescriptor null_io(::open("/dev/null", O_RDWR | O_CLOEXEC));
  ChildProcess::Options spawn;
  spawn.executable = options.executable;
  spawn.arguments = {"node", "--bind", "127.0.0.1", "--port", "0", "--node-ident", node->facts.ident};
  if (options.capacity > 0) {
    spawn.arguments.push_back("--max-concurrent-tasks");
    spawn.arguments.push_back(std::to_string(options.capacity));
  }
  spawn.extra_environment = {"RABBITMQ_URL=" + rabbitmq_url};
  spawn.fd_map = {{0, null_io.get()}, {1, err->write_end.get()}, {2, err->write_end.get()}};
  auto child = ChildProcess::spawn(spawn);
  if (!child) return R::fail(child.error());
  node->process = std::make_unique<ChildProcess>(std::move(child).value());
  node->facts.pid = node->process->pid();
  err->write_end.reset();

  // The copier reads the node's output line by line into its log file; the first ready line
  // (with the node's URL) is handed back through a promise-like pipe of its own.
  auto ready = Pipe::make();
  if (!ready) return R::fail(ready.error());
  node->log_copier = std::thread([fd = err->read_end.release(), ready_fd = ready->write_end.release(), path = node->facts.log] {
    FileDescriptor input(fd);
    FileDescriptor ready_out(ready_fd);
    std::ofstream log(path, std::ios::app);
    std::string partial;
    char buffer[4096];
    for (ssize_t n; (n = ::read(input.get(), buffer, sizeof buffer)) > 0;) {
      log.write(buffer, n);
      log.flush();
      if (!ready_out.valid()) continue;
      partial.append(buffer, static_cast<std::size_t>(n));
      static const std::regex url(R"(fossa node ready.*(http://127\.0\.0\.1:\d+))");
      std::smatch match;
      if (std::regex_search(partial, match, url)) {
        report(ready_out.get(), match[1]);
        ready_out.reset();
        partial.clear();
      }
    }
  });
  std::string url;
  char buffer[256];
  for (ssize_t n; (n = ::read(ready->read_end.get(), buffer, sizeof buffer)) > 0;) url.append(buffer, static_cast<std::size_t>(n));
  while (!url.empty() && url.back() == '\n') url.pop_back();
  if (url.empty()) {
    node->process->wait();
    node->log_copier.join();
    return R::fail(node->facts.ident + " ended before it was ready; see " + node->facts.log);
  }
  node->facts.url = url;
  return node;
}

void stop_nodes(std::vector<std::unique_ptr<RunningNode>>& nodes) {
  for (auto& node : nodes) node->process->kill(SIGTERM);
  for (auto& node : nodes) {
    node->process->wait();
    if (node->log_copier.joinable()) node->log_copier.join();
  }
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
  return {{"supervisor_pid", state.supervisor},
          {"rabbitmq_url", state.rabbitmq_url},
          {"broker_directory", state.broker_directory},
          {"broker_pid", state.broker_pid},
          {"nodes", nodes}};
}

ayeaye::Result<ClusterState> read_cluster_state(const std::string& directory) {
  using R = ayeaye::Result<ClusterState>;
  std::ifstream file(state_file(directory));
  if (!file) return R::fail("no cluster is up in " + directory + " (no cluster.json)");
  const auto json = ayeaye::Json::parse(file, nullptr, /*allow_exceptions=*/false);
  try {
    ClusterState state;
    state.supervisor = json.at("supervisor_pid").get<pid_t>();
    state.rabbitmq_url = json.at("rabbitmq_url").get<std::string>();
    state.broker_directory = json.at("broker_directory").get<std::string>();
    state.broker_pid = json.at("broker_pid").get<pid_t>();
    for (const auto& n : json.at("nodes")) {
      state.nodes.push_back({n.at("ident").get<std::string>(), n.at("url").get<std::string>(),
                             n.at("log").get<std::string>(), n.at("pid").get<pid_t>()});
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
  report(report_fd, "rabbitmq  " + state.rabbitmq_url + "  (data and logs: " + state.broker_directory + ")");

  std::vector<std::unique_ptr<RunningNode>> nodes;
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
  {
    std::ofstream(state_file(options.directory) + ".tmp") << to_json(state).dump(2) << "\n";
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
