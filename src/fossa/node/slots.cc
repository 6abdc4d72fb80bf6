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
  tell_if_changed(held_ - 1);
  return true;
}

std::optional<Slots::Use> Slots::take_for_subtask(const std::string& parent) {
  std::lock_guard lock(mutex_);
  if (lent_.insert(parent).second) return Use::kLent;
  if (held_ >= capacity_) return std::nullopt;
  ++held_;
  tell_if_changed(held_ - 1);
  return Use::kBorrowed;
}

void Slots::give_back(Use use, const std::string& parent) {
  std::lock_guard lock(mutex_);
  if (use == Use::kLent) {
    lent_.erase(parent);
  } else if (held_ > 0) {
    --held_;
    tell_if_changed(held_ + 1);
  }
}

void Slots::watch(std::function<void(bool busy)> busy) {
  std::lock_guard lock(mutex_);
  watcher_ = std::move(busy);
}

void Slots::tell_if_changed(int before) {
  if (watcher_ && (before == 0) != (held_ == 0)) watcher_(held_ > 0);
}

}  // namespace fossa::node
