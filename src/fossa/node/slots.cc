#include "node/slots.h"

namespace fossa::node {

int Slots::in_use() const {
  std::lock_guard lock(mutex_);
  return held_;
}

bool Slots::take() {
  std::lock_guard lock(mutex_);
  if (held_ >= capacity_) return false;
  ++held_;
  return true;
}

std::optional<Slots::Use> Slots::take_for_subtask(const std::string& parent) {
  std::lock_guard lock(mutex_);
  if (lent_.insert(parent).second) return Use::kLent;
  if (held_ >= capacity_) return std::nullopt;
  ++held_;
  return Use::kBorrowed;
}

void Slots::give_back(Use use, const std::string& parent) {
  std::lock_guard lock(mutex_);
  if (use == Use::kLent) {
    lent_.erase(parent);
  } else if (held_ > 0) {
    --held_;
  }
}

}  // namespace fossa::node
