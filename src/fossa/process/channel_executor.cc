#include "process/channel_executor.h"

#include <cstdlib>

#include "ayeaye/task_spec.h"
#include "process/pipe.h"
#include "process/worker_channel.h"

namespace fossa {
namespace {

// One getline(3) buffer, freed however run() leaves.
struct LineBuffer {
  char* data = nullptr;
  std::size_t size = 0;
  ~LineBuffer() { std::free(data); }
};

}  // namespace

void ChannelExecutor::run(const std::vector<ayeaye::TaskPartition>& subtasks, int workers,
                          const ayeaye::ResolverContext& context, ayeaye::SubtaskListener& listener) {
  if (subtasks.empty()) return;
  ayeaye::Json specs = ayeaye::Json::array();
  for (const auto& subtask : subtasks) specs.push_back(ayeaye::to_json(ayeaye::subtask_spec(subtask, context, "")));
  const ayeaye::Json request = {{"type", channel::kRunSubtasks},
                                {"payload", {{"workers", workers}, {"subtasks", std::move(specs)}}}};
  if (!write_all(kMessagesFd, request.dump() + "\n")) throw ayeaye::Error("the node closed the task channel");

  std::size_t outstanding = subtasks.size();
  LineBuffer line;
  try {
    while (outstanding > 0) {
      if (::getline(&line.data, &line.size, from_node_) <= 0) throw ayeaye::Error("the node closed the task channel");
      auto event = channel::parse_subtask_event(line.data, subtasks.size());
      if (!event) throw ayeaye::Error("unreadable subtask event from the node: " + event.error());
      if (event->is_result) {
        --outstanding;
        listener.on_subtask_result(event->index, event->message);
      } else {
        listener.on_subtask_log(event->index, std::get<ayeaye::TaskLogMessage>(event->message));
      }
    }
  } catch (...) {
    // The model gave up early (a failed subtask, say): the node stops what is still running and
    // sends nothing more about these subtasks.
    if (outstanding > 0) {
      const ayeaye::Json cancel = {{"type", channel::kCancelSubtasks}, {"payload", ayeaye::Json::object()}};
      write_all(kMessagesFd, cancel.dump() + "\n");
    }
    throw;
  }
}

}  // namespace fossa
