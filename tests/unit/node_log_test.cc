// The node's log on stderr (node/node_log.h): a line goes out when it is logged, unless the
// logging thread holds its lines, which then go out together, in order, when the hold ends.
#include "node/node_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <stdexcept>
#include <string>
#include <thread>

namespace {

using fossa::node::NodeLog;

// Points stderr at a pipe for the test's length and reads what has reached it so far.
class CapturedStderr {
 public:
  CapturedStderr() {
    int ends[2];
    if (::pipe2(ends, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
    // Reads never wait; writes have room for more than the log ever holds (64 KB) at once.
    ::fcntl(ends[0], F_SETFL, O_NONBLOCK);
    ::fcntl(ends[1], F_SETPIPE_SZ, 1 << 20);
    read_end_ = ends[0];
    saved_ = ::dup(STDERR_FILENO);
    ::dup2(ends[1], STDERR_FILENO);
    ::close(ends[1]);
  }
  ~CapturedStderr() {
    ::dup2(saved_, STDERR_FILENO);
    ::close(saved_);
    ::close(read_end_);
  }
  // What is in the pipe now (never waits).
  std::string take() {
    std::string text;
    char buffer[4096];
    for (;;) {
      const ssize_t n = ::read(read_end_, buffer, sizeof buffer);
      if (n > 0) {
        text.append(buffer, static_cast<std::size_t>(n));
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      return text;  // EAGAIN: empty for now
    }
  }

 private:
  int read_end_ = -1;
  int saved_ = -1;
};

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(NodeLog, ALineIsOnStderrAsSoonAsItIsLogged) {
  CapturedStderr err;
  NodeLog log(fossa::node::LogFormat::kText);
  log.info("first", {{"task_id", "abc-1"}});
  const std::string text = err.take();
  EXPECT_TRUE(has(text, " info first task_id=abc-1\n")) << text;
}

TEST(NodeLog, HeldLinesGoOutTogetherInOrderWhenTheHoldEnds) {
  CapturedStderr err;
  NodeLog log(fossa::node::LogFormat::kText);
  {
    const NodeLog::Held held;
    log.info("one");
    log.warn("two");
    log.error("three");
    EXPECT_EQ(err.take(), "") << "held: nothing written yet";
  }
  const std::string text = err.take();
  const auto one = text.find(" info one\n");
  const auto two = text.find(" warning two\n");
  const auto three = text.find(" error three\n");
  ASSERT_NE(one, std::string::npos) << text;
  ASSERT_NE(two, std::string::npos) << text;
  ASSERT_NE(three, std::string::npos) << text;
  EXPECT_LT(one, two);
  EXPECT_LT(two, three);
  log.info("after");
  EXPECT_TRUE(has(err.take(), " info after\n")) << "the hold has ended: at once again";
}

TEST(NodeLog, AnotherThreadsLinesAreNotHeld) {
  CapturedStderr err;
  NodeLog log(fossa::node::LogFormat::kText);
  const NodeLog::Held held;
  std::thread other([&] { log.info("from the link's thread"); });
  other.join();
  EXPECT_TRUE(has(err.take(), "from the link's thread")) << "written at once, though this thread holds its own";
}

TEST(NodeLog, HeldLinesThatFillTheBufferGoOutBeforeTheHoldEnds) {
  CapturedStderr err;
  NodeLog log(fossa::node::LogFormat::kText);
  const NodeLog::Held held;
  const std::string long_message(1000, 'x');
  std::string written;
  // 64 KB held at most: by 70 lines of 1 KB the first of them are out (read as they go, so that
  // the pipe never fills).
  for (int i = 0; i < 70; ++i) {
    log.info(long_message, {{"line", std::to_string(i)}});
    written += err.take();
  }
  EXPECT_TRUE(has(written, "line=0\n")) << "the first lines went out while the hold lasts";
  EXPECT_FALSE(has(written, "line=69\n")) << "the last is still held";
}

}  // namespace
