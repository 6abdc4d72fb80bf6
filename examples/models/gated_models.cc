// Models that run until their test lets them go, through a named pipe (a FIFO) whose path is the
// resolver context key `gate`: each waiting task or subtask passes when one byte is written into
// it. Tests decide when work ends without guessing how long anything takes.
//   GateEtl      one task at the gate.
//   GatedFanout  `subtasks` subtasks (default 3), each at the gate, each returning its index.
#include <fcntl.h>
#include <unistd.h>

#include <stdexcept>
#include <string>

#include "ayeaye/ayeaye.h"

namespace examples {
namespace {

void pass_gate(const std::string& gate) {
  const int fd = ::open(gate.c_str(), O_RDONLY);  // blocks until a writer opens it
  if (fd < 0) throw std::runtime_error("cannot open the gate " + gate);
  char byte = 0;
  const auto got = ::read(fd, &byte, 1);
  ::close(fd);
  if (got != 1) throw std::runtime_error("the gate " + gate + " closed without letting anything through");
}

}  // namespace

class GateEtl : public ayeaye::Model {
 public:
  void build() override {
    const std::string gate = context().require("gate");
    log("waiting at " + gate);
    pass_gate(gate);
    log("through the gate");
  }
};

class GatedFanout : public ayeaye::PartitionedModel {
 public:
  void build() override {
    count_ = context().get_int_or("subtasks", 3);
    if (count_ < 0) throw std::invalid_argument("subtasks must be >= 0, got " + std::to_string(count_));
  }

  ayeaye::PartitionPlea partition_plea() override { return {1, 128, 128}; }

  std::vector<ayeaye::TaskPartition> partition_slice(int /*partition_count*/) override {
    std::vector<ayeaye::TaskPartition> subtasks;
    for (long long i = 0; i < count_; ++i) subtasks.push_back({"pass", {{"i", i}}});
    return subtasks;
  }

  long long pass(long long i) {
    pass_gate(context().require("gate"));
    return i;
  }

 private:
  long long count_ = 0;
};

}  // namespace examples

using examples::GatedFanout;
using examples::GateEtl;
AYEAYE_REGISTER_MODEL(GateEtl);
AYEAYE_REGISTER_MODEL(GatedFanout, AYEAYE_SUBTASK(pass, i));
