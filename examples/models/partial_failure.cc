// PartialFailure: 4 subtasks, and subtask 0 divides by zero. Proves that a failed subtask fails
// its parent, and that the parent's failure names the subtask (failure_origin_task_id).
#include <stdexcept>

#include "ayeaye/ayeaye.h"

namespace examples {

class PartialFailure : public ayeaye::PartitionedModel {
 public:
  std::vector<ayeaye::TaskPartition> partition_slice(int /*partition_count*/) override {
    std::vector<ayeaye::TaskPartition> subtasks;
    for (int id = 0; id < 4; ++id) subtasks.push_back({"do_something", {{"subtask_id", id}}});
    return subtasks;
  }

  double do_something(int subtask_id) {
    // Integer division by zero is undefined behaviour in C++, not an exception as in Python.
    if (subtask_id == 0) throw std::domain_error("division by zero");
    return 1.0 / subtask_id;
  }
};

}  // namespace examples

using examples::PartialFailure;
AYEAYE_REGISTER_MODEL(PartialFailure, AYEAYE_SUBTASK(do_something, subtask_id));
