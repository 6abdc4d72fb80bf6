#include "cli/progress_bar.h"

#include <cstdio>

namespace fossa::cli {

namespace {
constexpr int kWidth = 30;
}

ProgressBar::ProgressBar(std::string label)
    : label_(std::move(label)), started_(std::chrono::steady_clock::now()) {}

ProgressBar::~ProgressBar() { erase(); }

void ProgressBar::set_counts(std::size_t done, std::size_t total, std::size_t running, std::size_t failed) {
  fraction_ = total == 0 ? 0 : static_cast<double>(done) / static_cast<double>(total);
  detail_ = std::to_string(done) + "/" + std::to_string(total) + " subtasks, " + std::to_string(running) +
            " running, " + std::to_string(failed) + " failed";
  draw();
}

void ProgressBar::set_fraction(double fraction) {
  fraction_ = fraction;
  char text[32];
  std::snprintf(text, sizeof text, "%.0f%%", fraction * 100);
  detail_ = text;
  draw();
}

void ProgressBar::print_line(std::string_view line) {
  erase();
  std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
  draw(/*force=*/true);
}

void ProgressBar::erase() {
  if (drawn_) std::fputs("\r\033[2K", stderr);
  drawn_ = false;
}

void ProgressBar::draw(bool force) {
  const auto now = std::chrono::steady_clock::now();
  if (!force && fraction_ < 1.0 && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  const int filled = static_cast<int>(fraction_ * kWidth);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.append(static_cast<std::size_t>(kWidth - filled), '-');
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  std::fprintf(stderr, "\r\033[2K%s [%s] %s  %.1f s", label_.c_str(), bar.c_str(), detail_.c_str(), seconds);
  std::fflush(stderr);
  drawn_ = true;
}

}  // namespace fossa::cli
