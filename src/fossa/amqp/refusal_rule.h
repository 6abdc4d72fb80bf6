// The rule for a subtask a node cannot run (its model is not in the node's program): hand it back
// for another node, or give up and answer its parent that no node could run it. Pure: the record
// of earlier refusals, the node and the time come in, the decision goes out — no I/O, no clock of
// its own (the caller passes the time), so tests drive it with any clock they like.
//
// Why bounded twice: the time since the first refusal is the limit an operator thinks in (a node
// with the model may be busy for a while); the number of refusals bounds it even when the nodes'
// clocks disagree (a first refusal stamped in the future by a fast clock never looks old).
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "amqp/subtask_refusals.h"

namespace fossa::amqp {

struct RefusalLimits {
  // Give up once the subtask was first refused this long ago (0: at the first refusal).
  std::chrono::seconds give_up_after{120};
  // ... or once it has been refused this many times, whatever the clocks say.
  long long max_refusals = 300;
};

struct RefusalDecision {
  enum class Verdict { kHandBack, kGiveUp } verdict = Verdict::kHandBack;
  SubtaskRefusals refusals;  // the earlier refusals with this one added
  // From the first refusal to this one (zero when the first was stamped later than `now`).
  std::chrono::system_clock::duration refused_for{};
};

// `node` refuses a subtask at `now`; `earlier` is what it carried (nullopt: never refused before).
RefusalDecision decide_refusal(const std::optional<SubtaskRefusals>& earlier, const std::string& node,
                               SubtaskRefusals::Clock::time_point now, const RefusalLimits& limits);

}  // namespace fossa::amqp
