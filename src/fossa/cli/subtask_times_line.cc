#include "cli/subtask_times_line.h"

#include "text/duration.h"

namespace fossa::cli {

std::optional<std::string> subtask_times_line(const ayeaye::Json& subtasks) {
  if (!subtasks.is_object()) return std::nullopt;
  const auto number = [&](const char* key) -> std::optional<double> {
    const auto found = subtasks.find(key);
    if (found == subtasks.end() || !found->is_number()) return std::nullopt;
    return found->get<double>();
  };
  const auto run = number("run_seconds");
  const auto wait = number("queue_wait_seconds");
  if (!run || !wait) return std::nullopt;
  std::string line = "subtasks ran for " + text::human_duration(*run) + " in all and waited " + text::human_duration(*wait) +
                     " in the queue";
  const auto untimed = number("untimed_attempts");
  if (untimed && *untimed >= 1) {
    const auto count = static_cast<long long>(*untimed);
    line += "; " + std::to_string(count) + (count == 1 ? " answer" : " answers") +
            " from nodes that do not say when they ran: " + text::human_duration(number("untimed_seconds").value_or(0)) +
            " from sending to answer, queue wait and run not known";
  }
  return line;
}

}  // namespace fossa::cli
