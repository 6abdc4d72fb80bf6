#include "process/line_reader.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>

namespace fossa {

bool LineReader::read_available(std::vector<std::string>& lines, std::size_t max_bytes) {
  if (eof_) return false;
  std::array<char, 65536> buffer;  // not cleared: read() fills what is used
  for (std::size_t budget = max_bytes; budget > 0;) {
    const std::size_t asked = std::min(buffer.size(), budget);
    const ssize_t n = ::read(fd_, buffer.data(), asked);
    if (n > 0) {
      budget -= static_cast<std::size_t>(n);
      partial_.append(buffer.data(), static_cast<std::size_t>(n));
      std::size_t start = 0;
      for (std::size_t nl = partial_.find('\n'); nl != std::string::npos; nl = partial_.find('\n', start)) {
        lines.emplace_back(partial_, start, nl - start);
        start = nl + 1;
      }
      partial_.erase(0, start);
      // Less than asked: the pipe held no more (a pipe's read takes all it holds, up to the size
      // asked). Another read would only say EAGAIN; poll(2) says when there is more, or the end.
      if (static_cast<std::size_t>(n) < asked) return true;
      continue;
    }
    if (n == 0) {
      eof_ = true;
      if (!partial_.empty()) lines.push_back(std::move(partial_));
      partial_.clear();
      return false;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return true;
    eof_ = true;
    return false;
  }
  return true;
}

}  // namespace fossa
