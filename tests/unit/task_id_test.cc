#include "net/task_id.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using fossa::net::quoted_id;
using fossa::net::valid_task_id;

TEST(TaskId, IdsOfNodesSubtasksAndHeldJobsAreValid) {
  for (const std::string& id : std::vector<std::string>{"abcde-1", "abcde-12.3", "held-1-x9Z", "a", "a.b_c-d", ".a", std::string(128, 'a')}) {
    EXPECT_TRUE(valid_task_id(id)) << id;
  }
}

// Issue 22: ".." passed and libcurl resolved it to the node's parent path; CR LF split a header.
TEST(TaskId, DotsAloneSeparatorsSpacesControlsAndLengthAreRefused) {
  for (const std::string& id : std::vector<std::string>{"", ".", "..", "...", "a/b", "a b", "a\r\nb", std::string("a\0b", 3), "a%2fb", "a?b",
                               std::string(129, 'a'), "\xc3\xa9"}) {
    EXPECT_FALSE(valid_task_id(id)) << quoted_id(id);
  }
}

TEST(TaskId, AQuotedIdIsEscapedAndCut) {
  EXPECT_EQ(quoted_id("a\r\nb"), R"("a\r\nb")");
  EXPECT_EQ(quoted_id(std::string(100, 'x')), "\"" + std::string(80, 'x') + "\"…");
}
