// Scale-in protection (node/scale_in_protection.h): the plan on a clock the test moves, and the
// thread around it with a fake agent.
#include "node/scale_in_protection.h"

#include <gtest/gtest.h>

#include <deque>

namespace {

using namespace std::chrono_literals;
using fossa::node::ProtectionPlan;
using fossa::node::ScaleInProtection;

TEST(ProtectionPlan, ProtectsWhileBusyRenewsHalfwayAndLetsGoWhenIdle) {
  ProtectionPlan plan(60min);
  ProtectionPlan::Clock::time_point now{};
  EXPECT_FALSE(plan.due(now)) << "idle and unprotected: nothing to ask";
  EXPECT_FALSE(plan.next(now));
  plan.set_busy(true);
  auto request = plan.due(now);
  ASSERT_TRUE(request);
  EXPECT_TRUE(request->protect);
  EXPECT_EQ(request->expires, 60min);
  plan.answered(*request, true, now);
  EXPECT_FALSE(plan.due(now + 29min));
  EXPECT_EQ(plan.next(now), now + 30min);
  ASSERT_TRUE(plan.due(now + 30min)) << "renewed halfway";
  plan.answered(*plan.due(now + 30min), true, now + 30min);
  plan.set_busy(false);
  request = plan.due(now + 31min);
  ASSERT_TRUE(request);
  EXPECT_FALSE(request->protect);
  plan.answered(*request, true, now + 31min);
  EXPECT_FALSE(plan.due(now + 2h));
  EXPECT_FALSE(plan.next(now + 2h));
}

TEST(ProtectionPlan, ATaskThatIsBusyOnlyBrieflyIsNeverLeftProtected) {
  ProtectionPlan plan(60min);
  ProtectionPlan::Clock::time_point now{};
  plan.set_busy(true);
  plan.set_busy(false);
  EXPECT_FALSE(plan.due(now)) << "it was never protected: nothing to undo";
  plan.set_busy(true);
  const auto protect = *plan.due(now);
  plan.set_busy(false);  // ended while the request was on its way
  plan.answered(protect, true, now);
  ASSERT_TRUE(plan.due(now));
  EXPECT_FALSE(plan.due(now)->protect);
}

TEST(ProtectionPlan, AFailedRequestIsTriedAgainWithGrowingPauses) {
  ProtectionPlan plan(60min);
  ProtectionPlan::Clock::time_point now{};
  plan.set_busy(true);
  plan.answered(*plan.due(now), false, now);
  EXPECT_FALSE(plan.due(now + 999ms));
  EXPECT_EQ(plan.next(now), now + 1s);
  ASSERT_TRUE(plan.due(now + 1s));
  plan.answered(*plan.due(now + 1s), false, now + 1s);
  EXPECT_EQ(plan.next(now + 1s), now + 3s) << "2 s after the second failure";
  for (int i = 0; i < 20; ++i) plan.answered({true, 60min}, false, now);
  EXPECT_EQ(plan.next(now), now + 60s) << "never more than a minute";
  plan.set_busy(false);
  EXPECT_FALSE(plan.next(now)) << "idle and unprotected: nothing to retry";
}

// A fake agent: records each request and answers as told; the test waits for requests.
class FakeAgent {
 public:
  bool send(const ProtectionPlan::Request& request, std::string& why) {
    std::lock_guard lock(mutex_);
    requests_.push_back(request);
    arrived_.notify_all();
    if (!answers_ok_) why = "connection refused";
    return answers_ok_;
  }
  std::optional<ProtectionPlan::Request> next_request() {
    std::unique_lock lock(mutex_);
    if (!arrived_.wait_for(lock, 10s, [&] { return !requests_.empty(); })) return std::nullopt;
    auto request = requests_.front();
    requests_.pop_front();
    return request;
  }
  void set_ok(bool ok) {
    std::lock_guard lock(mutex_);
    answers_ok_ = ok;
  }

 private:
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::deque<ProtectionPlan::Request> requests_;
  bool answers_ok_ = true;
};

TEST(ScaleInProtection, AsksTheAgentOnEachChangeAndLetsGoWhenTheNodeStops) {
  FakeAgent agent;
  std::vector<std::string> logged;
  {
    ScaleInProtection protection([&](const auto& request, std::string& why) { return agent.send(request, why); }, 60min,
                                 [&](const std::string& line) { logged.push_back(line); });
    protection.set_busy(true);
    auto request = agent.next_request();
    ASSERT_TRUE(request);
    EXPECT_TRUE(request->protect);
    protection.set_busy(false);
    request = agent.next_request();
    ASSERT_TRUE(request);
    EXPECT_FALSE(request->protect);
    agent.set_ok(false);
    protection.set_busy(true);
    ASSERT_TRUE(agent.next_request());
    agent.set_ok(true);
    request = agent.next_request();  // the retry, a second later
    ASSERT_TRUE(request);
    EXPECT_TRUE(request->protect);
  }
  const auto last = agent.next_request();
  ASSERT_TRUE(last) << "a stopping node lets go of its protection";
  EXPECT_FALSE(last->protect);
  ASSERT_EQ(logged.size(), 2u);
  EXPECT_NE(logged[0].find("connection refused"), std::string::npos);
  EXPECT_NE(logged[1].find("answers again"), std::string::npos);
}

}  // namespace
