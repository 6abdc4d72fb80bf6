// SuiteSetUp: the state a suite builds once in SetUpTestSuite, and the reason it could not.
//
// GoogleTest marks every test of a suite *skipped* when its SetUpTestSuite fails or throws, and
// CTest reports those tests skipped, not failed: a broken set-up would leave `make test` green.
// So a suite with shared state builds it through run(), which keeps a failure instead of letting it
// escape, and each test's SetUp() calls check(), which fails that test with the reason. The set-up
// reports a problem by throwing (an ASSERT there would land in the suite's own result and skip
// every test again).
#pragma once

#include <gtest/gtest.h>

#include <exception>
#include <string>
#include <utility>

namespace fossa::testing {

class SuiteSetUp {
 public:
  template <class SetUp>
  void run(SetUp&& set_up) {
    failure_.clear();
    try {
      std::forward<SetUp>(set_up)();
    } catch (const std::exception& e) {
      failure_ = e.what();
    } catch (...) {
      failure_ = "an exception that is not a std::exception";
    }
  }
  bool failed() const { return !failure_.empty(); }
  // In a test's SetUp(): a fatal failure there stops the test before its body.
  void check() const {
    if (failed()) GTEST_FAIL() << "the suite's shared set-up failed, so this test cannot run: " << failure_;
  }

 private:
  std::string failure_;
};

}  // namespace fossa::testing
