#include "support/node_process.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <stdexcept>

#include "process/line_reader.h"
#include "process/pipe.h"
#include "support/command.h"
#include "support/test_client.h"

namespace fossa::testing {
namespace {

std::string describe(std::chrono::milliseconds timeout) {
  const auto ms = timeout.count();
  return ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms";
}

}  // namespace

ayeaye::Json HttpAnswer::json() const { return ayeaye::Json::parse(body, nullptr, /*allow_exceptions=*/false); }

NodeProcess::NodeProcess(const std::vector<std::string>& args, const std::vector<std::string>& env)
    : NodeProcess(Launch{fossa_bin(), [&] {
                           std::vector<std::string> all = {"node", "--bind", "127.0.0.1", "--port", "0"};
                           all.insert(all.end(), args.begin(), args.end());
                           return all;
                         }(),
                         env, "fossa node ready"}) {}

NodeProcess::NodeProcess(const Launch& launch)
    : name_(std::filesystem::path(launch.executable).filename().string() +
            (launch.arguments.empty() ? "" : " " + launch.arguments.front())) {
  auto err = Pipe::make();
  if (!err) throw std::runtime_error(err.error());
  FileDescriptor null_io(::open("/dev/null", O_RDWR | O_CLOEXEC));
  ChildProcess::Options options;
  options.executable = launch.executable;
  options.arguments = launch.arguments;
  options.extra_environment = launch.environment;
  options.fd_map = {{0, null_io.get()}, {1, null_io.get()}, {2, err->write_end.get()}};
  auto child = ChildProcess::spawn(options);
  if (!child) throw std::runtime_error(child.error());
  process_ = std::make_unique<ChildProcess>(std::move(child).value());
  err->write_end.reset();
  reader_ = std::thread([this, fd = err->read_end.release()] { read_log(fd); });

  const std::regex ready(R"(https?://127\.0\.0\.1:(\d+))");
  std::smatch match;
  try {
    const std::string line = wait_for_log(
        [&](const std::string& l) { return l.find(launch.ready_marker) != std::string::npos; }, kDefaultLogWait,
        "its ready line (\"" + launch.ready_marker + "\")");
    if (!std::regex_search(line, match, ready)) throw std::runtime_error("no URL in the ready line: " + line);
  } catch (...) {
    // No destructor runs for a constructor that throws: end the process and the reader here.
    process_->kill(SIGKILL);
    process_->wait();
    reader_.join();
    throw;
  }
  port_ = std::stoi(match[1]);
  url_ = "http://127.0.0.1:" + std::to_string(port_);
}

NodeProcess::~NodeProcess() {
  // A failed test shows what its nodes said (one failing by an exception, such as a wait's
  // deadline, has not yet been marked failed while it unwinds).
  if (::testing::Test::HasFailure() || std::uncaught_exceptions() > 0) {
    std::lock_guard lock(mutex_);
    std::cerr << "--- log of the node at " << url_ << " (last lines):\n";
    const std::size_t from = lines_.size() > 60 ? lines_.size() - 60 : 0;
    for (std::size_t i = from; i < lines_.size(); ++i) std::cerr << lines_[i] << "\n";
  }
  if (!exit_status_) {
    process_->kill(SIGKILL);
    process_->wait();
  }
  if (reader_.joinable()) reader_.join();
}

void NodeProcess::read_log(int fd) {
  FileDescriptor owned(fd);
  std::string partial;
  char buffer[4096];
  while (true) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    partial.append(buffer, static_cast<std::size_t>(n));
    std::size_t start = 0;
    std::vector<std::string> complete;
    for (auto nl = partial.find('\n'); nl != std::string::npos; nl = partial.find('\n', start)) {
      complete.push_back(partial.substr(start, nl - start));
      start = nl + 1;
    }
    partial.erase(0, start);
    if (!complete.empty()) {
      std::lock_guard lock(mutex_);
      lines_.insert(lines_.end(), complete.begin(), complete.end());
      changed_.notify_all();
    }
  }
  std::lock_guard lock(mutex_);
  if (!partial.empty()) lines_.push_back(partial);
  log_closed_ = true;
  changed_.notify_all();
}

std::string NodeProcess::wait_for_log(const std::function<bool(const std::string&)>& predicate,
                                      std::chrono::milliseconds timeout, const std::string& what) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock lock(mutex_);
  std::size_t seen = 0;
  while (true) {
    for (; seen < lines_.size(); ++seen) {
      if (predicate(lines_[seen])) return lines_[seen];
    }
    if (log_closed_) throw std::runtime_error("the log of " + name_ + " ended without " + what + last_lines());
    if (std::chrono::steady_clock::now() >= deadline) {
      throw std::runtime_error("waited " + describe(timeout) + " for " + what + " in the log of " + name_ + last_lines());
    }
    changed_.wait_until(lock, deadline);
  }
}

std::string NodeProcess::wait_for_log(const std::string& text, std::chrono::milliseconds timeout) {
  return wait_for_log([&](const std::string& line) { return line.find(text) != std::string::npos; }, timeout,
                      "a line containing \"" + text + "\"");
}

// The end of the log, for an error message; the caller holds mutex_.
std::string NodeProcess::last_lines() const {
  constexpr std::size_t kShown = 30;
  const std::size_t from = lines_.size() > kShown ? lines_.size() - kShown : 0;
  std::string text = "; its last " + std::to_string(lines_.size() - from) + " lines:\n";
  for (std::size_t i = from; i < lines_.size(); ++i) text += lines_[i] + "\n";
  return text;
}

std::vector<std::string> NodeProcess::log_lines() {
  std::lock_guard lock(mutex_);
  return lines_;
}

ExitStatus NodeProcess::stop(int signal) {
  process_->kill(signal);
  exit_status_ = process_->wait();
  if (reader_.joinable()) reader_.join();
  return *exit_status_;
}

HttpAnswer NodeProcess::get(const std::string& path) const {
  auto res = TestClient(url_).get(path);
  if (!res.answered()) throw std::runtime_error("GET " + path + " failed: " + res.error);
  return {res.status, std::move(res.body), res.header("Content-Type")};
}

HttpAnswer NodeProcess::post(const std::string& path, const std::string& body) const {
  auto res = TestClient(url_).post(path, body);
  if (!res.answered()) throw std::runtime_error("POST " + path + " failed: " + res.error);
  return {res.status, std::move(res.body), res.header("Content-Type")};
}

std::string NodeProcess::submit(const ayeaye::Json& body) const {
  const HttpAnswer answer = post("/api/0.01/task", body.dump());
  if (answer.status != 200) return "";
  return answer.json().value("task_id", "");
}

ayeaye::Json NodeProcess::wait_for_end(const std::string& task_id) const {
  // Long polls of 30 s; after 2 minutes (a hang guard, not a synchronisation, and within the
  // test's TIMEOUT so the test fails with its own message) the running document.
  for (int polls = 1;; ++polls) {
    const HttpAnswer answer = get("/api/0.01/task/" + task_id + "?wait=30");
    const ayeaye::Json doc = answer.json();
    if (answer.status != 200 || doc.value("status", "") != "running" || polls == 4) return doc;
  }
}

bool process_alive(pid_t pid) {
  if (::kill(pid, 0) != 0) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const auto close = text.rfind(')');
  return close == std::string::npos || close + 2 >= text.size() || text[close + 2] != 'Z';
}

}  // namespace fossa::testing
