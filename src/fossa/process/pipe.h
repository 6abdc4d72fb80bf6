// Pipe and FileDescriptor: RAII over pipe2(2) and the descriptors it makes. Close-on-exec by
// default, so a descriptor reaches a child only when ChildProcess::Options::fd_map maps it.
#pragma once

#include <utility>

#include "ayeaye/error.h"
#include "process/outbound_queue.h"

namespace fossa {

class FileDescriptor {
 public:
  FileDescriptor() = default;
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(FileDescriptor&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  FileDescriptor& operator=(FileDescriptor&& other) noexcept;
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() { reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  void reset();
  // Gives up ownership: the caller closes the descriptor.
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_ = -1;
};

struct Pipe {
  FileDescriptor read_end;
  FileDescriptor write_end;

  static ayeaye::Result<Pipe> make();
};

// Makes `fd` non-blocking.
void set_non_blocking(int fd);

// Writes all of `data`, retrying on EINTR and short writes. False when the reader is gone.
// Blocks on a full pipe: only for a writer with nothing else to do (a task process answering).
bool write_all(int fd, std::string_view data);

// Writes to non-blocking `fd` as much of `queue` as it takes now, never waiting.
enum class WriteOutcome {
  kAllWritten,
  kWouldBlock,  // the peer is full: wait for POLLOUT
  kPeerGone,    // EPIPE or another error: nothing more can be written
};
WriteOutcome write_queued(int fd, OutboundQueue& queue);

}  // namespace fossa
