// Waiting for a process that is not the test's child (a node's worker) to exit: a pidfd is
// readable once its process has ended, so this waits on the event, with a deadline, not a clock.
#pragma once

#include <poll.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

namespace fossa::testing {

// True once process `pid` has exited (or was gone already), false if it still runs after `timeout`.
inline bool exits_within(pid_t pid, std::chrono::milliseconds timeout) {
  const int fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (fd < 0) return errno == ESRCH;  // gone already
  pollfd ended{fd, POLLIN, 0};
  const int ready = ::poll(&ended, 1, static_cast<int>(timeout.count()));
  ::close(fd);
  return ready == 1;
}

}  // namespace fossa::testing
