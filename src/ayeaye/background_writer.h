// Writes blocks of bytes to a file descriptor on a thread of its own, so that a dataset formatting
// its next block does not wait while the kernel copies the last one into the page cache (about a
// fifth of a csv write's time). Local file sinks (byte_stream.cc) start one once their output
// outgrows one buffer: a small file never costs a thread.
//
// One block in flight at a time: handing over the next waits for it, so memory stays two blocks
// and the file's bytes keep their order. A failed write is reported, as a DataError naming the
// file, by the next write() or finish(). Owned and called by one thread (the dataset's); the
// writing thread touches only the block in flight and the error, under the mutex.
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ayeaye {

class BackgroundWriter {
 public:
  // `fd` stays the caller's: it must outlive this object, which never closes it.
  BackgroundWriter(int fd, std::string path);
  // Waits for the block in flight (its error, if any, is dropped: call finish() to hear it).
  ~BackgroundWriter();
  BackgroundWriter(const BackgroundWriter&) = delete;
  BackgroundWriter& operator=(const BackgroundWriter&) = delete;

  // Hands `block` over to be written, after the previous one is; `block` comes back empty (with
  // the capacity of a block already written) for the caller to fill next. Throws DataError if an
  // earlier block failed.
  void write(std::vector<char>& block);
  // Waits until every block handed over is written; throws DataError if one failed.
  void finish();

 private:
  void run();
  void wait_for_block_in_flight(std::unique_lock<std::mutex>& lock);

  int fd_;
  std::string path_;
  std::mutex mutex_;
  std::condition_variable handed_over_;  // a block to write, or stopping_
  std::condition_variable written_;      // the block in flight is written
  std::vector<char> in_flight_;
  bool busy_ = false;
  bool stopping_ = false;
  std::string error_;  // the first failed write's message
  std::thread thread_;  // last: started once the rest is set up
};

}  // namespace ayeaye
