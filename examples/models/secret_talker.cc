// SecretTalker: a model that uses a secret and says it everywhere a model can, for the tests that
// prove Fossa keeps secret context values out of what it shows (tests/integration/secrets_test.cc).
// Not an example to follow: a model should never write its secrets anywhere.
//
// Context: `token` (give it with --secret), `greeting` (a plain value), `subtasks` (default 2) and
// `fail`: "no" (default), "throw" (subtask 0 throws an exception naming both values) or "crash"
// (subtask 0 prints both, then aborts). The parent logs both; every subtask logs both and prints
// both to standard output. Each line names the secret and the plain value side by side, so a test
// can see the plain value arrive where the secret must not. Each subtask returns its token
// reversed and the parent checks it: a run that completes proves the subtasks had the real secret.
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "ayeaye/ayeaye.h"

namespace examples {

class SecretTalker : public ayeaye::PartitionedModel {
 public:
  void build() override {
    token_ = context().require("token");
    greeting_ = context().require("greeting");
    subtasks_ = context().get_int_or("subtasks", 2);
    fail_ = context().get_or("fail", "no");
    if (subtasks_ < 1) throw std::invalid_argument("subtasks must be >= 1, got " + std::to_string(subtasks_));
    if (fail_ != "no" && fail_ != "throw" && fail_ != "crash") {
      throw std::invalid_argument("fail must be no, throw or crash, got '" + fail_ + "'");
    }
    log("parent holds token " + token_ + " to greet " + greeting_);
  }

  ayeaye::PartitionPlea partition_plea() override { return {1, 4, 4}; }

  std::vector<ayeaye::TaskPartition> partition_slice(int /*partition_count*/) override {
    std::vector<ayeaye::TaskPartition> slices;
    for (long long i = 0; i < subtasks_; ++i) slices.push_back({"talk", {{"i", i}, {"fail", i == 0 ? fail_ : "no"}}});
    return slices;
  }

  std::string talk(long long i, const std::string& fail) {
    const std::string token = context().require("token");
    const std::string greeting = context().require("greeting");
    const std::string n = std::to_string(i);
    log("subtask " + n + " logs token " + token + " to greet " + greeting);
    std::printf("subtask %lld prints token %s to greet %s\n", i, token.c_str(), greeting.c_str());
    std::fflush(stdout);
    if (fail == "throw") throw std::runtime_error("subtask " + n + " refused token " + token + " to greet " + greeting);
    if (fail == "crash") std::abort();
    return reversed(token);
  }

  void partition_subtask_complete(const std::string& /*method_name*/, const ayeaye::Json& method_kwargs,
                                  const ayeaye::Json& return_value) override {
    if (!return_value.is_string() || return_value.get<std::string>() != reversed(token_)) {
      throw std::runtime_error("subtask " + method_kwargs.dump() + " did not have the run's token");
    }
  }

  void partition_complete() override { log("every subtask had the token"); }

 private:
  static std::string reversed(const std::string& text) { return {text.rbegin(), text.rend()}; }

  std::string token_;
  std::string greeting_;
  long long subtasks_ = 0;
  std::string fail_;
};

}  // namespace examples

using examples::SecretTalker;
AYEAYE_REGISTER_MODEL(SecretTalker, AYEAYE_SUBTASK(talk, i, fail));
