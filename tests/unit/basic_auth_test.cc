// The gateway's login check on its own: the scheme's name in any case, and a failure table that
// stays bounded without ever forgetting an address that is locked out.
#include "basic_auth.h"

#include <gtest/gtest.h>

namespace {

using fossa::gateway::BasicAuth;
using fossa::gateway::decode_basic_credentials;

TEST(BasicAuth, TheSchemeNameIsCaseInsensitive) {
  // "user:pw" in base64.
  EXPECT_EQ(decode_basic_credentials("Basic dXNlcjpwdw=="), "user:pw");
  EXPECT_EQ(decode_basic_credentials("basic dXNlcjpwdw=="), "user:pw");
  EXPECT_EQ(decode_basic_credentials("BASIC dXNlcjpwdw=="), "user:pw");
  EXPECT_EQ(decode_basic_credentials("Bearer dXNlcjpwdw=="), "");
  BasicAuth auth("user", "pw");
  EXPECT_EQ(auth.check("a", "bAsIc dXNlcjpwdw=="), BasicAuth::Verdict::kAllowed);
}

TEST(BasicAuth, TheFailureTableIsBoundedAndNeverForgetsALockout) {
  BasicAuth auth("user", "pw", 4);
  for (int i = 0; i < BasicAuth::kMaxFailures; ++i) auth.check("locked", "Basic d3Jvbmc=");
  EXPECT_EQ(auth.check("locked", "Basic dXNlcjpwdw=="), BasicAuth::Verdict::kThrottled);
  for (int i = 0; i < 1000; ++i) auth.check("spray-" + std::to_string(i), "Basic d3Jvbmc=");
  EXPECT_LE(auth.tracked(), 4u);
  EXPECT_EQ(auth.check("locked", "Basic dXNlcjpwdw=="), BasicAuth::Verdict::kThrottled)
      << "a spray of other addresses must not lift a lockout";
  // A table full of lockouts takes no more entries, and keeps them all.
  for (const std::string other : {"b", "c", "d"}) {
    for (int i = 0; i < BasicAuth::kMaxFailures; ++i) auth.check(other, "Basic d3Jvbmc=");
  }
  for (int i = 0; i < 100; ++i) auth.check("late-" + std::to_string(i), "Basic d3Jvbmc=");
  EXPECT_EQ(auth.tracked(), 4u);
  for (const std::string locked : {"locked", "b", "c", "d"}) {
    EXPECT_EQ(auth.check(locked, "Basic dXNlcjpwdw=="), BasicAuth::Verdict::kThrottled) << locked;
  }
}

}  // namespace
