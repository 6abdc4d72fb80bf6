// CancelledPools: the pools (parent runs, amqp/subtask_codec.h) this node has heard cancelled, so
// that their subtasks still on the queue are dropped when they arrive instead of run. Bounded: it
// remembers the newest `capacity` pools and forgets the oldest beyond, since a node may live for
// months of cancellations; a subtask of a pool forgotten so long ago arrives very rarely, and is
// then only run for nothing (its parent ignores the answer). Pure data; the supervisor's thread owns it.
#pragma once

#include <cstddef>
#include <deque>
#include <string>
#include <unordered_set>

namespace fossa::node {

class CancelledPools {
 public:
  static constexpr std::size_t kDefaultCapacity = 10'000;
  explicit CancelledPools(std::size_t capacity = kDefaultCapacity) : capacity_(capacity) {}

  // Remembers `pool_id`; false when it was remembered already (a cancellation heard twice).
  bool remember(const std::string& pool_id);
  bool contains(const std::string& pool_id) const { return pools_.count(pool_id) > 0; }
  std::size_t size() const { return pools_.size(); }

 private:
  std::size_t capacity_;
  std::unordered_set<std::string> pools_;
  std::deque<std::string> oldest_first_;
};

}  // namespace fossa::node
