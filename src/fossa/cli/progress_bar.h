// ProgressBar: one line at the bottom of a terminal showing how far a run is, with log lines
// scrolling above it. Used only when stderr is a terminal; otherwise callers print plain lines.
// One owner thread.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace fossa::cli {

class ProgressBar {
 public:
  explicit ProgressBar(std::string label);
  ~ProgressBar();  // leaves the terminal with the bar erased

  // Subtask counts (a partitioned run) ...
  void set_counts(std::size_t done, std::size_t total, std::size_t running, std::size_t failed);
  // ... or the model's own fraction (0..1) when there are no subtasks to count.
  void set_fraction(double fraction);
  // Prints a line above the bar.
  void print_line(std::string_view line);

 private:
  // Redraws at most every 100 ms (and always at 100%), so a fast run doesn't flood the terminal.
  void draw(bool force = false);
  void erase();

  std::string label_;
  std::chrono::steady_clock::time_point started_;
  double fraction_ = 0;
  std::string detail_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace fossa::cli
