#include "ayeaye/model.h"

#include <algorithm>
#include <exception>
#include <array>
#include <cstdio>
#include <ctime>
#include <iostream>

#include "ayeaye/dataset.h"

namespace ayeaye {
namespace {

constexpr std::array<std::string_view, 6> kLevelNames = {"DEBUG",   "PROGRESS", "INFO",
                                                         "WARNING", "ERROR",    "CRITICAL"};

std::string utc_timestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::array<char, 32> buffer{};
  std::strftime(buffer.data(), buffer.size(), "%Y-%m-%d %H:%M:%S", &tm);
  return buffer.data();
}

}  // namespace

std::string_view to_string(LogLevel level) { return kLevelNames.at(static_cast<std::size_t>(level)); }

std::optional<LogLevel> parse_log_level(std::string_view name) {
  for (std::size_t i = 0; i < kLevelNames.size(); ++i) {
    if (kLevelNames[i] == name) return static_cast<LogLevel>(i);
  }
  return std::nullopt;
}

std::string format_log_line(std::string_view level, std::string_view message) {
  std::string line = utc_timestamp();
  line += ' ';
  line += level;
  line.append(level.size() < 10 ? 10 - level.size() : 1, ' ');
  line += message;
  return line;
}

Model::Model() : context_(ResolverContext::current()) {}

Model::~Model() = default;

bool Model::go() {
  build_started_ = std::chrono::steady_clock::now();
  progress_logged_.reset();
  failed_check_.clear();
  if (!pre_build_check()) {
    failed_check_ = "pre_build_check";
    log("Pre-build check failed", LogLevel::kError);
    close_datasets();
    return false;
  }
  close_datasets();
  try {
    run_build();
  } catch (...) {
    abandon_datasets();
    throw;
  }
  close_datasets();
  if (!post_build_check()) {
    failed_check_ = "post_build_check";
    log("Post-build check failed", LogLevel::kError);
    close_datasets();
    return false;
  }
  close_datasets();
  for (const auto& [name, value] : stats_) {
    log("Statistic: " + name + " = " + std::to_string(value));
  }
  return true;
}

void Model::log(std::string_view message, LogLevel level) const {
  const std::string clean = context_.redact(message);
  if (observer_ != nullptr) {
    observer_->on_log(level, clean);
  } else {
    std::cerr << format_log_line(to_string(level), clean) << '\n';
  }
}

void Model::log_progress(double fraction, std::string_view message) {
  fraction = std::clamp(fraction, 0.0, 1.0);
  if (fraction < 0.0001) return;
  const auto now = std::chrono::steady_clock::now();
  if (progress_logged_ && now - *progress_logged_ < progress_interval_ && fraction < 1.0) return;
  if (build_started_ == std::chrono::steady_clock::time_point{}) build_started_ = now;
  const double running = std::chrono::duration<double>(now - build_started_).count();
  const double remaining = running / fraction - running;
  std::array<char, 64> head{};
  std::snprintf(head.data(), head.size(), "%.2f%% %.1f s remaining.", fraction * 100.0, remaining);
  std::string line = head.data();
  if (!message.empty()) {
    line += ' ';
    line += message;
  }
  progress_logged_ = now;
  log(line, LogLevel::kProgress);
  if (observer_ != nullptr) observer_->on_progress(fraction, context_.redact(line));
}

void Model::close_datasets() {
  for (DatasetBase* dataset : datasets_) dataset->close();
}

void Model::abandon_datasets() {
  for (DatasetBase* dataset : datasets_) dataset->abandon();
}

void Model::register_dataset(DatasetBase* dataset) { datasets_.push_back(dataset); }

void Model::unregister_dataset(DatasetBase* dataset) {
  datasets_.erase(std::remove(datasets_.begin(), datasets_.end(), dataset), datasets_.end());
}

DatasetBase::DatasetBase(Model* owner) : owner_(owner) {
  if (owner_ != nullptr) owner_->register_dataset(this);
}

DatasetBase::~DatasetBase() {
  if (owner_ != nullptr) owner_->unregister_dataset(this);
}

void DatasetBase::close_or_abandon() noexcept {
  try {
    if (std::uncaught_exceptions() > 0) {
      abandon();
    } else {
      close();
    }
  } catch (...) {
  }
}

}  // namespace ayeaye
