#include "cli/cluster_command.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "ayeaye/json_input.h"
#include "cli/command.h"
#include "cluster/local_cluster.h"
#include "http_client/client.h"
#include "process/child_process.h"
#include "process/pipe.h"

namespace fossa::cli {
namespace {

constexpr int kReportFd = 3;

std::string directory_of(const ClusterCommandOptions& options) {
  return options.directory.empty() ? cluster::default_cluster_directory() : options.directory;
}

// Running: there, and not a zombie (a process that has ended but whose parent — init, for a
// supervisor whose `cluster up` has exited — has not collected it yet).
bool alive(pid_t pid) {
  if (pid <= 0 || ::kill(pid, 0) != 0) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  const auto name_end = line.rfind(')');
  return name_end == std::string::npos || name_end + 2 >= line.size() || line[name_end + 2] != 'Z';
}

// Waits for a process that is not our child to end; false if it is still there after `timeout`.
bool wait_for_exit(pid_t pid, std::chrono::milliseconds timeout) {
  FileDescriptor pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
  if (!pidfd.valid()) return !alive(pid);
  pollfd fd{pidfd.get(), POLLIN, 0};
  return ::poll(&fd, 1, static_cast<int>(timeout.count())) == 1;
}

// Stops what a cluster's supervisor started, by the pids it recorded, when it did not: it died
// (killed, out of memory) or could not finish. Each process group gets SIGTERM, and SIGKILL if it
// is still there after `grace`. Returns the names of those that were still running.
std::vector<std::string> stop_what_is_left(const cluster::ClusterState& state, std::chrono::seconds grace) {
  std::vector<std::pair<std::string, pid_t>> recorded;
  for (const auto& node : state.nodes) recorded.emplace_back(node.ident, node.pid);
  if (state.gateway) recorded.emplace_back("the gateway", state.gateway->pid);
  recorded.emplace_back("RabbitMQ", state.broker_pid);
  recorded.emplace_back("RabbitMQ's epmd", state.broker_epmd_pid);
  std::vector<std::string> stopped;
  for (const auto& [name, pid] : recorded) {
    if (!alive(pid)) continue;
    stopped.push_back(name + " (pid " + std::to_string(pid) + ")");
    if (::kill(-pid, SIGTERM) != 0) ::kill(pid, SIGTERM);  // each leads its own group, as started
  }
  for (const auto& [name, pid] : recorded) {
    if (alive(pid) && !wait_for_exit(pid, grace)) {
      if (::kill(-pid, SIGKILL) != 0) ::kill(pid, SIGKILL);
    }
  }
  return stopped;
}

}  // namespace

int cluster_up(const ClusterCommandOptions& options) {
  if (options.workers < 1) {
    std::cerr << "fossa cluster up: --workers must be at least 1, got " << options.workers << "\n";
    return 2;
  }
  const std::string dir = directory_of(options);
  if (auto state = cluster::read_cluster_state(dir); state && alive(state->supervisor)) {
    std::cerr << "fossa cluster up: a cluster is already up in " << dir << " (fossa cluster down first)\n";
    return 1;
  }
  std::error_code error;
  std::filesystem::remove(cluster::state_file(dir), error);
  std::filesystem::create_directories(dir, error);
  if (error) {
    std::cerr << "fossa cluster up: cannot create " << dir << ": " << error.message() << "\n";
    return 1;
  }
  const std::string supervisor_log = dir + "/supervisor.log";
  FileDescriptor log(::open(supervisor_log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  FileDescriptor null_io(::open("/dev/null", O_RDWR | O_CLOEXEC));
  auto report = Pipe::make();
  if (!log.valid() || !null_io.valid() || !report) {
    std::cerr << "fossa cluster up: cannot set up the supervisor's output in " << dir << "\n";
    return 1;
  }
  ChildProcess::Options spawn;
  spawn.executable = "/proc/self/exe";
  spawn.arguments = {"__cluster-supervisor", dir, std::to_string(options.workers), std::to_string(options.capacity),
                     options.gateway ? "gateway" : "no-gateway"};
  spawn.fd_map = {{0, null_io.get()}, {1, log.get()}, {2, log.get()}, {kReportFd, report->write_end.get()}};
  auto child = ChildProcess::spawn(spawn);
  if (!child) {
    std::cerr << "fossa cluster up: " << child.error() << "\n";
    return 1;
  }
  child->release();  // it outlives this command: `fossa cluster down` stops it
  report->write_end.reset();

  std::cout << "starting a cluster of " << options.workers << " nodes in " << dir << "\n" << std::flush;
  std::string pending;
  bool ready = false;
  char buffer[1024];
  for (ssize_t n; (n = ::read(report->read_end.get(), buffer, sizeof buffer)) > 0;) {
    pending.append(buffer, static_cast<std::size_t>(n));
    for (auto nl = pending.find('\n'); nl != std::string::npos; nl = pending.find('\n')) {
      const std::string line = pending.substr(0, nl);
      pending.erase(0, nl + 1);
      if (line == "ready") {
        ready = true;
      } else if (line.rfind("error: ", 0) == 0) {
        std::cerr << "fossa cluster up: " << line.substr(7) << "\n";
      } else {
        std::cout << "  " << line << "\n" << std::flush;
      }
    }
  }
  if (!ready) {
    std::cerr << "fossa cluster up: the cluster did not start; see " << supervisor_log << "\n";
    return 1;
  }
  // This program's own name: a model author's program (examples/external-models) is not `fossa`.
  std::error_code ignored;
  const std::string self = std::filesystem::read_symlink("/proc/self/exe", ignored).filename().string();
  const std::string program = self.empty() ? "fossa" : self;
  if (options.gateway) {
    std::cout << "up. Submit through the gateway with: FOSSA_GATEWAY_PASSWORD=<its password> " << program
              << " submit --gateway <its URL> MODEL --wait; stop with: " << program << " cluster down\n";
  } else {
    std::cout << "up. Submit with: " << program << " submit MODEL --node <a node's URL> --wait; stop with: " << program
              << " cluster down\n";
  }
  return 0;
}

int cluster_status(const ClusterCommandOptions& options) {
  const std::string dir = directory_of(options);
  auto state = cluster::read_cluster_state(dir);
  if (!state) {
    std::cerr << "fossa cluster status: " << state.error() << "\n";
    return 1;
  }
  bool healthy = alive(state->supervisor);
  std::cout << "cluster in " << dir << (healthy ? "" : " (its supervisor is gone: fossa cluster down cleans up)") << "\n";
  std::cout << "  rabbitmq  " << state->rabbitmq_url << (alive(state->broker_pid) ? "" : "  NOT RUNNING") << "\n";
  if (state->gateway) {
    std::cout << "  gateway   " << state->gateway->url << "/  user fossa, password " << state->gateway_password
              << (alive(state->gateway->pid) ? "" : "  NOT RUNNING") << "\n";
  }
  for (const auto& node : state->nodes) {
    http_client::Request request;
    request.url = node.url + "/api/0.01/node_info";
    request.connect_timeout = std::chrono::seconds(2);
    request.timeout = std::chrono::seconds(7);
    request.max_answer_bytes = 4 << 20;
    const auto answer = http_client::send(request);
    const auto parsed = answer.status == 200 ? ayeaye::parse_json(answer.body) : ayeaye::Result<ayeaye::Json>::fail("no answer");
    const ayeaye::Json info = parsed ? *parsed : ayeaye::Json();
    std::cout << "  " << node.ident << "    " << node.url;
    if (info.is_object() && info.contains("node_info") && info["node_info"].is_object()) {
      const auto& n = info["node_info"];
      std::cout << "  " << n.value("available_processing_capacity", 0) << "/" << n.value("max_concurrent_tasks", 0)
                << " slots free, " << info.value("running_tasks", ayeaye::Json::array()).size() << " tasks and "
                << n.value("running_subtasks", 0) << " subtasks running\n";
    } else {
      std::cout << "  NOT ANSWERING (log: " << node.log << ")\n";
      healthy = false;
    }
  }
  return healthy ? 0 : 1;
}

int cluster_down(const ClusterCommandOptions& options) {
  const std::string dir = directory_of(options);
  auto state = cluster::read_cluster_state(dir);
  if (!state) {
    std::cerr << "fossa cluster down: " << state.error() << "\n";
    return 1;
  }
  if (alive(state->supervisor)) {
    ::kill(state->supervisor, SIGTERM);
    // The nodes take up to 10 s to stop their tasks, the broker a few more (a hang guard).
    if (!wait_for_exit(state->supervisor, std::chrono::seconds(60))) {
      std::cerr << "fossa cluster down: the supervisor (pid " << state->supervisor << ") did not stop within 60 s; "
                << "stopping what it started\n";
      ::kill(state->supervisor, SIGKILL);
    }
  }
  // Whatever the supervisor did or did not stop (it may have died before `down`), nothing it
  // started outlives `down`.
  const auto left = stop_what_is_left(*state, std::chrono::seconds(15));
  if (!left.empty()) {
    std::string names;
    for (const auto& name : left) names += (names.empty() ? "" : ", ") + name;
    std::cout << "the supervisor had not stopped " << names << ": stopped now\n";
  }
  std::error_code ignored;
  std::filesystem::remove(cluster::state_file(dir), ignored);
  std::cout << "stopped the cluster in " << dir << "\n";
  return 0;
}

int cluster_supervisor(int argc, char** argv) {
  if (argc != 6) return 2;
  cluster::ClusterOptions options;
  options.directory = argv[2];
  options.workers = std::atoi(argv[3]);
  options.capacity = std::atoi(argv[4]);
  options.gateway = std::string(argv[5]) == "gateway";
  return cluster::supervise_cluster(options, kReportFd);
}

Command add_cluster_command(CLI::App& app) {
  auto options = std::make_shared<ClusterCommandOptions>();
  auto* cmd = app.add_subcommand("cluster", "A development cluster on this machine: its own RabbitMQ and N nodes");
  cmd->require_subcommand(1);
  cmd->add_option("--dir", options->directory,
                  "The cluster's run directory: state, logs, broker data (default: $TMPDIR/fossa-cluster)");
  auto* up = cmd->add_subcommand("up", "Start the broker and the nodes, print their URLs, and return");
  up->add_option("--workers,-w", options->workers, "Nodes to start")->capture_default_str()->check(CLI::PositiveNumber);
  up->add_option("--capacity", options->capacity, "Tasks per node (default: each node's, 2 × its CPUs)")
      ->check(CLI::PositiveNumber);
  up->add_flag("--gateway", options->gateway,
               "Also start a fossa-gateway for the cluster; prints its URL, user and a fresh password");
  auto* status = cmd->add_subcommand("status", "Show the cluster's broker and nodes; exit 1 if any is down");
  cmd->add_subcommand("down", "Stop what `up` started, and nothing else");
  return {cmd, [options, up, status] {
            if (up->parsed()) return cluster_up(*options);
            if (status->parsed()) return cluster_status(*options);
            return cluster_down(*options);
          }};
}

}  // namespace fossa::cli
