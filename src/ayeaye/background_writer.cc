#include "background_writer.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "ayeaye/error.h"

namespace ayeaye {

BackgroundWriter::BackgroundWriter(int fd, std::string path)
    : fd_(fd), path_(std::move(path)), thread_([this] { run(); }) {}

BackgroundWriter::~BackgroundWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  handed_over_.notify_one();
  thread_.join();  // the thread writes the block in flight before it looks at stopping_
}

void BackgroundWriter::write(std::vector<char>& block) {
  std::unique_lock lock(mutex_);
  wait_for_block_in_flight(lock);
  in_flight_.swap(block);
  block.clear();
  busy_ = true;
  lock.unlock();
  handed_over_.notify_one();
}

void BackgroundWriter::finish() {
  std::unique_lock lock(mutex_);
  wait_for_block_in_flight(lock);
}

void BackgroundWriter::wait_for_block_in_flight(std::unique_lock<std::mutex>& lock) {
  written_.wait(lock, [this] { return !busy_; });
  if (!error_.empty()) throw DataError(error_);
}

void BackgroundWriter::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    handed_over_.wait(lock, [this] { return busy_ || stopping_; });
    if (!busy_) return;
    lock.unlock();
    // in_flight_ is this thread's until busy_ is false again: write() waits for that before touching it.
    const char* data = in_flight_.data();
    std::size_t size = in_flight_.size();
    std::string failure;
    while (size > 0) {
      const ssize_t wrote = ::write(fd_, data, size);
      if (wrote < 0 && errno == EINTR) continue;
      if (wrote < 0) {
        failure = path_ + ": cannot write: " + std::strerror(errno);
        break;
      }
      data += wrote;
      size -= static_cast<std::size_t>(wrote);
    }
    lock.lock();
    if (error_.empty()) error_ = std::move(failure);
    busy_ = false;
    written_.notify_one();
  }
}

}  // namespace ayeaye
