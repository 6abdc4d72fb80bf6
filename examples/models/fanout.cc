// Fanout: N no-op subtasks (N from the resolver context key `subtasks`, default 100), for
// measuring what the runtime itself costs per subtask. It pleads for 128 workers (the default
// plea's maximum), so that the runtime, not the plea, sets the pace.
#include "ayeaye/ayeaye.h"

namespace examples {

class Fanout : public ayeaye::PartitionedModel {
 public:
  void build() override {
    count_ = context().get_int_or("subtasks", 100);
    if (count_ < 0) throw std::invalid_argument("subtasks must be >= 0, got " + std::to_string(count_));
  }

  ayeaye::PartitionPlea partition_plea() override { return {1, 128, 128}; }

  std::vector<ayeaye::TaskPartition> partition_slice(int /*partition_count*/) override {
    std::vector<ayeaye::TaskPartition> subtasks;
    subtasks.reserve(static_cast<std::size_t>(count_));
    for (long long i = 0; i < count_; ++i) subtasks.push_back({"noop", {{"i", i}}});
    return subtasks;
  }

  long long noop(long long i) { return i; }

 private:
  long long count_ = 0;
};

}  // namespace examples

using examples::Fanout;
AYEAYE_REGISTER_MODEL(Fanout, AYEAYE_SUBTASK(noop, i));
