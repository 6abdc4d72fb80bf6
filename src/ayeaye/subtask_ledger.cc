#include "ayeaye/subtask_ledger.h"

namespace ayeaye {

SubtaskLedger::SubtaskLedger(std::size_t total, int retries) : retries_(retries), states_(total) {
  counts_.total = total;
  for (std::size_t i = 0; i < total; ++i) waiting_.push_back(i);
}

std::optional<std::size_t> SubtaskLedger::start_next() {
  if (!has_waiting()) return std::nullopt;
  const std::size_t index = waiting_.front();
  waiting_.pop_front();
  State& state = states_[index];
  state.phase = Phase::kInFlight;
  ++state.attempts;
  ++counts_.running;
  return index;
}

SubtaskLedger::Verdict SubtaskLedger::record(std::size_t index, bool failed) {
  if (index >= states_.size() || states_[index].phase != Phase::kInFlight) return Verdict::kIgnored;
  State& state = states_[index];
  --counts_.running;
  // A subtask runs once, and again `retries_` times: attempts counts the runs so far.
  if (failed && state.attempts <= retries_) {
    state.phase = Phase::kWaiting;
    ++counts_.retried;
    waiting_.push_front(index);
    return Verdict::kRetry;
  }
  state.phase = Phase::kDone;
  ++counts_.done;
  if (failed) {
    ++counts_.failed;
    if (!first_failure_) first_failure_ = index;
  }
  return Verdict::kCounted;
}

void SubtaskLedger::give_back(std::size_t index) {
  if (index >= states_.size() || states_[index].phase != Phase::kInFlight) return;
  State& state = states_[index];
  state.phase = Phase::kWaiting;
  --state.attempts;
  --counts_.running;
  waiting_.push_front(index);
}

void SubtaskLedger::cancel() {
  if (cancelled_) return;
  cancelled_ = true;
  for (auto& state : states_) {
    if (state.phase == Phase::kDone) continue;
    state.phase = Phase::kDone;
    ++counts_.cancelled;
    ++counts_.done;
  }
  counts_.running = 0;
  waiting_.clear();
}

std::vector<std::size_t> SubtaskLedger::in_flight() const {
  std::vector<std::size_t> indexes;
  for (std::size_t i = 0; i < states_.size(); ++i) {
    if (states_[i].phase == Phase::kInFlight) indexes.push_back(i);
  }
  return indexes;
}

TaskLogMessage retry_log_message(const TaskFailed& failure) {
  return {"failed (" + failure.exception_class_name + "); running it again", "WARNING"};
}

}  // namespace ayeaye
