// The node's slots (node/slots.h): who may hold one, and never more than the capacity.
#include "node/slots.h"

#include <gtest/gtest.h>

namespace {

using fossa::node::Slots;

TEST(Slots, TasksTakeThemUntilNoneIsFree) {
  Slots slots(2);
  EXPECT_TRUE(slots.take());
  EXPECT_TRUE(slots.take());
  EXPECT_FALSE(slots.take());
  EXPECT_EQ(slots.available(), 0);
  slots.give_back(Slots::Use::kOwn);
  EXPECT_TRUE(slots.take());
}

TEST(Slots, AParentLendsItsOwnSlotToOneSubtaskAndTheOthersBorrow) {
  Slots slots(3);
  ASSERT_TRUE(slots.take());  // the parent's own
  EXPECT_EQ(slots.take_for_subtask("p"), Slots::Use::kLent);
  EXPECT_EQ(slots.take_for_subtask("p"), Slots::Use::kBorrowed);
  EXPECT_EQ(slots.take_for_subtask("p"), Slots::Use::kBorrowed);
  EXPECT_EQ(slots.take_for_subtask("p"), std::nullopt) << "three slots: the parent's and two borrowed";
  EXPECT_EQ(slots.in_use(), 3);
  slots.give_back(Slots::Use::kLent, "p");
  EXPECT_EQ(slots.in_use(), 3) << "a lent slot goes back to its parent, not to the node";
  EXPECT_FALSE(slots.take());
  EXPECT_EQ(slots.take_for_subtask("p"), Slots::Use::kLent);
  slots.give_back(Slots::Use::kBorrowed);
  EXPECT_TRUE(slots.take()) << "a borrowed slot goes back to the node";
}

TEST(Slots, EachParentLendsOnlyItsOwn) {
  Slots slots(2);
  ASSERT_TRUE(slots.take());
  ASSERT_TRUE(slots.take());
  EXPECT_EQ(slots.take_for_subtask("a"), Slots::Use::kLent);
  EXPECT_EQ(slots.take_for_subtask("b"), Slots::Use::kLent);
  EXPECT_EQ(slots.take_for_subtask("a"), std::nullopt);
}

TEST(Slots, AWatcherHearsWhenTheNodeBecomesBusyAndIdleAgain) {
  Slots slots(2);
  std::vector<bool> heard;
  slots.watch([&](bool busy) { heard.push_back(busy); });
  ASSERT_TRUE(slots.take());
  ASSERT_TRUE(slots.take());
  slots.give_back(Slots::Use::kOwn);
  EXPECT_EQ(heard, std::vector<bool>{true}) << "busy once, however many slots are held";
  EXPECT_EQ(slots.take_for_subtask("p"), Slots::Use::kLent);
  slots.give_back(Slots::Use::kLent, "p");
  slots.give_back(Slots::Use::kOwn);
  EXPECT_EQ(heard, (std::vector<bool>{true, false}));
}

}  // namespace
