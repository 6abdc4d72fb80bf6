// The gateway's login check on its own: the scheme's name in any case, a failure table that stays
// bounded without ever forgetting an address that is locked out, an IPv6 /64 counted as one
// client, and a budget for the clients the table has no room for.
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

TEST(BasicAuth, AnIpv6AddressCountsAsItsSlash64) {
  EXPECT_EQ(BasicAuth::client_of("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), "2001:db8:1:2::/64");
  EXPECT_EQ(BasicAuth::client_of("::ffff:192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(BasicAuth::client_of("192.0.2.7"), "192.0.2.7");
  BasicAuth auth("user", "pw");
  // One machine's /64 is one client, however many of its addresses it uses.
  for (int i = 0; i < BasicAuth::kMaxFailures; ++i) {
    EXPECT_EQ(auth.check("2001:db8:1:2::" + std::to_string(i + 1), "Basic d3Jvbmc="), BasicAuth::Verdict::kUnauthorized);
  }
  EXPECT_EQ(auth.check("2001:db8:1:2::99", "Basic dXNlcjpwdw=="), BasicAuth::Verdict::kThrottled);
  EXPECT_GT(auth.retry_after("2001:db8:1:2::100"), 0);
  EXPECT_EQ(auth.check("2001:db8:1:3::1", "Basic dXNlcjpwdw=="), BasicAuth::Verdict::kAllowed) << "the next /64 is another client";
  // IPv4 addresses stay apart: many people share one NAT's neighbours.
  for (int i = 0; i < BasicAuth::kMaxFailures; ++i) auth.check("192.0.2.7", "Basic d3Jvbmc=");
  EXPECT_EQ(auth.check("192.0.2.8", "Basic dXNlcjpwdw=="), BasicAuth::Verdict::kAllowed);
}

TEST(BasicAuth, ClientsATableOfLockoutsHasNoRoomForShareOneBudget) {
  BasicAuth auth("user", "pw", 3);
  for (const std::string locked : {"10.0.0.1", "10.0.0.2", "10.0.0.3"}) {
    for (int i = 0; i < BasicAuth::kMaxFailures; ++i) auth.check(locked, "Basic d3Jvbmc=");
  }
  // New addresses, one guess each: the first kOverflowFailures are heard out...
  for (int i = 0; i < BasicAuth::kOverflowFailures; ++i) {
    EXPECT_EQ(auth.check("10.1." + std::to_string(i / 250) + "." + std::to_string(i % 250), "Basic d3Jvbmc="),
              BasicAuth::Verdict::kUnauthorized)
        << i;
  }
  // ...then every address the table does not hold is refused until the window has passed,
  // whatever it sends: more addresses buy no more guesses.
  EXPECT_EQ(auth.check("10.2.0.1", "Basic d3Jvbmc="), BasicAuth::Verdict::kThrottled);
  EXPECT_EQ(auth.check("10.2.0.2", "Basic dXNlcjpwdw=="), BasicAuth::Verdict::kThrottled);
  EXPECT_GT(auth.retry_after("10.2.0.2"), 0);
  EXPECT_EQ(auth.tracked(), 3u);
}

}  // namespace
