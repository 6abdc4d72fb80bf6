// LineReader: splits what arrives on a non-blocking descriptor into lines. Used for the JSON-lines
// channel from a worker process and for a child's output. One owner thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace fossa {

class LineReader {
 public:
  explicit LineReader(int fd) : fd_(fd) {}

  // Reads what is available now, at most `max_bytes`, and appends complete lines (without '\n') to
  // `lines`. A loop with other work passes a budget, so that a writer faster than the loop cannot
  // hold it (and fill its memory) for as long as it writes; poll(2) asks again for the rest.
  // Returns false once the writer has closed its end (a last partial line is flushed then).
  bool read_available(std::vector<std::string>& lines, std::size_t max_bytes = SIZE_MAX);
  bool at_eof() const { return eof_; }
  int fd() const { return fd_; }

 private:
  int fd_;
  std::string partial_;
  bool eof_ = false;
};

}  // namespace fossa
