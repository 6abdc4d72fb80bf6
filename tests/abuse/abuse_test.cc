// The HTTP abuse suite: each attack of issue 13 against a real `fossa node` and `fossa-gateway` on
// loopback. Every test checks the server's answer to the attack, that a well-behaved client is
// served meanwhile (a health check on the node, a logged-in user on the gateway), and that the
// server's resident memory after the attack is within twice what it was before. Every loop is
// bounded in count and in time; nothing sleeps to synchronise.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <sstream>
#include <thread>
#include <vector>

#include "net/http_server.h"
#include "raw_connection.h"
#include "support/command.h"
#include "support/gate.h"
#include "support/node_process.h"
#include "support/stand_in_node.h"
#include "support/test_client.h"

namespace {

using fossa::abuse::proc_status;
using fossa::abuse::RawConnection;
using fossa::abuse::status_of;
using fossa::testing::Gate;
using fossa::testing::NodeProcess;
using fossa::testing::TestClient;
using namespace std::chrono_literals;

const std::string kPassword = "a long enough gateway password";
// "fossa:" + kPassword, in base64, for raw requests to the gateway.
const std::string kBasicAuth = "Basic Zm9zc2E6YSBsb25nIGVub3VnaCBnYXRld2F5IHBhc3N3b3Jk";
constexpr int kSlowClients = 1000;

std::string gateway_bin() {
  return (std::filesystem::path(fossa::testing::fossa_bin()).parent_path() / "fossa-gateway").string();
}

// A loopback source address for the i-th of many attacking connections, so that a thousand stay
// under the per-address cap (256): 127.0.0.2 to 127.0.0.5.
std::string attacker_address(int i) { return "127.0.0." + std::to_string(2 + i / 250); }

// The server under attack and how a normal client checks it is still served.
struct Target {
  std::unique_ptr<NodeProcess> node;     // always: the node, or the gateway's node
  std::unique_ptr<NodeProcess> gateway;  // the gateway in front of it, when the gateway is attacked
  NodeProcess& server() const { return gateway ? *gateway : *node; }
  int port() const { return server().port(); }
  pid_t pid() const { return server().pid(); }

  // The node's health check, or a logged-in user's page on the gateway: 200.
  void expect_served() const {
    TestClient client(port());
    client.timeout(30s, 10s);
    if (gateway) client.basic_auth("fossa", kPassword);
    const auto answer = client.get(gateway ? "/api/clusters" : "/healthz");
    ASSERT_TRUE(answer.answered()) << "a normal client got no answer: " << answer.error;
    EXPECT_EQ(answer.status, 200);
  }
};

Target node(const std::vector<std::string>& args = {}) {
  Target t;
  t.node = std::make_unique<NodeProcess>(args);
  return t;
}

Target gateway(const std::vector<std::string>& args = {}) {
  Target t;
  t.node = std::make_unique<NodeProcess>();
  std::vector<std::string> all = {"--port", "0", "--bind", "127.0.0.1", "--node", t.node->url()};
  all.insert(all.end(), args.begin(), args.end());
  t.gateway = std::make_unique<NodeProcess>(
      NodeProcess::Launch{gateway_bin(), all, {"GATEWAY_HTTP_PASSWORD=" + kPassword}, "fossa-gateway ready"});
  return t;
}

// What an attack may leave in the server's resident memory, in absolute terms: a bound relative to
// the start (twice as much, say) would let a leak the size of the whole server (about 10 MB) through.
// The allocator keeps some of a busy moment's buffers: at most 1.2 MB seen here after the attacks
// of a few connections, 9.4 MB after those of a thousand, which get a bound of their own. Each test
// records its growth as the property rss_growth_kb (--gtest_output=xml).
constexpr long kMaxGrowthKb = 4 * 1024;
constexpr long kMaxGrowthAfterAThousandKb = 16 * 1024;

// Memory before an attack (the server warmed by one normal request), checked after it.
class MemoryWatch {
 public:
  explicit MemoryWatch(const Target& target, long max_growth_kb = kMaxGrowthKb) : target_(target), max_growth_kb_(max_growth_kb) {
    target.expect_served();
    before_kb_ = proc_status(target.pid(), "VmRSS");
  }
  void expect_little_growth() const {
    const long after = proc_status(target_.pid(), "VmRSS");
    ::testing::Test::RecordProperty("rss_growth_kb", std::to_string(after - before_kb_));
    EXPECT_LE(after - before_kb_, max_growth_kb_) << "resident memory went from " << before_kb_ << " kB to " << after << " kB";
  }

 private:
  const Target& target_;
  long max_growth_kb_;
  long before_kb_ = 0;
};

class Abuse : public ::testing::TestWithParam<bool> {
 protected:
  static void SetUpTestSuite() { fossa::net::raise_open_file_limit(); }
  bool at_gateway() const { return GetParam(); }
  Target target(const std::vector<std::string>& args = {}) const { return at_gateway() ? gateway(args) : node(args); }
};

// Slowloris: a thousand connections that each send a request line and then a header now and
// then hold no thread, so the normal client is served while all of them are open.
TEST_P(Abuse, AThousandSlowConnectionsDoNotStopANormalClient) {
  Target t = target();
  MemoryWatch memory(t, kMaxGrowthAfterAThousandKb);
  std::vector<RawConnection> slow;
  slow.reserve(kSlowClients);
  for (int i = 0; i < kSlowClients; ++i) {
    slow.emplace_back(t.port(), attacker_address(i));
    ASSERT_TRUE(slow.back().send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")) << i;
  }
  t.expect_served();
  for (auto& connection : slow) ASSERT_TRUE(connection.send("X-Slow: 1\r\n"));
  t.expect_served();
  int still_open = 0;
  for (auto& connection : slow) still_open += connection.answered_or_closed() ? 0 : 1;
  EXPECT_EQ(still_open, kSlowClients) << "the slow connections are held, not refused";
  slow.clear();
  t.expect_served();
  memory.expect_little_growth();
}

// One connection sending headers without end is cut off at the header limit (64 KiB) with 431.
TEST_P(Abuse, AnEndlessStreamOfHeadersIsAnswered431AtTheLimit) {
  Target t = target();
  MemoryWatch memory(t);
  RawConnection attacker(t.port(), "127.0.0.2");
  ASSERT_TRUE(attacker.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
  std::size_t sent = 0;
  int line = 0;
  const std::string answer = attacker.flood(
      [&line] { return "X-Header-" + std::to_string(line++) + ": " + std::string(1000, 'a') + "\r\n"; }, 256 << 20, sent);
  EXPECT_EQ(status_of(answer), 431) << answer;
  EXPECT_LT(sent, 64u << 20) << "the server stopped the stream long before 64 MiB";
  t.expect_served();
  memory.expect_little_growth();
}

// A chunked body is held to the body limit like any other (node 1 MiB, gateway 64 KiB): 413. The
// request passes every check made on its head (logged in, on the gateway; sent as JSON), so that
// its body is read.
TEST_P(Abuse, AChunkedBodyBeyondTheLimitIsAnswered413) {
  Target t = target();
  MemoryWatch memory(t);
  RawConnection attacker(t.port(), "127.0.0.2");
  const std::string login = at_gateway() ? "Authorization: " + kBasicAuth + "\r\n" : "";
  ASSERT_TRUE(attacker.send("POST /api/0.01/task HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + login +
                            "Transfer-Encoding: chunked\r\n\r\n"));
  const std::string chunk = "10000\r\n" + std::string(0x10000, 'a') + "\r\n";
  std::size_t sent = 0;
  const std::string answer = attacker.flood([&chunk] { return chunk; }, 400 << 20, sent);
  EXPECT_EQ(status_of(answer), 413) << answer.substr(0, 300);
  EXPECT_LT(sent, 64u << 20);
  t.expect_served();
  memory.expect_little_growth();
}

// Request smuggling's raw material: lengths that two parsers could read differently are refused,
// though each request carries a task the node would otherwise run.
TEST_P(Abuse, AmbiguousBodyLengthsAreRefused400) {
  Target t = target();
  MemoryWatch memory(t);
  const std::string task = R"({"model_class":"NothingEtl"})";
  const std::string length = std::to_string(task.size());
  // At the gateway, the job route, logged in: each request would reach the node as a task. Sent as
  // JSON, so the lengths are the only thing wrong.
  const std::string head = std::string(t.gateway ? "POST /api/clusters/local/jobs" : "POST /api/0.01/task") +
                           " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\n" +
                           (t.gateway ? "Authorization: " + kBasicAuth + "\r\n" : "");
  std::ostringstream chunked;
  chunked << std::hex << task.size() << "\r\n" << task << "\r\n0\r\n\r\n";
  for (const std::string& attack : {head + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked.str(),
                                    head + "Content-Length: " + length + "\r\nContent-Length: " + length + "\r\n\r\n" + task,
                                    head + "Content-Length: " + length + "abc\r\n\r\n" + task}) {
    RawConnection attacker(t.port(), "127.0.0.2");
    ASSERT_TRUE(attacker.send(attack));
    EXPECT_EQ(status_of(attacker.read_until_closed()), 400) << attack;
  }
  const auto info = t.node->get("/api/0.01/node_info").json();
  EXPECT_TRUE(info["running_tasks"].empty() && info["recent_completed_tasks"].empty()) << "no task came through: " << info;
  // The same request with one honest length is taken: what was refused was the lengths alone.
  RawConnection honest(t.port(), "127.0.0.2");
  ASSERT_TRUE(honest.send(head + "Content-Length: " + length + "\r\n\r\n" + task));
  EXPECT_EQ(status_of(honest.read_until_closed()), t.gateway ? 201 : 200);
  const auto after = t.node->get("/api/0.01/node_info").json();
  EXPECT_EQ(after["running_tasks"].size() + after["recent_completed_tasks"].size(), 1u) << after;
  t.expect_served();
  memory.expect_little_growth();
}

// A connection that begins a request and never ends it is closed at the request deadline; one
// kept alive after an answer is closed at the idle time-out. Both set to 1 s here.
TEST_P(Abuse, AnUnfinishedRequestAndAnIdleConnectionAreClosed) {
  Target t = target({"--request-timeout", "1", "--idle-timeout", "1"});
  MemoryWatch memory(t);
  RawConnection unfinished(t.port(), "127.0.0.2");
  ASSERT_TRUE(unfinished.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
  RawConnection idle(t.port(), "127.0.0.3");
  ASSERT_TRUE(idle.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  EXPECT_TRUE(unfinished.closed(30s)) << "closed without an answer";
  const std::string answered = idle.read_until_closed(30s);  // the answer, then the close
  EXPECT_EQ(status_of(answered), at_gateway() ? 401 : 200);
  EXPECT_TRUE(idle.closed());
  t.expect_served();
  memory.expect_little_growth();
}

// Beyond the per-address cap a new connection is answered 503 and closed; other addresses are served.
TEST_P(Abuse, ConnectionsBeyondThePerAddressCapAreRefused) {
  Target t = target({"--max-connections-per-address", "8"});
  MemoryWatch memory(t);
  std::vector<RawConnection> held;
  for (int i = 0; i < 8; ++i) held.emplace_back(t.port(), "127.0.0.2");
  t.expect_served();  // from 127.0.0.1
  RawConnection ninth(t.port(), "127.0.0.2");
  const std::string answer = ninth.read_until_closed(30s);
  EXPECT_EQ(status_of(answer), 503) << answer;
  held.clear();
  t.expect_served();
  memory.expect_little_growth();
}

INSTANTIATE_TEST_SUITE_P(NodeAndGateway, Abuse, ::testing::Values(false, true),
                         [](const auto& instance) { return instance.param ? "Gateway" : "Node"; });

// A Range header with hundreds of parts gets the document once, whole: ranges are not served.
TEST(NodeAbuse, ARangeOfManyPartsGetsTheWholeDocumentOnce) {
  Target t = node();
  MemoryWatch memory(t);
  RawConnection plain(t.port());
  ASSERT_TRUE(plain.send("GET /static/fossa.css HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
  const std::string whole = plain.read_until_closed();
  std::string ranges;
  for (int i = 0; i < 300; ++i) ranges += std::string(i == 0 ? "" : ",") + "0-";
  RawConnection attacker(t.port(), "127.0.0.2");
  ASSERT_TRUE(attacker.send("GET /static/fossa.css HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nRange: bytes=" + ranges +
                            "\r\n\r\n"));
  const std::string answer = attacker.read_until_closed();
  EXPECT_EQ(status_of(answer), 200);
  EXPECT_EQ(answer.size(), whole.size());
  t.expect_served();
  memory.expect_little_growth();
}

// A thousand long polls on a running task hold no thread each: the node's threads stay as they
// were, its health check answers, and every poll gets the document when the task ends.
TEST(NodeAbuse, AThousandLongPollsHoldNoThreadAndAllHearTheEnd) {
  Target t = node();
  MemoryWatch memory(t, kMaxGrowthAfterAThousandKb);
  Gate gate;
  const std::string id = t.node->submit({{"model_class", "GateEtl"}, {"resolver_context", {{"gate", gate.path()}}}});
  ASSERT_FALSE(id.empty());
  const long threads_before = proc_status(t.pid(), "Threads");
  std::vector<RawConnection> polls;
  polls.reserve(kSlowClients);
  for (int i = 0; i < kSlowClients; ++i) {
    polls.emplace_back(t.port(), attacker_address(i));
    ASSERT_TRUE(polls.back().send("GET /api/0.01/task/" + id + "?wait=30 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
  }
  t.expect_served();
  EXPECT_LE(proc_status(t.pid(), "Threads"), threads_before) << "no thread per waiting poll";
  int waiting = 0;
  for (auto& poll : polls) waiting += poll.answered_or_closed() ? 0 : 1;
  EXPECT_EQ(waiting, kSlowClients) << "the polls wait for the task's end";
  gate.open();
  int complete = 0;
  for (auto& poll : polls) {
    const std::string answer = poll.read_until_closed(60s);
    complete += status_of(answer) == 200 && answer.find("\"status\":\"complete\"") != std::string::npos ? 1 : 0;
  }
  EXPECT_EQ(complete, kSlowClients);
  polls.clear();
  t.expect_served();
  memory.expect_little_growth();
}

// A stand-in for a node that misbehaves: answers /healthz, then node_info either a byte at a time
// (until the client goes) or with a body larger than the gateway reads. On a thread; loopback.
class BadNode {
 public:
  enum class Mode { kTrickle, kHuge };
  explicit BadNode(Mode mode) : mode_(mode), listener_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), size) != 0 || ::listen(listener_, 64) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
      throw std::runtime_error("cannot listen for the bad node");
    }
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~BadNode() {
    stop_ = true;
    ::shutdown(listener_, SHUT_RDWR);
    thread_.join();
    ::close(listener_);
  }
  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  void serve() {
    while (!stop_) {
      const int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) return;
      std::string request;
      char buffer[4096];
      while (request.find("\r\n\r\n") == std::string::npos) {
        const auto n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) break;
        request.append(buffer, static_cast<std::size_t>(n));
      }
      if (request.find("/healthz") != std::string::npos) {
        send_all(fd, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
      } else if (mode_ == Mode::kHuge) {
        send_all(fd, "HTTP/1.1 200 OK\r\nContent-Length: 67108864\r\nConnection: close\r\n\r\n");
        const std::string block(1 << 16, ' ');
        for (int i = 0; i < 1024 && !stop_ && send_all(fd, block); ++i) {
        }
      } else {
        send_all(fd, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n");
        // A byte every 100 ms (the attack's own pace, not a synchronisation) until the gateway goes.
        for (int i = 0; i < 600 && !stop_; ++i) {
          pollfd p{fd, POLLIN, 0};
          if (::poll(&p, 1, 100) > 0) break;  // the gateway closed
          if (!send_all(fd, " ")) break;
        }
      }
      ::close(fd);
    }
  }
  static bool send_all(int fd, const std::string& bytes) {
    return ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
  }

  Mode mode_;
  int listener_;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

void expect_gateway_gives_up_on(BadNode::Mode mode, const std::string& named) {
  BadNode bad(mode);
  auto node = std::make_unique<NodeProcess>();
  Target t;
  t.node = std::move(node);
  t.gateway = std::make_unique<NodeProcess>(NodeProcess::Launch{
      gateway_bin(),
      {"--port", "0", "--bind", "127.0.0.1", "--node", t.node->url(), "--node", bad.url(), "--node-timeout", "1",
       "--node-max-bytes", "1048576"},
      {"GATEWAY_HTTP_PASSWORD=" + kPassword},
      "fossa-gateway ready"});
  MemoryWatch memory(t);
  std::thread asking([&] {
    const auto answer = TestClient(t.port()).basic_auth("fossa", kPassword).get("/api/clusters/local/nodes/127.0.0.1:" +
                                                                               std::to_string(bad.port()));
    ASSERT_TRUE(answer.answered()) << answer.error;
    EXPECT_EQ(answer.status, 502);
    EXPECT_NE(answer.body.find(named), std::string::npos) << answer.body;
  });
  t.expect_served();
  asking.join();
  t.expect_served();
  memory.expect_little_growth();
}

TEST(GatewayAbuse, ANodeThatTricklesIsGivenUpAtTheDeadlineWith502) {
  expect_gateway_gives_up_on(BadNode::Mode::kTrickle, "--node-timeout");
}

TEST(GatewayAbuse, ANodeAnsweringTooMuchIsCutOffAtTheCapWith502) {
  expect_gateway_gives_up_on(BadNode::Mode::kHuge, "--node-max-bytes");
}

// Issue 22: JSON is read in time linear in its size. A mebibyte of empty objects (`{},{},…`, over
// which nlohmann's parser with a callback took about 100 s) is answered within the server's own
// request deadline (--request-timeout, given here), on as many connections at once as the server
// has threads that read bodies (the node's 2 I/O threads, the gateway's 8 handler threads), and a
// normal client is answered within that deadline meanwhile. The task names a model no node has:
// the body is read whole (by the gateway, then by its node), then refused with 412.
// Memory is not held to twice here, unlike the other attacks: the document of a mebibyte of `{}`
// is some 30 MB while it is read, and glibc keeps a thread's arena once grown, so the servers stay
// 30 to 60 MB higher per thread that read one (a node: 15 MB, 119 MB after two at once, 140 MB
// after five rounds of two and no more: a plateau, not a leak).
constexpr auto kRequestDeadline = std::chrono::seconds(10);

std::string mebibyte_of_empty_objects() {
  std::string body = R"({"model_class": "NoSuchModel", "method_kwargs": {"rows": [{})";
  const std::string end = "]}}";
  while (body.size() + 3 + end.size() <= (1u << 20)) body += ",{}";
  return body + end;
}

// A normal client's request (the node's health check, the gateway's clusters), answered within
// the request deadline.
void expect_answered_within_the_deadline(const Target& t) {
  RawConnection normal(t.port());
  ASSERT_TRUE(normal.send(std::string("GET ") + (t.gateway ? "/api/clusters" : "/healthz") +
                          " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" +
                          (t.gateway ? "Authorization: " + kBasicAuth + "\r\n" : std::string()) + "\r\n"));
  EXPECT_EQ(status_of(normal.read_until_closed(kRequestDeadline)), 200) << "the normal client is served meanwhile";
}

TEST_P(Abuse, AMebibyteOfEmptyObjectsIsAnsweredWithinTheRequestDeadline) {
  Target t = target({"--request-timeout", std::to_string(kRequestDeadline.count())});
  t.expect_served();
  const std::string body = mebibyte_of_empty_objects();
  const std::string head = std::string("POST ") + (at_gateway() ? "/api/clusters/local/jobs" : "/api/0.01/task") +
                           " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\n" +
                           (at_gateway() ? "Authorization: " + kBasicAuth + "\r\n" : std::string()) +
                           "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  const int posts = at_gateway() ? 8 : 2;
  std::vector<RawConnection> attackers;
  for (int i = 0; i < posts; ++i) {
    attackers.emplace_back(t.port(), attacker_address(i * 250));
    ASSERT_TRUE(attackers.back().send(head + body)) << i;
  }
  expect_answered_within_the_deadline(t);
  for (auto& attacker : attackers) {
    const std::string answer = attacker.read_until_closed(kRequestDeadline);
    EXPECT_EQ(status_of(answer), 412) << "answered within the request deadline: " << answer.substr(0, 300);
    EXPECT_NE(answer.find("NoSuchModel"), std::string::npos) << answer.substr(0, 300);
  }
  expect_answered_within_the_deadline(t);
}

// Issue 22: the gateway reads a node's node_info in linear time too. A node answering a mebibyte
// of empty objects (a 4 MB one cost the gateway 529 s of CPU) leaves the jobs list and a POST
// answered within the request deadline, the node's junk skipped. (Memory: as above.)
TEST(GatewayAbuse, ANodeInfoOfAMebibyteOfEmptyObjectsIsReadWithinTheRequestDeadline) {
  std::string tasks = "[{}";
  while (tasks.size() < (1u << 20)) tasks += ",{}";
  tasks += "]";
  const std::string info = R"({"node_info": {"node_ident": "junk", "max_concurrent_tasks": 1, "available_processing_capacity": 0},
                                "running_tasks": )" + tasks + R"(, "recent_completed_tasks": )" + tasks + "}";
  fossa::testing::StandInNode junk([&info](fossa::net::Router& router) {
    router.get("/api/0.01/node_info", [&info](const fossa::net::Request&, fossa::net::Response& res) {
      res.set_content(info, "application/json");
    });
  });
  Target t;
  t.node = std::make_unique<NodeProcess>();
  t.gateway = std::make_unique<NodeProcess>(NodeProcess::Launch{
      gateway_bin(),
      {"--port", "0", "--bind", "127.0.0.1", "--node", t.node->url(), "--node", junk.url(), "--request-timeout",
       std::to_string(kRequestDeadline.count())},
      {"GATEWAY_HTTP_PASSWORD=" + kPassword},
      "fossa-gateway ready"});
  t.expect_served();
  const std::string task = R"({"model_class": "NothingEtl"})";
  const std::string auth = "Authorization: " + kBasicAuth + "\r\n";
  std::vector<RawConnection> requests;
  for (int i = 0; i < 4; ++i) {
    requests.emplace_back(t.port(), attacker_address(i * 250));
    ASSERT_TRUE(requests.back().send(i % 2 == 0 ? "GET /api/clusters/local/jobs HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + auth + "\r\n"
                                                : "POST /api/clusters/local/jobs HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + auth +
                                                      "Content-Type: application/json\r\nContent-Length: " +
                                                      std::to_string(task.size()) + "\r\n\r\n" + task));
  }
  expect_answered_within_the_deadline(t);
  for (int i = 0; i < 4; ++i) {
    const std::string answer = requests[i].read_until_closed(kRequestDeadline);
    EXPECT_EQ(status_of(answer), i % 2 == 0 ? 200 : 201) << "answered within the request deadline: " << answer.substr(0, 300);
  }
  expect_answered_within_the_deadline(t);
}

}  // namespace
