// Model: one ETL step. go() runs pre_build_check() → build() → post_build_check(), closing the
// model's datasets after each stage so no stage sees another's file positions.
//
//   class NothingEtl : public ayeaye::Model {
//     void build() override { log("nothing to do"); }
//   };
//   AYEAYE_REGISTER_MODEL(NothingEtl);
//
// A model is used by one thread at a time. The runtime, not the author, decides where its log
// lines go (ModelObserver) and which resolver context it runs in (ResolverContext::Scope, made
// current while the model is constructed).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ayeaye/resolver_context.h"

namespace ayeaye {

enum class LogLevel { kDebug, kProgress, kInfo, kWarning, kError, kCritical };

// "DEBUG", "PROGRESS", "INFO", "WARNING", "ERROR", "CRITICAL": the protocol's level names.
std::string_view to_string(LogLevel level);
std::optional<LogLevel> parse_log_level(std::string_view name);

// "2026-11-24 21:14:05 INFO       message": a log line as the framework prints it, stamped in UTC.
std::string format_log_line(std::string_view level, std::string_view message);

// Where a model's log lines and progress go. The default (no observer) writes timestamped lines
// to stderr. Lines arrive already redacted of secret context values.
class ModelObserver {
 public:
  virtual ~ModelObserver() = default;
  virtual void on_log(LogLevel level, std::string_view message) = 0;
  // The model's own estimate of how far it is, 0..1, with the ETA already in `message`.
  virtual void on_progress(double /*fraction*/, std::string_view /*message*/) {}
};

class DatasetBase;

class Model {
 public:
  Model();
  virtual ~Model();
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;

  // Runs the model. False when a check failed (the reason is logged, and failed_check() names
  // it); what build() throws propagates to the runtime, which turns it into a TaskFailed.
  bool go();
  // "pre_build_check" or "post_build_check" after a go() that returned false; empty otherwise.
  const std::string& failed_check() const { return failed_check_; }

  virtual bool pre_build_check() { return true; }
  virtual void build() = 0;
  virtual bool post_build_check() { return true; }

  // A log line, stamped with UTC time by whoever prints it.
  void log(std::string_view message, LogLevel level = LogLevel::kInfo) const;
  // Where the model is, 0..1. Logged as a PROGRESS line with an ETA at most once per
  // progress_interval(), so it may be called for every record.
  void log_progress(double fraction, std::string_view message = {});

  // Counters a model may keep (`stats()["rows_read"]++`); logged when go() ends.
  std::map<std::string, std::int64_t>& stats() { return stats_; }
  const ResolverContext& context() const { return context_; }

  // Closes every dataset this model declares. go() calls it after each stage.
  void close_datasets();
  // The same when the model failed: what its datasets wrote to S3 is dropped (see dataset.h).
  void abandon_datasets();

  // --- wiring, for runtimes and tests ---
  void set_observer(ModelObserver* observer) { observer_ = observer; }
  ModelObserver* observer() const { return observer_; }
  void set_context(ResolverContext context) { context_ = std::move(context); }
  void set_progress_interval(std::chrono::milliseconds interval) { progress_interval_ = interval; }
  std::chrono::milliseconds progress_interval() const { return progress_interval_; }
  // The registered class name, set by the registry when it creates the model.
  const std::string& class_name() const { return class_name_; }
  void set_class_name(std::string name) { class_name_ = std::move(name); }

 protected:
  // What go() runs between the checks; PartitionedModel runs its subtasks here.
  virtual void run_build() { build(); }
  std::chrono::steady_clock::time_point build_started() const { return build_started_; }

 private:
  friend class DatasetBase;
  void register_dataset(DatasetBase* dataset);
  void unregister_dataset(DatasetBase* dataset);

  ResolverContext context_;
  ModelObserver* observer_ = nullptr;
  std::string class_name_;
  std::string failed_check_;
  std::map<std::string, std::int64_t> stats_;
  std::vector<DatasetBase*> datasets_;
  std::chrono::milliseconds progress_interval_{std::chrono::seconds(5)};
  std::chrono::steady_clock::time_point build_started_{};
  std::optional<std::chrono::steady_clock::time_point> progress_logged_;
};

}  // namespace ayeaye
