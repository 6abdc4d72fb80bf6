// Gate: the named pipe that the gated example models (examples/models/gated_models.cc) wait at.
// Each open() lets exactly one waiting task or subtask through: it blocks until one is waiting,
// and returns once that one has closed the pipe (so the next open() meets the next one). Both
// waits have a deadline, so a model that never comes fails the test instead of hanging it.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <future>
#include <stdexcept>
#include <string>

#include "process/pipe.h"
#include "support/command.h"

namespace fossa::testing {

class Gate {
 public:
  // Far beyond what a passing test waits (a second or two), so only a regression reaches it.
  static constexpr std::chrono::seconds kDefaultWait{120};

  Gate() : path_(dir_.path() + "/gate") {
    if (::mkfifo(path_.c_str(), 0600) != 0) throw std::runtime_error("cannot make the FIFO " + path_);
  }
  const std::string& path() const { return path_; }

  // Throws, naming the FIFO, when no model comes within `timeout`, or the one let through has not
  // closed the pipe by then.
  void open(std::chrono::milliseconds timeout = kDefaultWait) const {
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + timeout;
    const FileDescriptor writer = open_writer(deadline, timeout);
    if (::write(writer.get(), "x", 1) != 1) throw std::runtime_error("cannot write into the FIFO " + path_);
    // A writer's end reports POLLERR once no reader is left: the one let through has gone.
    pollfd reader_gone{writer.get(), 0, 0};
    while (true) {
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) {
        throw std::runtime_error("the model let through the gate " + path_ + " did not close it within " +
                                 describe(timeout));
      }
      const int ready = ::poll(&reader_gone, 1, static_cast<int>(left));
      if (ready > 0) return;
      if (ready < 0 && errno != EINTR) throw std::runtime_error("cannot poll the FIFO " + path_);
    }
  }

  // Lets `count` models through at once, however many wait at this moment: writes a byte for each
  // and keeps the pipe open while the returned descriptor lives, so one that opens the gate a little
  // later still finds its byte. (open() lets one through at a time and needs it gone before the
  // next; several waiting together would keep the pipe from ever reporting that.)
  FileDescriptor open_for(int count, std::chrono::milliseconds timeout = kDefaultWait) const {
    FileDescriptor writer = open_writer(std::chrono::steady_clock::now() + timeout, timeout);
    const std::string bytes(static_cast<std::size_t>(count), 'x');
    if (::write(writer.get(), bytes.data(), bytes.size()) != static_cast<ssize_t>(bytes.size())) {
      throw std::runtime_error("cannot write into the FIFO " + path_);
    }
    return writer;
  }

 private:
  static std::string describe(std::chrono::milliseconds timeout) {
    const auto ms = timeout.count();
    return ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms";
  }

  // Opening a FIFO for writing blocks until a reader opens it; a non-blocking open fails while none
  // has, and there is nothing to wait on in between. So a thread makes the blocking open, and if
  // the deadline passes first we open the reading end ourselves, which releases it.
  FileDescriptor open_writer(std::chrono::steady_clock::time_point deadline, std::chrono::milliseconds timeout) const {
    auto opening = std::async(std::launch::async, [this] { return ::open(path_.c_str(), O_WRONLY | O_CLOEXEC); });
    if (opening.wait_until(deadline) != std::future_status::ready) {
      const FileDescriptor release(::open(path_.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
      const FileDescriptor abandoned(opening.get());
      throw std::runtime_error("no model came to the gate " + path_ + " within " + describe(timeout));
    }
    FileDescriptor writer(opening.get());
    if (!writer.valid()) throw std::runtime_error("cannot open the FIFO " + path_);
    return writer;
  }

  TempDir dir_;
  std::string path_;
};

}  // namespace fossa::testing
