// Gate: the named pipe that the gated example models (examples/models/gated_models.cc) wait at.
// Each open() lets exactly one waiting task or subtask through: it blocks until one is waiting,
// and returns once that one has closed the pipe (so the next open() meets the next one).
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <stdexcept>
#include <string>

#include "support/command.h"

namespace fossa::testing {

class Gate {
 public:
  Gate() : path_(dir_.path() + "/gate") {
    if (::mkfifo(path_.c_str(), 0600) != 0) throw std::runtime_error("cannot make the FIFO " + path_);
  }
  const std::string& path() const { return path_; }

  void open() const {
    const int fd = ::open(path_.c_str(), O_WRONLY);  // meets a waiting model's open for reading
    if (fd < 0) throw std::runtime_error("cannot open the FIFO " + path_);
    const auto wrote = ::write(fd, "x", 1);
    // A writer's end reports POLLERR once no reader is left: the one let through has gone.
    pollfd reader_gone{fd, 0, 0};
    while (wrote == 1 && ::poll(&reader_gone, 1, -1) == 0) {
    }
    ::close(fd);
    if (wrote != 1) throw std::runtime_error("cannot write into the FIFO " + path_);
  }

 private:
  TempDir dir_;
  std::string path_;
};

}  // namespace fossa::testing
