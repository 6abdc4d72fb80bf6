#include "cluster/broker_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <unistd.h>

#include <amqp.h>
#include <amqp_tcp_socket.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include "ayeaye/json.h"
#include "ayeaye/json_input.h"
#include "process/pipe.h"

namespace fossa {
namespace {

constexpr const char* kRabbitmqServer = "/usr/lib/rabbitmq/bin/rabbitmq-server";
constexpr const char* kEpmd = "/usr/bin/epmd";
constexpr const char* kRabbitmqctl = "/usr/lib/rabbitmq/bin/rabbitmqctl";
constexpr const char* kRunuser = "/usr/sbin/runuser";

// True when something accepts TCP connections on 127.0.0.1:port.
bool accepts(int port) {
  FileDescriptor socket_fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return ::connect(socket_fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
}

// True when an AMQP client can log in: the broker accepts TCP a little before it can serve.
bool accepts_login(int port) {
  amqp_connection_state_t connection = amqp_new_connection();
  amqp_socket_t* socket = amqp_tcp_socket_new(connection);
  timeval timeout{2, 0};
  bool ok = amqp_socket_open_noblock(socket, "127.0.0.1", port, &timeout) == AMQP_STATUS_OK &&
            amqp_login(connection, "/", 0, 131072, 0, AMQP_SASL_METHOD_PLAIN, "guest", "guest").reply_type ==
                AMQP_RESPONSE_NORMAL;
  if (ok) amqp_connection_close(connection, AMQP_REPLY_SUCCESS);
  amqp_destroy_connection(connection);
  return ok;
}

std::string random_suffix() {
  std::random_device device;
  std::string out;
  for (int i = 0; i < 8; ++i) out += static_cast<char>('a' + device() % 26);
  return out;
}

}  // namespace

int find_free_port() {
  FileDescriptor socket_fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  if (::bind(socket_fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) return -1;
  socklen_t length = sizeof address;
  ::getsockname(socket_fd.get(), reinterpret_cast<sockaddr*>(&address), &length);
  return ntohs(address.sin_port);
}

ayeaye::Result<std::unique_ptr<BrokerProcess>> BrokerProcess::start(const Options& options) {
  using R = ayeaye::Result<std::unique_ptr<BrokerProcess>>;
  if (::access(kRabbitmqServer, X_OK) != 0) {
    return R::fail(std::string(kRabbitmqServer) + " is missing: install Debian's rabbitmq-server (scripts/install-deps.sh)");
  }
  const passwd* user = ::getpwnam("rabbitmq");
  if (user == nullptr) return R::fail("there is no 'rabbitmq' user: install Debian's rabbitmq-server");

  std::unique_ptr<BrokerProcess> broker(new BrokerProcess());
  broker->options_ = options;
  if (options.directory.empty()) {
    std::string pattern = "/tmp/fossa-broker-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) return R::fail(std::string("mkdtemp: ") + std::strerror(errno));
    broker->directory_ = pattern;
  } else {
    broker->directory_ = options.directory;
    std::filesystem::create_directories(broker->directory_);
  }
  // RabbitMQ runs as `rabbitmq`: the directory must be theirs, and reachable.
  if (::chown(broker->directory_.c_str(), user->pw_uid, user->pw_gid) != 0 || ::chmod(broker->directory_.c_str(), 0755) != 0) {
    return R::fail("cannot give " + broker->directory_ + " to the rabbitmq user: " + std::strerror(errno) +
                   " (the broker must be started as root, or by the rabbitmq user)");
  }
  broker->amqp_port_ = find_free_port();
  broker->dist_port_ = find_free_port();
  broker->epmd_port_ = find_free_port();
  broker->node_name_ = "fossa-" + random_suffix() + "@localhost";

  const std::string dir = broker->directory_;
  {
    std::ofstream config(dir + "/rabbitmq.conf");
    config << "listeners.tcp.1 = 127.0.0.1:" << broker->amqp_port_ << "\n"
           << "loopback_users = none\n"
           << "consumer_timeout = " << options.consumer_timeout.count() << "\n";
    std::ofstream(dir + "/advanced.config") << "[].\n";
    std::ofstream(dir + "/enabled_plugins") << "[].\n";
  }
  for (const char* file : {"/rabbitmq.conf", "/advanced.config", "/enabled_plugins"}) {
    if (::chown((dir + file).c_str(), user->pw_uid, user->pw_gid) != 0) {
      return R::fail("cannot give " + dir + file + " to the rabbitmq user");
    }
  }
  auto launched = broker->launch();
  if (!launched) return R::fail(launched.error());
  return broker;
}

// What rabbitmq-server and rabbitmqctl need to find this broker and nothing else: its files,
// node name, ports and (through HOME) its Erlang cookie.
std::vector<std::string> BrokerProcess::environment() const {
  const std::string& dir = directory_;
  return {
      "HOME=" + dir,
      "RABBITMQ_MNESIA_BASE=" + dir + "/mnesia",
      "RABBITMQ_LOG_BASE=" + dir + "/log",
      "RABBITMQ_CONFIG_FILE=" + dir + "/rabbitmq.conf",
      "RABBITMQ_ADVANCED_CONFIG_FILE=" + dir + "/advanced.config",
      "RABBITMQ_ENABLED_PLUGINS_FILE=" + dir + "/enabled_plugins",
      "RABBITMQ_NODENAME=" + node_name_,
      "RABBITMQ_DIST_PORT=" + std::to_string(dist_port_),
      "ERL_EPMD_PORT=" + std::to_string(epmd_port_),
      "RABBITMQ_PID_FILE=" + dir + "/rabbitmq.pid",
  };
}

ayeaye::Result<bool> BrokerProcess::launch() {
  using R = ayeaye::Result<bool>;
  const std::string& dir = directory_;
  FileDescriptor dev_null(::open("/dev/null", O_RDWR | O_CLOEXEC));
  FileDescriptor log(::open((dir + "/server.out").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));

  // Our own epmd, in the foreground and in our process group, so that stopping the broker stops
  // it too (rabbitmq-server would otherwise start a daemon one that outlives us).
  ChildProcess::Options epmd;
  epmd.executable = kRunuser;
  epmd.arguments = {"-u", "rabbitmq", "--", kEpmd, "-port", std::to_string(epmd_port_)};
  epmd.fd_map = {{0, dev_null.get()}, {1, log.get()}, {2, log.get()}};
  auto epmd_process = ChildProcess::spawn(epmd);
  if (!epmd_process) return R::fail("cannot start epmd: " + epmd_process.error());
  epmd_.emplace(std::move(epmd_process).value());

  ChildProcess::Options server;
  server.executable = kRunuser;
  server.arguments = {"-u", "rabbitmq", "--", "/usr/bin/env"};
  const auto environment = this->environment();
  server.arguments.insert(server.arguments.end(), environment.begin(), environment.end());
  server.arguments.push_back(kRabbitmqServer);
  server.fd_map = {{0, dev_null.get()}, {1, log.get()}, {2, log.get()}};
  auto server_process = ChildProcess::spawn(server);
  if (!server_process) return R::fail("cannot start rabbitmq-server: " + server_process.error());
  server_.emplace(std::move(server_process).value());

  // Ready when an AMQP client can log in. Checked every 50 ms against a deadline; a broker that
  // exits early is reported at once with the end of its log.
  const auto deadline = std::chrono::steady_clock::now() + options_.start_timeout;
  while (!(accepts(amqp_port_) && accepts_login(amqp_port_))) {
    if (auto status = server_->try_wait()) {
      return R::fail("rabbitmq-server exited during start-up (" + status->describe() + "); see " + dir + "/server.out");
    }
    if (std::chrono::steady_clock::now() > deadline) {
      return R::fail("rabbitmq-server did not accept connections within " +
                     std::to_string(options_.start_timeout.count()) + " s; see " + dir + "/server.out");
    }
    ::poll(nullptr, 0, 50);
  }
  return true;
}

std::string BrokerProcess::amqp_url() const {
  return "amqp://guest:guest@127.0.0.1:" + std::to_string(amqp_port_) + "/";
}

ayeaye::Result<std::string> BrokerProcess::run_rabbitmqctl(const std::vector<std::string>& arguments) const {
  using R = ayeaye::Result<std::string>;
  auto out = Pipe::make();
  if (!out) return R::fail(out.error());
  FileDescriptor dev_null(::open("/dev/null", O_RDWR | O_CLOEXEC));
  ChildProcess::Options ctl;
  ctl.executable = kRunuser;
  ctl.arguments = {"-u", "rabbitmq", "--", "/usr/bin/env"};
  const auto environment = this->environment();
  ctl.arguments.insert(ctl.arguments.end(), environment.begin(), environment.end());
  ctl.arguments.insert(ctl.arguments.end(), {kRabbitmqctl, "-n", node_name_, "--quiet"});
  ctl.arguments.insert(ctl.arguments.end(), arguments.begin(), arguments.end());
  ctl.fd_map = {{0, dev_null.get()}, {1, out->write_end.get()}, {2, out->write_end.get()}};
  auto process = ChildProcess::spawn(ctl);
  if (!process) return R::fail("cannot start rabbitmqctl: " + process.error());
  out->write_end.reset();
  std::string text;
  char buffer[4096];
  for (ssize_t n; (n = ::read(out->read_end.get(), buffer, sizeof buffer)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return R::fail(std::string("reading rabbitmqctl's output: ") + std::strerror(errno));
    text.append(buffer, static_cast<std::size_t>(n));
  }
  if (const auto status = process->wait(); !status.success()) {
    return R::fail("rabbitmqctl " + (arguments.empty() ? std::string() : arguments.front()) + " failed (" +
                   status.describe() + "): " + text);
  }
  return text;
}

ayeaye::Result<std::vector<BrokerProcess::ClientConnection>> BrokerProcess::connections() const {
  using R = ayeaye::Result<std::vector<ClientConnection>>;
  auto printed = run_rabbitmqctl(
      {"list_connections", "--formatter", "json", "--timeout", "60", "name", "client_properties", "timeout"});
  if (!printed) return R::fail(printed.error());
  const std::string& text = *printed;
  const auto json = ayeaye::parse_json_or_null(text);
  if (!json.is_array()) return R::fail("rabbitmqctl list_connections did not print a JSON array: " + text);
  std::vector<ClientConnection> connections;
  for (const auto& row : json) {
    ClientConnection connection;
    connection.name = row.value("name", "");
    connection.heartbeat_seconds = row.value("timeout", 0);
    // rabbitmqctl prints an AMQP table as a list of [name, type, value].
    for (const auto& property : row.value("client_properties", ayeaye::Json::array())) {
      if (property.is_array() && property.size() == 3 && property[0] == "connection_name" && property[2].is_string()) {
        connection.client_name = property[2].get<std::string>();
      }
    }
    connections.push_back(std::move(connection));
  }
  return connections;
}

ayeaye::Result<bool> BrokerProcess::sync_metadata() const {
  // mnesia_recover logs a transaction's "committed" record when it handles a message the
  // transaction sent it before returning; sys:get_state returns once it has handled that message,
  // so the sync after it includes the record.
  auto printed = run_rabbitmqctl({"eval", "sys:get_state(mnesia_recover), mnesia:sync_log()."});
  if (!printed) return ayeaye::Result<bool>::fail(printed.error());
  if (printed->find("ok") != 0) return ayeaye::Result<bool>::fail("mnesia:sync_log() answered: " + *printed);
  return true;
}

void BrokerProcess::kill() {
  if (server_) {
    server_->kill(SIGKILL);
    server_->wait();
    server_.reset();
  }
}

ayeaye::Result<bool> BrokerProcess::restart() {
  kill();
  epmd_.reset();
  return launch();
}

BrokerProcess::~BrokerProcess() {
  server_.reset();  // kills the broker's process group
  epmd_.reset();
  if (!options_.keep_directory && !directory_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
  }
}

}  // namespace fossa
