// Plain (unpartitioned) example models, with the names and behaviour of Python Fossa's examples:
// NothingEtl ends at once (a cluster's smoke test), LongRunningEtl runs ten minutes unless stopped
// (to watch a running task on the pages, and how a node stops it).
#include <chrono>
#include <thread>

#include "ayeaye/ayeaye.h"

namespace examples {

// Does nothing, successfully.
class NothingEtl : public ayeaye::Model {
 public:
  void build() override {}
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

using examples::LongRunningEtl;
using examples::NothingEtl;

AYEAYE_REGISTER_MODEL(NothingEtl);
AYEAYE_REGISTER_MODEL(LongRunningEtl);
