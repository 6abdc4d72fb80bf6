// StaggeredEtl: 12 subtasks that each sleep 0.4 s (or the resolver context key `subtask_seconds`),
// with the worker count forced to the resolver context key `requested_workers`. It writes {output_datasets}/staggered_results.csv with when
// each subtask started and when the parent heard it finished (epoch seconds), so a test can see
// how many ran at once.
#include <chrono>
#include <thread>

#include "ayeaye/ayeaye.h"

namespace examples {

namespace {
double epoch_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}
}  // namespace

class StaggeredEtl : public ayeaye::PartitionedModel {
 public:
  ayeaye::PartitionPlea partition_plea() override {
    const int workers = static_cast<int>(context().require_int("requested_workers"));
    return {workers, workers, workers};
  }

  std::vector<ayeaye::TaskPartition> partition_slice(int /*partition_count*/) override {
    const double seconds = std::stod(context().get_or("subtask_seconds", "0.4"));
    return std::vector<ayeaye::TaskPartition>(12, ayeaye::TaskPartition{"some_work", {{"seconds", seconds}}});
  }

  void partition_subtask_complete(const std::string&, const ayeaye::Json&, const ayeaye::Json& started) override {
    sub_task_stats.add({{"started", started}, {"finished", epoch_seconds()}});
  }

  double some_work(double seconds) {
    const double started = epoch_seconds();
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    return started;
  }

  ayeaye::Dataset sub_task_stats{this, "csv://{output_datasets}/staggered_results.csv", ayeaye::Access::kWrite,
                                 {"started", "finished"}};
};

}  // namespace examples

using examples::StaggeredEtl;
AYEAYE_REGISTER_MODEL(StaggeredEtl, AYEAYE_SUBTASK(some_work, seconds));
