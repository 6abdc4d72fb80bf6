#include "node/metrics.h"

#include <sstream>

namespace fossa::node {

void Metrics::observe_duration(double seconds) {
  for (std::size_t i = 0; i < kDurationBuckets.size(); ++i) {
    if (seconds <= kDurationBuckets[i]) {
      ++duration_counts[i];
      break;
    }
  }
  ++duration_count;
  duration_sum += seconds;
}

std::string Metrics::render(int capacity, int running, int used_slots, int running_subtasks) const {
  std::ostringstream out;
  auto family = [&](const char* name, const char* type, const char* help) {
    out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << "\n";
  };
  // A family of one unlabelled sample.
  auto single = [&](const char* name, const char* type, const char* help, auto value) {
    family(name, type, help);
    out << name << ' ' << value << "\n";
  };
  single("fossa_tasks_accepted_total", "counter", "Tasks admitted by POST /api/0.01/task.", accepted);
  family("fossa_tasks_rejected_total", "counter", "Task submissions refused, by reason.");
  for (const char* reason : {"capacity", "invalid", "model", "stopping"}) {
    const auto found = rejected.find(reason);
    out << "fossa_tasks_rejected_total{reason=\"" << reason << "\"} " << (found == rejected.end() ? 0 : found->second)
        << "\n";
  }
  single("fossa_tasks_completed_total", "counter", "Tasks that ended complete.", completed);
  single("fossa_tasks_failed_total", "counter", "Tasks that ended failed.", failed);
  single("fossa_subtasks_completed_total", "counter", "Subtasks of partitioned tasks that ended complete.", subtasks_completed);
  single("fossa_subtasks_failed_total", "counter", "Subtasks that ended failed after their retries.", subtasks_failed);
  single("fossa_tasks_running", "gauge", "Top-level tasks running now.", running);
  single("fossa_subtasks_running", "gauge", "Subtasks running now.", running_subtasks);
  single("fossa_tasks_running_peak", "gauge", "The most top-level tasks ever running at once.", running_peak);
  single("fossa_task_processes_running", "gauge",
         "Task and subtask processes at work now (a parent waiting for its subtasks is not counted).",
         task_processes_running);
  single("fossa_task_processes_running_peak", "gauge", "The most task and subtask processes ever at work at once.",
         task_processes_peak);
  single("fossa_capacity", "gauge", "Maximum concurrent tasks (slots).", capacity);
  single("fossa_slots_in_use", "gauge", "Slots held by tasks and subtasks.", used_slots);
  family("fossa_task_duration_seconds", "histogram", "Wall time of finished top-level tasks.");
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < kDurationBuckets.size(); ++i) {
    cumulative += duration_counts[i];
    out << "fossa_task_duration_seconds_bucket{le=\"" << kDurationBuckets[i] << "\"} " << cumulative << "\n";
  }
  out << "fossa_task_duration_seconds_bucket{le=\"+Inf\"} " << duration_count << "\n";
  out << "fossa_task_duration_seconds_sum " << duration_sum << "\n";
  out << "fossa_task_duration_seconds_count " << duration_count << "\n";
  return out.str();
}

}  // namespace fossa::node
