// The gateway's door under attack (issue 22): unauthenticated bodies that are never read, a login
// answered while slow nodes hold every node-calling thread, and an answer a node's reply would
// split. Real fossa-gateway processes on loopback; the nodes that misbehave are stand-ins on the
// project's own HTTP server, in this process. Every wait is bounded; nothing sleeps.
#include <gtest/gtest.h>

#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

#include "net/http.h"
#include "net/http_server.h"
#include "net/router.h"
#include "raw_connection.h"
#include "support/command.h"
#include "support/node_process.h"
#include "support/test_client.h"

namespace {

using fossa::abuse::proc_status;
using fossa::abuse::RawConnection;
using fossa::abuse::status_of;
using fossa::testing::NodeProcess;
using namespace std::chrono_literals;

const std::string kPassword = "a long enough gateway password";
// "fossa:<kPassword>" in base64.
const std::string kCredentials = "Basic Zm9zc2E6YSBsb25nIGVub3VnaCBnYXRld2F5IHBhc3N3b3Jk";

std::string gateway_bin() {
  return (std::filesystem::path(fossa::testing::fossa_bin()).parent_path() / "fossa-gateway").string();
}

std::unique_ptr<NodeProcess> start_gateway(const std::string& node_url, const std::vector<std::string>& more = {}) {
  std::vector<std::string> args = {"--port", "0", "--bind", "127.0.0.1", "--node", node_url};
  args.insert(args.end(), more.begin(), more.end());
  return std::make_unique<NodeProcess>(
      NodeProcess::Launch{gateway_bin(), args, {"GATEWAY_HTTP_PASSWORD=" + kPassword}, "fossa-gateway ready"});
}

// A logged-in user's request: its status, or 0 without an answer within 20 s.
int user_gets(const NodeProcess& gateway, const std::string& path) {
  fossa::testing::TestClient client(gateway.port());
  client.timeout(20s).basic_auth("fossa", kPassword);
  return client.get(path).status;
}

// A stand-in for a worker node, on our own server in this process: /healthz answers; node_info
// answers at once, or — when held — only once the test lets it (no thread waits meanwhile); a
// POSTed task is answered with the task id the test chose.
class StandInNode {
 public:
  explicit StandInNode(std::string task_id = "abcde-1") : task_id_(std::move(task_id)) {
    router_.get("/healthz", [](const fossa::net::Request&, fossa::net::Response& res) {
      fossa::net::send_json(res, 200, {{"status", "ok"}});
    });
    router_.get_async("/api/0.01/node_info", [this](const fossa::net::Request&, fossa::net::Responder respond) {
      std::unique_lock lock(mutex_);
      if (!holding_) return respond(node_info());
      // The timer keeps the connection open while the answer is held (a Responder alone does not).
      respond.after(std::chrono::minutes(2), [respond] { respond(node_info()); });
      held_.push_back(std::move(respond));
      changed_.notify_all();
    });
    router_.post("/api/0.01/task", [this](const fossa::net::Request&, fossa::net::Response& res) {
      fossa::net::send_json(res, 200, {{"task_id", task_id_}, {"governor_accepted_ident", "stand-in"}});
    });
    server_ = std::make_unique<fossa::net::HttpServer>(router_, fossa::net::HttpServerOptions{});
    port_ = server_->listen("127.0.0.1", 0).value();
    server_->start();
  }
  ~StandInNode() {
    release();
    server_->stop();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

  void hold() {
    std::lock_guard lock(mutex_);
    holding_ = true;
  }
  // Waits until `count` node_info calls are held; false after a minute (a hang guard).
  bool wait_until_holding(std::size_t count) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 60s, [&] { return held_.size() >= count; });
  }
  void release() {
    std::vector<fossa::net::Responder> waiting;
    {
      std::lock_guard lock(mutex_);
      holding_ = false;
      waiting.swap(held_);
    }
    for (auto& respond : waiting) respond(node_info());
  }

 private:
  static fossa::net::Response node_info() {
    fossa::net::Response res;
    fossa::net::send_json(res, 200,
                          {{"node_info", {{"node_ident", "stand-in"}, {"max_concurrent_tasks", 1}, {"available_processing_capacity", 1}}},
                           {"running_tasks", ayeaye::Json::array()},
                           {"recent_completed_tasks", ayeaye::Json::array()}});
    return res;
  }

  std::string task_id_;
  fossa::net::Router router_;
  std::unique_ptr<fossa::net::HttpServer> server_;
  int port_ = 0;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool holding_ = false;
  std::vector<fossa::net::Responder> held_;
};

// Sends `bytes` without blocking, until all are sent or the server has answered or closed.
void send_until_answered(RawConnection& connection, std::size_t bytes) {
  const std::string chunk(1 << 16, 'a');
  std::size_t sent = 0;
  while (sent < bytes && !connection.answered_or_closed()) {
    pollfd p{connection.fd(), POLLOUT | POLLIN, 0};
    if (::poll(&p, 1, 10'000) <= 0) return;  // neither reading nor answering: give up
    if ((p.revents & POLLOUT) == 0) continue;
    const auto n = ::send(connection.fd(), chunk.data(), std::min(chunk.size(), bytes - sent), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return;
    if (n > 0) sent += static_cast<std::size_t>(n);
  }
}

// The status line of the answer waiting on `connection` (0: none within 30 s).
int answer_status(RawConnection& connection) {
  if (!connection.answered_or_closed(30s)) return 0;
  char head[64] = {};
  const auto n = ::recv(connection.fd(), head, sizeof head - 1, 0);
  return n > 0 ? status_of(std::string(head, static_cast<std::size_t>(n))) : 0;
}

// 400 connections without credentials each announce a body of 1 MiB and send all of it but its
// last byte. Held, those bodies were 400 MiB; the gateway answers 401 on the head and keeps none.
TEST(GatewayDoorAbuse, BodiesOfUnauthenticatedRequestsAreNeverRead) {
  constexpr int kConnections = 400;
  constexpr std::size_t kBody = 1 << 20;
  StandInNode node;
  auto gateway = start_gateway(node.url(), {"--request-timeout", "120"});
  ASSERT_EQ(user_gets(*gateway, "/api/clusters"), 200);
  const long before_kb = proc_status(gateway->pid(), "VmRSS");
  std::vector<RawConnection> attackers;
  attackers.reserve(kConnections);
  for (int i = 0; i < kConnections; ++i) {
    attackers.emplace_back(gateway->port(), "127.0.0." + std::to_string(2 + i / 200));
    ASSERT_TRUE(attackers.back().send("POST /api/clusters/local/jobs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                      "Content-Length: " + std::to_string(kBody) + "\r\n\r\n"));
    send_until_answered(attackers.back(), kBody - 1);
  }
  const long during_kb = proc_status(gateway->pid(), "VmRSS");
  RecordProperty("rss_before_kb", static_cast<int>(before_kb));
  RecordProperty("rss_during_kb", static_cast<int>(during_kb));
  EXPECT_LT(during_kb - before_kb, 32 * 1024) << "resident memory went from " << before_kb << " kB to " << during_kb
                                              << " kB while " << kConnections << " bodies of 1 MiB came in";
  int refused = 0;
  for (auto& attacker : attackers) {
    if (!attacker.answered_or_closed()) attacker.send("a");  // the body's last byte, for a server that waits for it
    refused += answer_status(attacker) == 401 ? 1 : 0;
  }
  EXPECT_EQ(refused, kConnections) << "every one answered 401";
  EXPECT_EQ(user_gets(*gateway, "/api/clusters"), 200);
}

// Slow nodes hold every thread that calls nodes (8): a login is still answered on the door's own
// thread, and a page that calls no node is still served; the node pages, once the nodes answer.
TEST(GatewayDoorAbuse, SlowNodesDelayNeitherTheLoginNorThePagesThatCallNoNode) {
  constexpr std::size_t kNodeCallThreads = 8;
  StandInNode node;
  auto gateway = start_gateway(node.url(), {"--node-timeout", "120"});
  node.hold();
  std::vector<RawConnection> pages;
  for (std::size_t i = 0; i < kNodeCallThreads + 4; ++i) {
    pages.emplace_back(gateway->port());
    ASSERT_TRUE(pages.back().send("GET /api/clusters/local/nodes/" + node.address() + " HTTP/1.1\r\nHost: x\r\n"
                                  "Authorization: " + kCredentials + "\r\nConnection: close\r\n\r\n"));
  }
  ASSERT_TRUE(node.wait_until_holding(kNodeCallThreads)) << "the gateway's node calls reached the node";

  RawConnection anonymous(gateway->port(), "127.0.0.2");
  ASSERT_TRUE(anonymous.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  EXPECT_EQ(answer_status(anonymous), 401) << "answered while every node call waits";
  EXPECT_EQ(user_gets(*gateway, "/api/clusters"), 200) << "a page that calls no node, served meanwhile";

  node.release();
  int served = 0;
  for (auto& page : pages) served += answer_status(page) == 200 ? 1 : 0;
  EXPECT_EQ(served, static_cast<int>(pages.size()));
}

// A node answers a task with an id that holds CR LF and a page of its own: the gateway would have
// copied it into Location. No answer goes out with such a header, whichever handler made it.
TEST(GatewayDoorAbuse, ANodesIdNeverSplitsTheGatewaysAnswer) {
  StandInNode node("abcde-1\r\nSet-Cookie: injected=1\r\nContent-Length: 20\r\n\r\n<script>alert(1)</script>");
  auto gateway = start_gateway(node.url());
  RawConnection client(gateway->port());
  const std::string task = R"({"model_class": "NothingEtl"})";
  ASSERT_TRUE(client.send("POST /api/clusters/local/jobs HTTP/1.1\r\nHost: x\r\nAuthorization: " + kCredentials +
                          "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(task.size()) +
                          "\r\nConnection: close\r\n\r\n" + task));
  const std::string answer = client.read_until_closed(30s);
  const std::string head = answer.substr(0, answer.find("\r\n\r\n"));
  EXPECT_GE(status_of(answer), 500) << answer;
  EXPECT_EQ(head.find("injected"), std::string::npos) << answer;
  EXPECT_EQ(head.find("Location"), std::string::npos) << answer;
  EXPECT_EQ(answer.find("HTTP/1.1", 1), std::string::npos) << "one answer, not two: " << answer;
  EXPECT_EQ(user_gets(*gateway, "/api/clusters"), 200);
}

}  // namespace
