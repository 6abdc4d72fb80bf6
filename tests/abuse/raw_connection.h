// A client that misbehaves on purpose, for the abuse tests: a plain TCP connection to a server on
// loopback, from a chosen loopback source address (127.0.0.2, ...: the servers cap connections
// per address), that sends whatever bytes a test likes and notices, between sends, when the server
// has answered or closed. Every wait is bounded; nothing sleeps.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace fossa::abuse {

class RawConnection {
 public:
  RawConnection(int port, const std::string& source = "127.0.0.1") : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    if (fd_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
    sockaddr_in from{};
    from.sin_family = AF_INET;
    ::inet_pton(AF_INET, source.c_str(), &from.sin_addr);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0) {
      throw std::runtime_error("bind " + source + ": " + std::strerror(errno));
    }
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(static_cast<uint16_t>(port));
    ::inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
      throw std::runtime_error(std::string("connect: ") + std::strerror(errno));
    }
  }
  ~RawConnection() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;
  RawConnection(RawConnection&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }

  // False when the server has closed or reset the connection.
  bool send(std::string_view bytes) {
    while (!bytes.empty()) {
      const auto sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (sent <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(sent));
    }
    return true;
  }

  // Whether the server has sent something or closed, waiting at most `wait`.
  bool answered_or_closed(std::chrono::milliseconds wait = std::chrono::milliseconds(0)) {
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, static_cast<int>(wait.count())) > 0;
  }

  // Whether the server has closed the connection (and sent nothing more), waiting at most `wait`.
  bool closed(std::chrono::milliseconds wait = std::chrono::milliseconds(0)) {
    if (!answered_or_closed(wait)) return false;
    char byte = 0;
    return ::recv(fd_, &byte, 1, MSG_PEEK) <= 0;
  }

  // What the server sends until it closes, or `wait` passes without a byte.
  std::string read_until_closed(std::chrono::milliseconds wait = std::chrono::seconds(10)) {
    std::string got;
    char buffer[65536];
    while (answered_or_closed(wait)) {
      const auto n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      got.append(buffer, static_cast<std::size_t>(n));
    }
    return got;
  }

  // Sends `next()` again and again until the server answers or closes, or `max_bytes` are sent.
  // Returns the answer ("" if none came) and counts what was sent in `sent`.
  std::string flood(const std::function<std::string()>& next, std::size_t max_bytes, std::size_t& sent) {
    sent = 0;
    std::string pending;
    while (sent < max_bytes && !answered_or_closed()) {
      pollfd p{fd_, POLLOUT | POLLIN, 0};
      if (::poll(&p, 1, 10'000) <= 0) break;  // the server neither reads nor says anything: give up
      if ((p.revents & POLLOUT) == 0) continue;
      if (pending.empty()) pending = next();
      const auto n = ::send(fd_, pending.data(), pending.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) break;
      if (n > 0) {
        sent += static_cast<std::size_t>(n);
        pending.erase(0, static_cast<std::size_t>(n));
      }
    }
    return read_until_closed();
  }

  int fd() const { return fd_; }

 private:
  int fd_;
};

// The status code of a raw HTTP answer ("HTTP/1.1 431 ..."), or 0.
inline int status_of(const std::string& answer) {
  if (answer.size() < 12 || answer.compare(0, 5, "HTTP/") != 0) return 0;
  return std::atoi(answer.c_str() + 9);
}

// A field of /proc/<pid>/status ("VmRSS", "Threads"), as a number (kB for sizes).
inline long proc_status(pid_t pid, const std::string& field) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::atol(line.c_str() + field.size() + 1);
  }
  return -1;
}

}  // namespace fossa::abuse
