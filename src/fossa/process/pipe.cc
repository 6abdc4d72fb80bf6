#include "process/pipe.h"

#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>

namespace fossa {

FileDescriptor& FileDescriptor::operator=(FileDescriptor&& other) noexcept {
  if (this != &other) {
    reset();
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

void FileDescriptor::reset() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

ayeaye::Result<Pipe> Pipe::make() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    return ayeaye::Result<Pipe>::fail(std::string("cannot make a pipe: ") + std::strerror(errno));
  }
  return Pipe{FileDescriptor(fds[0]), FileDescriptor(fds[1])};
}

void set_non_blocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

WriteOutcome write_queued(int fd, OutboundQueue& queue) {
  constexpr std::size_t kPiecesPerWrite = 64;  // lines per writev(2): few system calls for short lines
  while (!queue.empty()) {
    const auto pieces = queue.pending(kPiecesPerWrite);
    iovec vectors[kPiecesPerWrite];
    for (std::size_t i = 0; i < pieces.size(); ++i) {
      vectors[i] = {const_cast<char*>(pieces[i].data()), pieces[i].size()};
    }
    const ssize_t n = ::writev(fd, vectors, static_cast<int>(pieces.size()));
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return WriteOutcome::kWouldBlock;
      return WriteOutcome::kPeerGone;
    }
    queue.consume(static_cast<std::size_t>(n));
  }
  return WriteOutcome::kAllWritten;
}

}  // namespace fossa
