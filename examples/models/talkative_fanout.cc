// TalkativeFanout: subtasks that talk. Each of `subtasks` subtasks (resolver context, default 4)
// calls log() `log_lines` times (default 3) and writes `stdout_lines` plain lines to standard
// output (default 3). Every line names its subtask and its number, so a test can prove that a
// particular model line reached a particular place ("subtask 2 log line 1"); large counts are the
// talkative model that must never wedge a runtime.
#include <cstdio>
#include <stdexcept>
#include <string>

#include "ayeaye/ayeaye.h"

namespace examples {

class TalkativeFanout : public ayeaye::PartitionedModel {
 public:
  void build() override {
    subtasks_ = context().get_int_or("subtasks", 4);
    log_lines_ = context().get_int_or("log_lines", 3);
    stdout_lines_ = context().get_int_or("stdout_lines", 3);
    for (const auto& [name, value] : {std::pair{"subtasks", subtasks_}, std::pair{"log_lines", log_lines_},
                                      std::pair{"stdout_lines", stdout_lines_}}) {
      if (value < 0) throw std::invalid_argument(std::string(name) + " must be >= 0, got " + std::to_string(value));
    }
    log("talkative parent starts " + std::to_string(subtasks_) + " subtasks");
  }

  ayeaye::PartitionPlea partition_plea() override { return {1, 8, 8}; }

  std::vector<ayeaye::TaskPartition> partition_slice(int /*partition_count*/) override {
    std::vector<ayeaye::TaskPartition> slices;
    for (long long i = 0; i < subtasks_; ++i) {
      slices.push_back({"talk", {{"i", i}, {"log_lines", log_lines_}, {"stdout_lines", stdout_lines_}}});
    }
    return slices;
  }

  long long talk(long long i, long long log_lines, long long stdout_lines) {
    for (long long n = 1; n <= log_lines; ++n) {
      log("subtask " + std::to_string(i) + " log line " + std::to_string(n));
    }
    for (long long n = 1; n <= stdout_lines; ++n) {
      std::printf("subtask %lld stdout line %lld\n", i, n);
    }
    std::fflush(stdout);
    return i;
  }

 private:
  long long subtasks_ = 0;
  long long log_lines_ = 0;
  long long stdout_lines_ = 0;
};

}  // namespace examples

using examples::TalkativeFanout;
AYEAYE_REGISTER_MODEL(TalkativeFanout, AYEAYE_SUBTASK(talk, i, log_lines, stdout_lines));
