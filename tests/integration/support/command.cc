#include "support/command.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>

#include "process/child_process.h"
#include "process/line_reader.h"
#include "process/pipe.h"

namespace fossa::testing {
namespace {
constexpr int kHangGuardMs = 120'000;
}  // namespace

std::string fossa_bin() {
  const char* bin = std::getenv("FOSSA_BIN");
  if (bin == nullptr) throw std::runtime_error("FOSSA_BIN is not set (run the tests with ctest)");
  return bin;
}

std::string shipped_fossa_bin() {
  return (std::filesystem::path(fossa_bin()).parent_path() / "fossa").string();
}

CommandResult run_command(const std::string& program, const std::vector<std::string>& args,
                          const std::vector<std::string>& extra_env) {
  auto out = Pipe::make();
  auto err = Pipe::make();
  if (!out || !err) throw std::runtime_error("cannot make pipes");
  FileDescriptor null_in(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  ChildProcess::Options options;
  options.executable = program;
  options.arguments = args;
  options.extra_environment = extra_env;
  options.fd_map = {{0, null_in.get()}, {1, out->write_end.get()}, {2, err->write_end.get()}};
  auto child = ChildProcess::spawn(options);
  if (!child) throw std::runtime_error(child.error());
  out->write_end.reset();
  err->write_end.reset();

  CommandResult result;
  std::string* sinks[2] = {&result.out, &result.err};
  int fds[2] = {out->read_end.get(), err->read_end.get()};
  bool open[2] = {true, true};
  while (open[0] || open[1]) {
    pollfd polls[2];
    nfds_t n = 0;
    int which[2];
    for (int i = 0; i < 2; ++i) {
      if (open[i]) {
        polls[n] = {fds[i], POLLIN, 0};
        which[n++] = i;
      }
    }
    // A guard against a hung program, not a synchronisation: the test fails instead of hanging CTest.
    if (::poll(polls, n, kHangGuardMs) == 0) {
      child->kill(SIGKILL);
      result.err += "\n[run_command: killed after " + std::to_string(kHangGuardMs / 1000) + " s without output]";
      break;
    }
    for (nfds_t k = 0; k < n; ++k) {
      if (polls[k].revents == 0) continue;
      char buffer[4096];
      const ssize_t got = ::read(polls[k].fd, buffer, sizeof buffer);
      if (got <= 0) open[which[k]] = false;
      else sinks[which[k]]->append(buffer, static_cast<std::size_t>(got));
    }
  }
  const ExitStatus status = child->wait();
  result.exit_code = status.signalled ? 128 + status.signal : status.code;
  return result;
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "fossa-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace fossa::testing
