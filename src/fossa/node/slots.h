// Slots: the node's capacity and who holds it — the one place a slot is counted.
//   - A task admitted by POST holds a slot of its own until it ends (kOwn).
//   - A parent that hands its subtasks to the node only waits for them meanwhile, so it lends its
//     own slot to one of them (kLent) and each other subtask borrows a free one (kBorrowed).
//   - A subtask taken from fossa_task_queue borrows a free one.
// Never more than the capacity is held. Which waiting subtask gets a slot that frees is the
// supervisor's choice; that a slot is free, or held, is only known here.
//
// Thread-safe: the HTTP threads admit through the Governor, the supervisor takes and gives back.
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>

namespace fossa::node {

class Slots {
 public:
  enum class Use { kOwn, kLent, kBorrowed };

  explicit Slots(int capacity) : capacity_(capacity) {}

  int capacity() const { return capacity_; }
  int in_use() const;
  int available() const { return capacity_ - in_use(); }

  // A free slot for a new task (kOwn) or a subtask from the queue (kBorrowed); false when none is.
  bool take();
  // A slot for the next subtask of `parent`: the parent's own while it is not lent (kLent), else a
  // free one (kBorrowed); nullopt when neither is.
  std::optional<Use> take_for_subtask(const std::string& parent);
  // Gives back what take() or take_for_subtask(parent) gave: a lent slot goes back to its parent,
  // the others become free.
  void give_back(Use use, const std::string& parent = {});

  // `busy` hears, in order, each time the node goes from no slot held to some, and back (it is
  // called under the lock: it must only hand the news on). Set before anything takes a slot.
  void watch(std::function<void(bool busy)> busy);

 private:
  void tell_if_changed(int before);

  const int capacity_;
  mutable std::mutex mutex_;
  int held_ = 0;                // own and borrowed
  std::set<std::string> lent_;  // parents whose own slot a subtask holds
  std::function<void(bool)> watcher_;
};

}  // namespace fossa::node
