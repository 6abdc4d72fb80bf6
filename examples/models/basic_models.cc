// Plain (unpartitioned) example models, with the names and behaviour of Python Fossa's examples.
// The node's tests use them to watch a task's life: NothingEtl ends at once, HalfSecondEtl just
// long enough to be seen running, LongRunningEtl for ten minutes unless stopped.
#include <chrono>
#include <thread>

#include "ayeaye/ayeaye.h"

namespace examples {

// Does nothing, successfully.
class NothingEtl : public ayeaye::Model {
 public:
  void build() override {}
};

class HalfSecondEtl : public ayeaye::Model {
 public:
  void build() override {
    log("Running HalfSecondEtl...");
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    log("Finishing HalfSecondEtl...");
  }
};

// 60 loops of 10 s; used to see running tasks and how a node stops them.
class LongRunningEtl : public ayeaye::Model {
 public:
  void build() override {
    constexpr int kLoops = 60;
    for (int i = 0; i < kLoops; ++i) {
      log("Loop " + std::to_string(i) + " of " + std::to_string(kLoops));
      std::this_thread::sleep_for(std::chrono::seconds(10));
    }
  }
};

}  // namespace examples

using examples::HalfSecondEtl;
using examples::LongRunningEtl;
using examples::NothingEtl;

AYEAYE_REGISTER_MODEL(NothingEtl);
AYEAYE_REGISTER_MODEL(HalfSecondEtl);
AYEAYE_REGISTER_MODEL(LongRunningEtl);
