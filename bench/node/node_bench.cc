// The node's own figures (issue 3), each beside the floor it cannot beat:
//   start   spawn `fossa node` → /readyz answers 200      beside: spawn + wait of `fossa --version`
//   rss     the node's resident memory (VmRSS): idle once ready, and again after the tasks
//   task    POST NothingEtl → its document says complete  beside: GET /api/0.01/ on the same node,
//           (long poll ?wait)                                      and spawn + wait of `fossa --version`
// Usage: bench_node <fossa binary> [starts] [tasks]
// Prints one line: start_p50_ms idle_rss_kb rss_after_tasks_kb task_p50_ms task_p99_ms hello_p50_ms spawn_p50_ms
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <memory>
#include <string>
#include <vector>

#include "http_client/client.h"
#include "process/child_process.h"
#include "process/pipe.h"
#include "process/server_process.h"

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  const auto index = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(index, values.size() - 1)];
}

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "bench_node: %s\n", what.c_str());
  std::exit(1);
}

long rss_kb(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  fail("no VmRSS for pid " + std::to_string(pid));
}

std::unique_ptr<fossa::ServerProcess> start_node(const std::string& fossa) {
  fossa::ChildProcess::Options options;
  options.executable = fossa;
  options.arguments = {"node", "--bind", "127.0.0.1", "--port", "0", "--max-concurrent-tasks", "2"};
  auto node = fossa::ServerProcess::start(options, "fossa node ready", "/dev/null");
  if (!node) fail(node.error());
  return std::move(node).value();
}

double spawn_and_wait_ms(const std::string& fossa) {
  fossa::FileDescriptor null_io(::open("/dev/null", O_RDWR | O_CLOEXEC));
  fossa::ChildProcess::Options options;
  options.executable = fossa;
  options.arguments = {"--version"};
  options.fd_map = {{0, null_io.get()}, {1, null_io.get()}, {2, null_io.get()}};
  const auto start = Clock::now();
  auto child = fossa::ChildProcess::spawn(options);
  if (!child) fail(child.error());
  if (!child->wait().success()) fail("fossa --version failed");
  return ms_since(start);
}

// One request on `client`'s kept-alive connection, with a generous deadline (a hang fails the run).
fossa::http_client::Response ask(fossa::http_client::Client& client, const std::string& method, const std::string& url,
                                 const std::string& body = "") {
  fossa::http_client::Request request;
  request.method = method;
  request.url = url;
  if (method == "POST") request.headers = {{"Content-Type", "application/json"}};
  request.timeout = std::chrono::seconds(60);
  return client.send(request, body);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) fail("usage: bench_node <fossa binary> [starts] [tasks]");
  const std::string fossa = argv[1];
  const int starts = argc > 2 ? std::stoi(argv[2]) : 20;
  const int tasks = argc > 3 ? std::stoi(argv[3]) : 300;

  // Start to ready: from spawn until /readyz answers 200.
  std::vector<double> start_ms;
  long idle_rss = 0;
  for (int i = 0; i < starts; ++i) {
    const auto begin = Clock::now();
    auto node = start_node(fossa);
    fossa::http_client::Client client;
    if (ask(client, "GET", node->url() + "/readyz").status != 200) fail("/readyz did not answer 200");
    start_ms.push_back(ms_since(begin));
    if (i == starts - 1) idle_rss = rss_kb(node->process().pid());
    node->stop(SIGTERM);
  }

  // POST-to-complete of NothingEtl, one at a time, against one node.
  auto node = start_node(fossa);
  fossa::http_client::Client client;  // one connection, kept alive
  std::vector<double> task_ms;
  for (int i = 0; i < tasks; ++i) {
    const auto begin = Clock::now();
    const auto posted = ask(client, "POST", node->url() + "/api/0.01/task", R"({"model_class": "NothingEtl"})");
    if (posted.status != 200) fail("POST /api/0.01/task failed: " + posted.error);
    const std::string id = nlohmann::json::parse(posted.body)["task_id"];
    const auto done = ask(client, "GET", node->url() + "/api/0.01/task/" + id + "?wait=30");
    if (done.status != 200) fail("GET task failed: " + done.error);
    if (nlohmann::json::parse(done.body)["status"] != "complete") fail("NothingEtl did not complete: " + done.body);
    task_ms.push_back(ms_since(begin));
  }
  const long busy_rss = rss_kb(node->process().pid());
  std::vector<double> hello_ms;
  for (int i = 0; i < tasks; ++i) {
    const auto begin = Clock::now();
    if (ask(client, "GET", node->url() + "/api/0.01/").status != 200) fail("GET /api/0.01/ failed");
    hello_ms.push_back(ms_since(begin));
  }
  node->stop(SIGTERM);
  std::vector<double> spawn_ms;
  for (int i = 0; i < tasks; ++i) spawn_ms.push_back(spawn_and_wait_ms(fossa));

  std::printf("%.1f %ld %ld %.2f %.2f %.3f %.2f\n", percentile(start_ms, 0.5), idle_rss, busy_rss,
              percentile(task_ms, 0.5), percentile(task_ms, 0.99), percentile(hello_ms, 0.5),
              percentile(spawn_ms, 0.5));
  return 0;
}
