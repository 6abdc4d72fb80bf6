#include "node/governor.h"

#include <algorithm>
#include <random>

#include "node/free_memory.h"

namespace fossa::node {
namespace {

// Five random lowercase letters, new per node start: task ids stay unique across restarts.
std::string random_prefix() {
  std::random_device device;
  std::uniform_int_distribution<int> letter('a', 'z');
  std::string prefix;
  for (int i = 0; i < 5; ++i) prefix += static_cast<char>(letter(device));
  return prefix;
}

}  // namespace

Governor::Governor(int capacity, std::size_t history_size, std::size_t kept_subtask_documents)
    : slots_(capacity), history_size_(history_size),
      kept_subtask_documents_(kept_subtask_documents), id_prefix_(random_prefix()) {}

std::string Governor::next_id() { return id_prefix_ + "-" + std::to_string(++sequence_); }

Admission Governor::admit(ayeaye::TaskSpec spec, TaskRecord* admitted) {
  std::lock_guard lock(mutex_);
  if (!admitting_) {
    ++metrics_.rejected["stopping"];
    return Admission::kStopping;
  }
  if (!slots_.take()) {
    ++metrics_.rejected["capacity"];
    return Admission::kAtCapacity;
  }
  ++metrics_.accepted;
  spec.task_id = next_id();
  spec.job_id = spec.task_id;  // a task posted to the node is a job of its own
  TaskRecord record;
  record.spec = std::move(spec);
  record.started = TaskRecord::Clock::now();
  record.attempts = 1;
  const std::string id = record.spec.task_id;
  running_.push_back(id);
  metrics_.running_peak = std::max(metrics_.running_peak, static_cast<int>(running_.size()));
  *admitted = record;
  tasks_.emplace(id, std::move(record));
  return Admission::kAccepted;
}

void Governor::stop_admitting() {
  std::lock_guard lock(mutex_);
  admitting_ = false;
}

bool Governor::admitting() const {
  std::lock_guard lock(mutex_);
  return admitting_;
}

void Governor::start_subtask(const ayeaye::TaskSpec& spec, const std::string& parent_id) {
  std::lock_guard lock(mutex_);
  if (auto packed = packed_subtasks_.find(spec.task_id); packed != packed_subtasks_.end()) {
    tasks_.emplace(spec.task_id, packed->second.expand(spec.task_id));  // started again: no longer finished
    packed_subtasks_.erase(packed);
  }
  auto [it, inserted] = tasks_.try_emplace(spec.task_id);
  TaskRecord& record = it->second;
  if (inserted) {
    record.spec = spec;
    record.parent_task_id = parent_id;
    if (auto parent = tasks_.find(parent_id); parent != tasks_.end()) parent->second.subtask_ids.push_back(spec.task_id);
  }
  // A retry runs again under the same id and document.
  record.status = TaskStatus::kRunning;
  record.started = TaskRecord::Clock::now();
  record.finished.reset();
  record.result.reset();
  record.run_times.reset();
  ++record.attempts;
}

void Governor::start_queued_subtask(const ayeaye::TaskSpec& spec, const std::string& reply_to) {
  std::lock_guard lock(mutex_);
  TaskRecord& record = tasks_[spec.task_id];
  record.spec = spec;
  record.reply_to = reply_to;
  record.status = TaskStatus::kRunning;
  record.started = TaskRecord::Clock::now();
  record.finished.reset();
  record.result.reset();
  record.run_times.reset();
  ++record.attempts;
}

bool Governor::update(const std::string& task_id, const std::function<void(TaskRecord&)>& change) {
  std::lock_guard lock(mutex_);
  if (auto packed = packed_subtasks_.find(task_id); packed != packed_subtasks_.end()) {
    TaskRecord record = packed->second.expand(task_id);
    change(record);
    packed->second = PackedRecord(record);
    return true;
  }
  auto found = tasks_.find(task_id);
  if (found == tasks_.end()) return false;
  change(found->second);
  return true;
}

void Governor::finish(const std::string& task_id, ayeaye::TaskMessage result, std::optional<TaskRecord::Clock::time_point> at,
                      bool cancelled) {
  std::unique_lock lock(mutex_);
  auto found = tasks_.find(task_id);
  if (found == tasks_.end()) return;
  TaskRecord& record = found->second;
  const bool failed = std::holds_alternative<ayeaye::TaskFailed>(result);
  record.status = !failed ? TaskStatus::kComplete : cancelled ? TaskStatus::kCancelled : TaskStatus::kFailed;
  record.finished = at.value_or(TaskRecord::Clock::now());
  record.result = std::move(result);
  ended_.notify_all();
  for (auto [watcher, end] = end_watchers_.equal_range(task_id); watcher != end;) {
    watcher->second.second(&record);
    watcher = end_watchers_.erase(watcher);
  }
  if (record.parent_task_id) {
    ++(failed ? metrics_.subtasks_failed : metrics_.subtasks_completed);
    packed_subtasks_.insert_or_assign(task_id, PackedRecord(record));
    tasks_.erase(found);
    return;
  }
  if (record.reply_to) {
    ++(failed ? metrics_.subtasks_failed : metrics_.subtasks_completed);
    // A redelivered subtask may have run here before under the same id: keep one entry.
    queued_history_.erase(std::remove(queued_history_.begin(), queued_history_.end(), task_id), queued_history_.end());
    queued_history_.push_front(task_id);
    while (queued_history_.size() > history_size_) {
      tasks_.erase(queued_history_.back());
      queued_history_.pop_back();
    }
    return;
  }
  ++(failed ? metrics_.failed : metrics_.completed);
  metrics_.observe_duration(record.duration_seconds(*record.finished));
  slots_.give_back(Slots::Use::kOwn);
  const bool had_subtasks = !record.subtask_ids.empty();
  forget_most_subtasks(record);
  running_.erase(std::remove(running_.begin(), running_.end(), task_id), running_.end());
  history_.push_front(task_id);
  while (history_.size() > history_size_) forget_oldest_history();
  lock.unlock();
  // The end of a large job frees thousands of records, scattered among those kept: hand the pages
  // they leave empty back to the system (the allocator keeps them otherwise; 100 MB after three
  // jobs of 20,000 subtasks).
  if (had_subtasks) give_back_free_memory();
}

void Governor::forget_most_subtasks(TaskRecord& parent) {
  if (parent.subtask_ids.size() <= kept_subtask_documents_) return;
  std::vector<std::string> kept;
  for (std::size_t i = 0; i < parent.subtask_ids.size(); ++i) {
    const std::string& id = parent.subtask_ids[i];
    std::optional<TaskStatus> status;
    if (const auto packed = packed_subtasks_.find(id); packed != packed_subtasks_.end()) {
      status = packed->second.status();
    } else if (const auto found = tasks_.find(id); found != tasks_.end()) {
      status = found->second.status;
    }
    if (!status) continue;
    if (i < kept_subtask_documents_ || *status == TaskStatus::kFailed) {
      kept.push_back(id);
    } else {
      forget(id);
    }
  }
  parent.subtask_ids = std::move(kept);
}

void Governor::forget(const std::string& task_id) {
  tasks_.erase(task_id);
  packed_subtasks_.erase(task_id);
}

std::optional<TaskRecord> Governor::find_locked(const std::string& task_id) const {
  if (const auto found = tasks_.find(task_id); found != tasks_.end()) return found->second;
  if (const auto packed = packed_subtasks_.find(task_id); packed != packed_subtasks_.end()) return packed->second.expand(task_id);
  return std::nullopt;
}

void Governor::forget_oldest_history() {
  const std::string id = history_.back();
  history_.pop_back();
  auto found = tasks_.find(id);
  if (found == tasks_.end()) return;
  for (const auto& subtask_id : found->second.subtask_ids) forget(subtask_id);
  tasks_.erase(found);
}

void Governor::count_rejected(const std::string& reason) {
  std::lock_guard lock(mutex_);
  ++metrics_.rejected[reason];
}

void Governor::set_task_processes_running(int running) {
  std::lock_guard lock(mutex_);
  metrics_.task_processes_running = running;
  metrics_.task_processes_peak = std::max(metrics_.task_processes_peak, running);
}

std::optional<TaskRecord> Governor::find(const std::string& task_id) const {
  std::lock_guard lock(mutex_);
  return find_locked(task_id);
}

std::optional<TaskRecord> Governor::wait_for_end(const std::string& task_id, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  ended_.wait_for(lock, timeout, [&] {
    auto found = tasks_.find(task_id);
    return found == tasks_.end() || found->second.status != TaskStatus::kRunning;
  });
  return find_locked(task_id);
}

std::uint64_t Governor::on_end(const std::string& task_id, EndWatcher then) {
  std::lock_guard lock(mutex_);
  const auto found = tasks_.find(task_id);
  if (found == tasks_.end()) {  // unknown, or an ended subtask, kept packed
    const auto ended = find_locked(task_id);
    then(ended ? &*ended : nullptr);
    return 0;
  }
  if (found->second.status != TaskStatus::kRunning) {
    then(&found->second);
    return 0;
  }
  const std::uint64_t ticket = ++end_tickets_;
  end_watchers_.emplace(task_id, std::make_pair(ticket, std::move(then)));
  return ticket;
}

void Governor::cancel_on_end(const std::string& task_id, std::uint64_t ticket) {
  std::lock_guard lock(mutex_);
  for (auto [watcher, end] = end_watchers_.equal_range(task_id); watcher != end; ++watcher) {
    if (watcher->second.first == ticket) {
      end_watchers_.erase(watcher);
      return;
    }
  }
}

Governor::Snapshot Governor::snapshot() const {
  std::lock_guard lock(mutex_);
  Snapshot snapshot;
  snapshot.capacity = slots_.capacity();
  snapshot.available = slots_.available();
  snapshot.admitting = admitting_;
  for (const auto& id : running_) snapshot.running.push_back(tasks_.at(id));
  for (const auto& id : history_) snapshot.recent.push_back(tasks_.at(id));
  for (const auto& [id, record] : tasks_) {
    if ((record.parent_task_id || record.reply_to) && record.status == TaskStatus::kRunning) {
      snapshot.running_subtasks.push_back(record);
    }
  }
  return snapshot;
}

std::string Governor::metrics_text() const {
  std::lock_guard lock(mutex_);
  int running_subtasks = 0;
  for (const auto& [id, record] : tasks_) {
    if ((record.parent_task_id || record.reply_to) && record.status == TaskStatus::kRunning) ++running_subtasks;
  }
  return metrics_.render(slots_.capacity(), static_cast<int>(running_.size()), slots_.in_use(), running_subtasks);
}

}  // namespace fossa::node
