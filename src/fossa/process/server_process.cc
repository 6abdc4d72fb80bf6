#include "process/server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <regex>

#include "process/pipe.h"

namespace fossa {

ayeaye::Result<std::unique_ptr<ServerProcess>> ServerProcess::start(ChildProcess::Options spawn,
                                                                     const std::string& ready_marker,
                                                                     const std::string& log_path) {
  using R = ayeaye::Result<std::unique_ptr<ServerProcess>>;
  auto output = Pipe::make();
  if (!output) return R::fail(output.error());
  FileDescriptor null_io(::open("/dev/null", O_RDWR | O_CLOEXEC));
  spawn.fd_map = {{0, null_io.get()}, {1, output->write_end.get()}, {2, output->write_end.get()}};
  auto child = ChildProcess::spawn(spawn);
  if (!child) return R::fail(child.error());
  std::unique_ptr<ServerProcess> server(new ServerProcess());
  server->process_ = std::make_unique<ChildProcess>(std::move(child).value());
  output->write_end.reset();

  // Up to the ready line on this thread; the rest of the output on the copier's.
  auto log = std::make_shared<std::ofstream>(log_path, std::ios::app);
  auto input = std::make_shared<FileDescriptor>(std::move(output->read_end));
  static const std::regex url(R"((https?://127\.0\.0\.1:\d+))");
  std::string seen;
  char buffer[4096];
  for (ssize_t n; server->url_.empty() && (n = ::read(input->get(), buffer, sizeof buffer)) > 0;) {
    log->write(buffer, n);
    seen.append(buffer, static_cast<std::size_t>(n));
    // The whole ready line, so that a port cut off by a short read is never taken.
    const auto ready = seen.find(ready_marker);
    const auto end = ready == std::string::npos ? ready : seen.find('\n', ready);
    std::smatch match;
    if (end != std::string::npos &&
        std::regex_search(seen.cbegin() + static_cast<long>(ready), seen.cbegin() + static_cast<long>(end), match, url)) {
      server->url_ = match[1];
    }
  }
  log->flush();
  server->log_copier_ = std::thread([input, log] {
    char rest[4096];
    for (ssize_t n; (n = ::read(input->get(), rest, sizeof rest)) > 0;) {
      log->write(rest, n);
      log->flush();
    }
  });
  if (server->url_.empty()) {
    server->stop(SIGKILL);
    return R::fail(spawn.executable + " ended before it was ready; see " + log_path);
  }
  return server;
}

void ServerProcess::stop(int signal) {
  if (!process_) return;
  process_->kill(signal);
  process_->wait();
  if (log_copier_.joinable()) log_copier_.join();
}

ServerProcess::~ServerProcess() { stop(SIGKILL); }

}  // namespace fossa
