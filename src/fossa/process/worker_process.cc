#include "process/worker_process.h"

#include "process/worker_channel.h"

#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>

namespace fossa {
namespace {
constexpr std::size_t kOutputTailLines = 40;

// A spawned child, with a pidfd that becomes readable when it ends.
class SpawnedProcess : public ProcessControl {
 public:
  explicit SpawnedProcess(ChildProcess child)
      : child_(std::move(child)), pidfd_(static_cast<int>(::syscall(SYS_pidfd_open, child_.pid(), 0))) {}
  pid_t pid() const override { return child_.pid(); }
  void kill(int signal) override { child_.kill(signal); }
  ExitStatus wait() override { return child_.wait(); }
  std::optional<ExitStatus> try_wait() override { return child_.try_wait(); }
  int exit_fd() const override { return pidfd_.get(); }

 private:
  ChildProcess child_;
  FileDescriptor pidfd_;
};

}  // namespace

WorkerProcess::WorkerProcess(std::unique_ptr<ProcessControl> process, FileDescriptor jobs, FileDescriptor messages,
                             FileDescriptor output)
    : process_(std::move(process)),
      jobs_(std::move(jobs)),
      messages_fd_(std::move(messages)),
      output_fd_(std::move(output)),
      messages_(messages_fd_.get()),
      output_(output_fd_.get()) {
  set_non_blocking(jobs_.get());
  set_non_blocking(messages_fd_.get());
  set_non_blocking(output_fd_.get());
}

ayeaye::Result<std::unique_ptr<WorkerProcess>> WorkerProcess::start(const Options& options) {
  using R = ayeaye::Result<std::unique_ptr<WorkerProcess>>;
  auto jobs = Pipe::make();
  auto messages = Pipe::make();
  auto output = Pipe::make();
  if (!jobs) return R::fail(jobs.error());
  if (!messages) return R::fail(messages.error());
  if (!output) return R::fail(output.error());
  FileDescriptor dev_null(::open("/dev/null", O_RDONLY | O_CLOEXEC));

  ChildProcess::Options spawn;
  spawn.executable = options.executable;
  spawn.arguments = {"__worker"};
  spawn.extra_environment = options.extra_environment;
  spawn.removed_environment = engine_secrets();  // a model's process gets none of ours
  spawn.fd_map = {{0, dev_null.get()},
                  {1, output->write_end.get()},
                  {2, output->write_end.get()},
                  {kJobsFd, jobs->read_end.get()},
                  {kMessagesFd, messages->write_end.get()}};
  auto child = ChildProcess::spawn(spawn);
  if (!child) return R::fail(child.error());
  return std::make_unique<WorkerProcess>(std::make_unique<SpawnedProcess>(std::move(child).value()),
                                         std::move(jobs->write_end), std::move(messages->read_end),
                                         std::move(output->read_end));
}

bool WorkerProcess::send(const ayeaye::TaskSpec& spec, int subtask_capacity) {
  if (!jobs_.valid()) return false;
  ayeaye::Json line = ayeaye::to_json(spec);
  line["task_id"] = spec.task_id;
  if (subtask_capacity > 0) line[channel::kSubtaskCapacityField] = subtask_capacity;
  return queue_line(line.dump() + "\n", OutboundQueue::Kind::kEssential);
}

bool WorkerProcess::queue_line(std::string line, OutboundQueue::Kind kind) {
  if (!jobs_.valid()) return false;
  const bool was_idle = input_.empty();
  if (!input_.push(std::move(line), kind)) return false;
  // Most lines fit in the pipe at once; only what does not waits for POLLOUT.
  if (was_idle) flush_input();
  return jobs_.valid();
}

void WorkerProcess::flush_input() {
  if (jobs_.valid() && write_queued(jobs_.get(), input_) == WriteOutcome::kPeerGone) close_input();
}

void WorkerProcess::close_input() {
  jobs_.reset();
  input_.clear();
}

void WorkerProcess::remember_output(const std::string& line) {
  output_tail_.push_back(line);
  while (output_tail_.size() > kOutputTailLines) output_tail_.pop_front();
}

}  // namespace fossa
