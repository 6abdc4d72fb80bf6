// Test fixture, not an example: EnvironmentPrinter writes the environment of every process it runs
// in to files, for the test that a model never sees the engine's own secrets (FOSSA_API_TOKEN,
// RABBITMQ_URL and its password, the gateway's passwords): tests/integration/model_environment_test.cc.
//
// Context: `output`, a directory. The parent (build, where the model's go() runs) writes
// `<output>/parent.env` and each of its 2 subtasks `<output>/subtask-<i>.env`: one NAME=value a
// line, as the process's environment holds them.
#include <fstream>
#include <string>

#include "ayeaye/ayeaye.h"

extern char** environ;

namespace examples {

class EnvironmentPrinter : public ayeaye::PartitionedModel {
 public:
  void build() override { write_environment(context().require("output") + "/parent.env"); }

  ayeaye::PartitionPlea partition_plea() override { return {1, 2, 2}; }

  std::vector<ayeaye::TaskPartition> partition_slice(int /*partition_count*/) override {
    return {{"print", {{"i", 0}}}, {"print", {{"i", 1}}}};
  }

  bool print(long long i) {
    write_environment(context().require("output") + "/subtask-" + std::to_string(i) + ".env");
    return true;
  }

 private:
  void write_environment(const std::string& path) const {
    std::ofstream out(path);
    for (char** variable = environ; *variable != nullptr; ++variable) out << *variable << "\n";
    if (!out) throw std::runtime_error("cannot write " + path);
    log("wrote the environment to " + path);
  }
};

}  // namespace examples

using examples::EnvironmentPrinter;
AYEAYE_REGISTER_MODEL(EnvironmentPrinter, AYEAYE_SUBTASK(print, i));
