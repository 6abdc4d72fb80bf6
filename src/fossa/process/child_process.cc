#include "process/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

extern char** environ;

namespace fossa {

std::string signal_name(int signal) {
  if (const char* abbrev = sigabbrev_np(signal)) return std::string("SIG") + abbrev;
  return "signal " + std::to_string(signal);
}

std::string ExitStatus::describe() const {
  if (!signalled) return "exit code " + std::to_string(code);
  std::string text = "signal " + signal_name(signal);
  if (const char* what = sigdescr_np(signal)) text += std::string(" (") + what + ")";
  return text;
}

std::vector<std::string> child_environment(const char* const* parent, const std::vector<std::string>& extra,
                                           const std::vector<std::string>& removed) {
  const auto name_of = [](std::string_view entry) { return entry.substr(0, entry.find('=')); };
  const auto replaced = [&](std::string_view name) {
    return std::find(removed.begin(), removed.end(), name) != removed.end() ||
           std::any_of(extra.begin(), extra.end(), [&](const std::string& e) { return name_of(e) == name; });
  };
  std::vector<std::string> environment;
  for (const char* const* entry = parent; entry != nullptr && *entry != nullptr; ++entry) {
    if (!replaced(name_of(*entry))) environment.emplace_back(*entry);
  }
  environment.insert(environment.end(), extra.begin(), extra.end());
  return environment;
}

const std::vector<std::string>& engine_secrets() {
  static const std::vector<std::string> names = {"FOSSA_API_TOKEN", "RABBITMQ_URL", "FOSSA_GATEWAY_PASSWORD",
                                                 "GATEWAY_HTTP_PASSWORD"};
  return names;
}

namespace {

ExitStatus decode(int raw) {
  ExitStatus status;
  if (WIFSIGNALED(raw)) {
    status.signalled = true;
    status.signal = WTERMSIG(raw);
  } else {
    status.code = WEXITSTATUS(raw);
  }
  return status;
}

// posix_spawn's attributes and file actions, released on every path.
struct SpawnSetup {
  posix_spawn_file_actions_t actions{};
  posix_spawnattr_t attributes{};
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attributes);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
};

}  // namespace

ayeaye::Result<ChildProcess> ChildProcess::spawn(const Options& options) {
  SpawnSetup setup;
  for (const auto& [child_fd, parent_fd] : options.fd_map) {
    posix_spawn_file_actions_adddup2(&setup.actions, parent_fd, child_fd);
  }
  short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
  if (options.own_process_group) {
    flags |= POSIX_SPAWN_SETPGROUP;
    posix_spawnattr_setpgroup(&setup.attributes, 0);
  }
  // The child starts with no signals blocked and default dispositions, whatever the parent did.
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&setup.attributes, &none);
  sigset_t defaults;
  sigfillset(&defaults);
  posix_spawnattr_setsigdefault(&setup.attributes, &defaults);
  posix_spawnattr_setflags(&setup.attributes, flags);

  std::vector<std::string> argv_storage{options.executable};
  argv_storage.insert(argv_storage.end(), options.arguments.begin(), options.arguments.end());
  std::vector<char*> argv;
  for (auto& arg : argv_storage) argv.push_back(arg.data());
  argv.push_back(nullptr);

  std::vector<std::string> env_storage = child_environment(environ, options.extra_environment, options.removed_environment);
  std::vector<char*> envp;
  for (auto& entry : env_storage) envp.push_back(entry.data());
  envp.push_back(nullptr);

  pid_t pid = -1;
  const int error = posix_spawn(&pid, options.executable.c_str(), &setup.actions, &setup.attributes,
                                argv.data(), envp.data());
  if (error != 0) {
    return ayeaye::Result<ChildProcess>::fail("cannot start " + options.executable + ": " +
                                              std::strerror(error));
  }
  return ChildProcess(pid, options.own_process_group);
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(other.pid_), group_(other.group_), status_(other.status_) {
  other.pid_ = -1;
}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    terminate_and_reap();
    pid_ = other.pid_;
    group_ = other.group_;
    status_ = other.status_;
    other.pid_ = -1;
  }
  return *this;
}

ChildProcess::~ChildProcess() { terminate_and_reap(); }

void ChildProcess::kill(int signal) const {
  if (pid_ <= 0) return;
  // Even after the leader is reaped, members of its group may live on: signal the group.
  if (group_) ::kill(-pid_, signal);
  if (!status_) ::kill(pid_, signal);
}

ExitStatus ChildProcess::wait() {
  if (status_) return *status_;
  int raw = 0;
  while (::waitpid(pid_, &raw, 0) < 0) {
    if (errno != EINTR) {
      status_ = ExitStatus{true, 0, 0};
      return *status_;
    }
  }
  status_ = decode(raw);
  return *status_;
}

std::optional<ExitStatus> ChildProcess::try_wait() {
  if (status_ || pid_ <= 0) return status_;
  int raw = 0;
  const pid_t done = ::waitpid(pid_, &raw, WNOHANG);
  if (done == pid_) status_ = decode(raw);
  return status_;
}

pid_t ChildProcess::release() { return std::exchange(pid_, -1); }

void ChildProcess::terminate_and_reap() {
  if (pid_ <= 0) return;
  kill(SIGKILL);
  wait();
  pid_ = -1;
}

}  // namespace fossa
