#include "amqp/refused_subtask.h"

#include "amqp/link.h"
#include "ayeaye/run_task.h"

namespace fossa::amqp {

std::map<std::string, std::string> retry_queue_arguments() {
  return {{"x-dead-letter-exchange", ""}, {"x-dead-letter-routing-key", std::string(kTaskQueue)}};
}

ayeaye::TaskFailed no_node_can_run(const SubtaskForAnotherModel& subtask, const RefusalDecision& decision,
                                   const RefusalLimits& limits) {
  std::string nodes;
  for (const auto& node : decision.refusals.nodes) nodes += (nodes.empty() ? "" : ", ") + node;
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(decision.refused_for).count();
  const std::string message =
      "no node could run model '" + subtask.task.spec.model_class + "': refused " +
      std::to_string(decision.refusals.count) + (decision.refusals.count == 1 ? " time" : " times") + " in " +
      std::to_string(seconds) + " s, by " + nodes + " (a node gives a subtask up once it was first refused " +
      std::to_string(limits.give_up_after.count()) + " s ago or " + std::to_string(limits.max_refusals) +
      " times: --refused-subtask-limit, --refused-subtask-refusals)";
  ayeaye::TaskFailed failure = ayeaye::failure_for(subtask.task.spec);
  failure.exception_class_name = std::string(kNoNodeCanRunModel);
  failure.traceback.push_back(failure.exception_class_name + ": " + message);
  return failure;
}

RefusedSubtask refuse_subtask(const Message& delivered, const SubtaskForAnotherModel& subtask, std::uint64_t taken_id,
                              const std::string& node, SubtaskRefusals::Clock::time_point now,
                              const RefusalLimits& limits) {
  const RefusalDecision decision = decide_refusal(read_refusals(delivered.headers), node, now, limits);
  RefusedSubtask out;
  const auto job = delivered.headers.find(std::string(kJobIdHeader));
  out.event = {subtask.task.spec.model_class,
               subtask.task.correlation_id,
               decision.verdict == RefusalDecision::Verdict::kGiveUp,
               decision.refusals.count,
               decision.refusals.nodes,
               std::chrono::duration_cast<std::chrono::seconds>(decision.refused_for),
               job != delivered.headers.end() ? job_id_from_header(job->second) : std::string()};
  LinkCommand& command = out.command;
  command.taken_id = taken_id;
  command.ack_after_confirm = true;  // the delivery is done with only once this publish is confirmed
  if (out.event.gave_up) {
    command.kind = LinkCommand::Kind::kReply;
    command.routing_key = subtask.task.reply_to;
    command.message.body = ayeaye::to_json(ayeaye::TaskMessage(no_node_can_run(subtask, decision, limits))).dump();
    command.message.correlation_id = subtask.task.correlation_id;
    command.message.headers[std::string(kNodeHeader)] = node;
    return out;
  }
  command.kind = LinkCommand::Kind::kHandBack;
  command.routing_key = std::string(kRetryQueue);
  command.message = delivered;  // body, reply_to, correlation id, content type and headers as they came
  command.message.persistent = true;
  command.message.expiration = std::to_string(kHandBackDelay.count());
  command.message.headers[std::string(kRefusalsHeader)] = encode_refusals(decision.refusals);
  return out;
}

}  // namespace fossa::amqp
