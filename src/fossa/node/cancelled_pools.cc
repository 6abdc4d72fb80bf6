#include "node/cancelled_pools.h"

namespace fossa::node {

bool CancelledPools::remember(const std::string& pool_id) {
  if (!pools_.insert(pool_id).second) return false;
  oldest_first_.push_back(pool_id);
  while (oldest_first_.size() > capacity_) {
    pools_.erase(oldest_first_.front());
    oldest_first_.pop_front();
  }
  return true;
}

}  // namespace fossa::node
