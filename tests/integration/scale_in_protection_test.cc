// Scale-in protection against a stand-in ECS agent: a real `fossa node` with ECS_AGENT_URI asks
// for protection when it starts running something and lets go when it is idle again.
#include <gtest/gtest.h>

#include <condition_variable>
#include <deque>
#include <mutex>

#include "support/command.h"
#include "support/gate.h"
#include "support/node_process.h"
#include "support/stand_in_server.h"

namespace {

using fossa::testing::Gate;
using fossa::testing::NodeProcess;
using fossa::testing::StandInServer;

// The agent's task-protection endpoint: records each PUT body, answers as the agent does.
class FakeAgent {
 public:
  FakeAgent() {
    server_.routes().put("/v4/task-1/task-protection/v1/state", [this](const fossa::net::Request& req, fossa::net::Response& res) {
      const auto body = ayeaye::Json::parse(req.body, nullptr, false);
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(body);
      }
      arrived_.notify_all();
      res.set_content(ayeaye::Json{{"protection", {{"ProtectionEnabled", body.value("ProtectionEnabled", false)}}}}.dump(),
                      "application/json");
    }, fossa::net::Body::kNone);
    server_.start();
  }
  ~FakeAgent() { server_.stop(); }
  std::string uri() const { return server_.url() + "/v4/task-1"; }
  // The next request's body (or null after a generous wait: only a regression waits that long).
  ayeaye::Json next_request() {
    std::unique_lock lock(mutex_);
    if (!arrived_.wait_for(lock, std::chrono::seconds(60), [&] { return !requests_.empty(); })) return nullptr;
    auto request = requests_.front();
    requests_.pop_front();
    return request;
  }
  std::size_t pending() {
    std::lock_guard lock(mutex_);
    return requests_.size();
  }

 private:
  StandInServer server_;
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::deque<ayeaye::Json> requests_;
};

TEST(ScaleInProtection, ABusyNodeIsProtectedAndAnIdleOneIsNot) {
  FakeAgent agent;
  Gate gate;
  NodeProcess node({}, {"ECS_AGENT_URI=" + agent.uri()});
  const std::string id = node.submit({{"model_class", "GateEtl"}, {"resolver_context", {{"gate", gate.path()}}}});
  ASSERT_FALSE(id.empty());
  const auto protect = agent.next_request();
  ASSERT_TRUE(protect.is_object()) << "no protection asked for while a task runs";
  EXPECT_EQ(protect["ProtectionEnabled"], true);
  EXPECT_EQ(protect["ExpiresInMinutes"], 60);
  gate.open();
  EXPECT_EQ(node.wait_for_end(id)["status"], "complete");
  const auto release = agent.next_request();
  ASSERT_TRUE(release.is_object()) << "protection kept after the task ended";
  EXPECT_EQ(release["ProtectionEnabled"], false);
  EXPECT_TRUE(node.stop(SIGTERM).success());
  EXPECT_EQ(agent.pending(), 0u) << "an idle node asks nothing more";
}

TEST(ScaleInProtection, OnWithoutAnAgentIsAConfigurationError) {
  const auto result = fossa::testing::run_command(fossa::testing::fossa_bin(), {"node", "--scale-in-protection", "on"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("needs ECS_AGENT_URI"), std::string::npos) << result.err;
}

}  // namespace
