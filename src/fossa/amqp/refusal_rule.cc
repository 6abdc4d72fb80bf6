#include "amqp/refusal_rule.h"

#include <algorithm>

namespace fossa::amqp {

RefusalDecision decide_refusal(const std::optional<SubtaskRefusals>& earlier, const std::string& node,
                               SubtaskRefusals::Clock::time_point now, const RefusalLimits& limits) {
  RefusalDecision decision;
  if (earlier) {
    decision.refusals = *earlier;
  } else {
    decision.refusals.first_refused = now;
  }
  decision.refusals.add(node);
  decision.refused_for = std::max(now - decision.refusals.first_refused, SubtaskRefusals::Clock::duration::zero());
  const bool too_long = decision.refused_for >= limits.give_up_after;
  const bool too_often = decision.refusals.count >= limits.max_refusals;
  decision.verdict = too_long || too_often ? RefusalDecision::Verdict::kGiveUp : RefusalDecision::Verdict::kHandBack;
  return decision;
}

}  // namespace fossa::amqp
