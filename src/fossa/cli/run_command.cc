#include "cli/run_command.h"

#include <memory>

#include "cli/command.h"
#include "text/duration.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>

#include "ayeaye/registry.h"
#include "ayeaye/run_task.h"
#include "cli/context_options.h"
#include "cli/progress_bar.h"
#include "local/local_process_pool.h"
#include "process/child_process.h"

namespace fossa::cli {
namespace {

// Prints the model's log lines: above the progress bar on a terminal, plain lines otherwise.
class ConsoleObserver : public ayeaye::ModelObserver {
 public:
  explicit ConsoleObserver(ProgressBar* bar) : bar_(bar) {}
  void on_log(ayeaye::LogLevel level, std::string_view message) override {
    const std::string line = ayeaye::format_log_line(ayeaye::to_string(level), message);
    if (bar_ != nullptr) {
      if (level != ayeaye::LogLevel::kProgress) bar_->print_line(line);
    } else {
      std::fprintf(stderr, "%s\n", line.c_str());
    }
  }
  void on_progress(double fraction, std::string_view /*message*/) override {
    if (bar_ != nullptr && !counting_subtasks) bar_->set_fraction(fraction);
  }
  bool counting_subtasks = false;

 private:
  ProgressBar* bar_;
};

std::string seconds_text(std::chrono::steady_clock::duration d) {
  return text::human_duration(std::chrono::duration<double>(d).count());
}

}  // namespace

int run_command(const RunOptions& options) {
  // The model runs in this process too (its go(), and every subtask with one worker): the
  // engine's secrets go before it does. Still one thread here.
  for (const auto& name : engine_secrets()) ::unsetenv(name.c_str());
  const auto& registry = ayeaye::ModelRegistry::instance();
  if (registry.find(options.model_class) == nullptr) {
    std::cerr << "fossa run: unknown model '" << options.model_class << "'; registered models:";
    for (const auto& name : registry.names()) std::cerr << ' ' << name;
    std::cerr << "\n";
    return 2;
  }
  auto task = task_from_options(options.model_class, options.method, options.context, options.secrets, options.kwargs);
  if (!task) {
    std::cerr << "fossa run: " << task.error() << "\n";
    return 2;
  }
  if (options.workers && *options.workers < 1) {
    std::cerr << "fossa run: --workers must be at least 1, got " << *options.workers << "\n";
    return 2;
  }

  ayeaye::TaskSpec spec = std::move(task).value();
  spec.task_id = "run";
  // What the run was given belongs with its outcome (in a file the output is saved to, say);
  // secret values show as "***".
  if (!spec.resolver_context.empty()) {
    std::cout << "resolver context: " << spec.resolver_context.display_json().dump() << "\n" << std::flush;
  }

  const int capacity = options.workers ? *options.workers : default_capacity(options.cpu_task_ratio);
  std::optional<ProgressBar> bar;
  if (::isatty(STDERR_FILENO) != 0) bar.emplace(options.model_class);
  ConsoleObserver observer(bar ? &*bar : nullptr);

  LocalProcessPool pool({capacity, options.retries, "/proc/self/exe", "run"});
  SubtaskProgress last_progress;
  pool.set_progress_callback([&](const SubtaskProgress& p) {
    last_progress = p;
    observer.counting_subtasks = true;
    if (bar) bar->set_counts(p.done, p.total, p.running, p.failed);
  });

  std::optional<ayeaye::PartitionedModel::SubtaskCounts> counts;
  int workers_used = 0;
  ayeaye::RunTaskHooks hooks;
  hooks.observer = &observer;
  hooks.executor = &pool;
  hooks.inspect = [&](const ayeaye::Model& model) {
    if (const auto* partitioned = dynamic_cast<const ayeaye::PartitionedModel*>(&model)) {
      if (options.method == "go") {
        counts = partitioned->subtask_counts();
        workers_used = partitioned->worker_count();
      }
    }
  };
  const auto started = std::chrono::steady_clock::now();
  const ayeaye::TaskMessage result = ayeaye::run_task(spec, hooks);
  const auto wall = std::chrono::steady_clock::now() - started;
  bar.reset();

  std::string summary = options.model_class;
  if (options.method != "go") summary += "." + options.method;
  const auto* failed = std::get_if<ayeaye::TaskFailed>(&result);
  summary += failed ? " failed" : " complete";
  if (counts) {
    summary += ": " + std::to_string(counts->total) + " subtasks, " + std::to_string(counts->failed) +
               " failed, " + std::to_string(last_progress.retried) + " retried, " +
               std::to_string(workers_used) + (workers_used == 1 ? " worker" : " workers") + ",";
  } else {
    summary += ":";
  }
  summary += " wall time " + seconds_text(wall);
  std::cout << summary << "\n";

  if (const auto* complete = std::get_if<ayeaye::TaskComplete>(&result); complete && options.method != "go") {
    std::cout << "return value: " << complete->return_value.dump() << "\n";
  }
  if (failed) {
    std::cout << failed->exception_class_name << ": " << failed->message() << "\n";
    if (failed->failure_origin_task_id) std::cout << "failed subtask: " << *failed->failure_origin_task_id << "\n";
    std::cerr << "trace:\n";
    for (const auto& line : failed->traceback) std::cerr << "  " << line << "\n";
    return 1;
  }
  return 0;
}


Command add_run_command(CLI::App& app) {
  auto options = std::make_shared<RunOptions>();
  auto workers = std::make_shared<int>(0);
  auto* cmd = app.add_subcommand("run", "Run a model here; its subtasks run in local worker processes");
  cmd->add_option("model", options->model_class, "Model class name (see `fossa models`)")->required();
  cmd->add_option("--context,-c", options->context, "Resolver context key=value (repeatable; printed first)");
  cmd->add_option("--secret", options->secrets,
                  "Resolver context key=value the model gets, shown and logged only as *** (repeatable)");
  cmd->add_option("--method", options->method, "Run only this method (default: go, the whole model)");
  cmd->add_option("--kwargs", options->kwargs, "The method's kwargs as a JSON object");
  cmd->add_option("--workers,-w", *workers,
                  "Worker processes on offer (default: ceil(CPUs x cpu-task-ratio)); 1 runs subtasks in this process");
  cmd->add_option("--cpu-task-ratio", options->cpu_task_ratio, "Workers per CPU when --workers is not given")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--retries", options->retries, "Times a failed subtask is run again before it fails the model")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  return {cmd, [cmd, options, workers] {
            if (cmd->count("--workers") > 0) options->workers = *workers;
            return run_command(*options);
          }};
}

}  // namespace fossa::cli
