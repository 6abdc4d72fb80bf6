// Models that crash on purpose, for the tests of isolation: a model can fail its own task, never
// the process that runs others. Not examples to follow.
#include <csignal>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

#include <unistd.h>

#include "ayeaye/ayeaye.h"

namespace examples {

// Subtask `i` crashes by `how`: "segfault", "abort", "throw" or "exit"; the others return i.
class CrashingSubtasks : public ayeaye::PartitionedModel {
 public:
  void build() override {
    how_ = context().get_or("crash", "segfault");
    crash_index_ = context().get_int_or("crash_index", 1);
  }

  std::vector<ayeaye::TaskPartition> partition_slice(int /*partition_count*/) override {
    std::vector<ayeaye::TaskPartition> subtasks;
    for (int i = 0; i < 4; ++i) {
      subtasks.push_back({"maybe_crash", {{"i", i}, {"crash", i == crash_index_ ? how_ : "no"}}});
    }
    return subtasks;
  }

  int maybe_crash(int i, const std::string& crash) {
    if (crash == "segfault") std::raise(SIGSEGV);
    if (crash == "abort") std::abort();
    if (crash == "exit") std::_Exit(3);
    if (crash == "throw") throw std::runtime_error("subtask " + std::to_string(i) + " threw");
    return i;
  }

 private:
  std::string how_;
  long long crash_index_ = 1;
};

// The whole model segfaults in build().
class SegfaultEtl : public ayeaye::Model {
 public:
  void build() override {
    log("about to crash");
    std::raise(SIGSEGV);
  }
};

// Writes nonsense into its process's channel to the node (fd 4, see docs/protocol.md), as a model
// with a stray write could: lines that are not JSON, of the wrong types, and a request for
// subtasks the node cannot read. Under `fossa node` its task fails; the node carries on.
class ChannelVandalEtl : public ayeaye::Model {
 public:
  void build() override {
    constexpr std::string_view kLines =
        "not json\n"
        "{\"type\": 5, \"payload\": []}\n"
        "{\"type\": \"TaskLogMessage\", \"payload\": {\"msg\": 7}}\n"
        "{\"type\": \"RunSubtasks\", \"payload\": {\"workers\": \"many\", \"subtasks\": \"none\"}}\n";
    if (::write(4, kLines.data(), kLines.size()) < 0) throw std::runtime_error("no channel on fd 4");
  }
};

}  // namespace examples

using examples::CrashingSubtasks;
using examples::ChannelVandalEtl;
using examples::SegfaultEtl;
AYEAYE_REGISTER_MODEL(CrashingSubtasks, AYEAYE_SUBTASK(maybe_crash, i, crash));
AYEAYE_REGISTER_MODEL(SegfaultEtl);
AYEAYE_REGISTER_MODEL(ChannelVandalEtl);
