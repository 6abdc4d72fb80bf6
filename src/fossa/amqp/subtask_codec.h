// The Fossa subtask protocol on RabbitMQ, apart from any connection (docs/protocol.md):
// how a parent encodes a subtask for `fossa_task_queue`, and how a worker decodes a delivery —
// or says exactly why it can't, for the dead-letter queue.
//
// Wire facts kept for Python Fossa 0.0.31: the body is exactly the six task fields (a Python
// worker builds its task with `TaskMessage(**body)`, so an extra field would break it); the
// correlation id is `<pool id>:<subtask number>` with a 5-letter pool id; the worker's task id is
// `<correlation_id>::<reply_to>`. Ours, invisible to Python: the keys of secret context values
// travel in the message header kSecretKeysHeader, never in the body; a worker of ours says when it
// took, started and ended a subtask in its result's header kTimesHeader (a Python worker does not,
// and a Python parent ignores it); a parent of ours names the job a subtask is part of in
// kJobIdHeader, so that every node's log lines about it carry the job's id.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ayeaye/error.h"
#include "ayeaye/task_spec.h"

namespace fossa::amqp {

inline constexpr std::string_view kTaskQueue = "fossa_task_queue";
inline constexpr std::string_view kContentType = "application/json";
inline constexpr std::string_view kSecretKeysHeader = "x-fossa-secret-keys";
inline constexpr std::string_view kTimesHeader = "x-fossa-times";
inline constexpr std::string_view kJobIdHeader = "x-fossa-job-id";
// Ours, ignored by Python: on a subtask, "the parent wants its log lines" (TaskLogMessage replies;
// a Python parent would log them as unknown messages, so they are sent only when asked);
// on a reply, the node that ran the subtask (and, with a result, when: kTimesHeader).
inline constexpr std::string_view kLogRepliesHeader = "x-fossa-log-replies";
inline constexpr std::string_view kNodeHeader = "x-fossa-node";

// The body of a subtask message: model_class, method, method_kwargs, resolver_context,
// model_construction_kwargs, partition_initialise_kwargs — and nothing else.
std::string encode_subtask_body(const ayeaye::TaskSpec& spec);

// A delivery from fossa_task_queue that can run.
struct SubtaskDelivery {
  ayeaye::TaskSpec spec;  // spec.task_id = "<correlation_id>::<reply_to>"
  std::string reply_to;
  std::string correlation_id;
  // It came in a batch (amqp/subtask_batch.h), so its parent is a node of ours: its result may go
  // back in a reply batch.
  bool in_batch = false;
};

// A delivery that is a task, for a model this node's program does not have: another node may run
// it (src/fossa/amqp/refused_subtask.h hands it back for one, or answers that none could).
struct SubtaskForAnotherModel {
  SubtaskDelivery task;  // as SubtaskDelivery, the model aside
  std::string reason() const;  // "unknown model 'X' (this node cannot run it)"
};
// A delivery that cannot be a task: not JSON, not a task (naming the field), no reply_to or
// correlation_id. `reason` is recorded with the message in the dead-letter queue.
struct NotASubtask {
  std::string reason;
};
using DecodedSubtask = std::variant<SubtaskDelivery, SubtaskForAnotherModel, NotASubtask>;

// Decodes a delivery: a task this node can run, one for a model it lacks, or no task at all.
// `secret_keys` are the names from kSecretKeysHeader (empty when absent).
DecodedSubtask decode_subtask(std::string_view body, std::string_view reply_to, std::string_view correlation_id,
                              const std::vector<std::string>& secret_keys = {});

// When the node that ran a subtask took it from the queue, started its run and ended it, on that
// node's clock (another machine's than the parent's: only the differences between them are
// compared with the parent's times). taken <= started <= ended.
struct SubtaskTimes {
  using Clock = std::chrono::system_clock;
  Clock::time_point taken;
  Clock::time_point started;
  Clock::time_point ended;
};

// The value of kTimesHeader: {"taken", "started", "ended"} as ISO times in UTC to the microsecond
// ("2026-12-07T13:51:48.123456Z"), so a subtask of a millisecond still has a run time.
std::string encode_subtask_times(const SubtaskTimes& times);
// One such time, and back: nullopt for anything but "YYYY-MM-DDTHH:MM:SS[.fraction]Z".
std::string encode_utc_time(SubtaskTimes::Clock::time_point time);
std::optional<SubtaskTimes::Clock::time_point> decode_utc_time(std::string_view text);
// Reads kTimesHeader's value; an error, saying why, for anything but three such times in order.
// A result without the header (a Python worker's) has no times: the caller says "not known".
ayeaye::Result<SubtaskTimes> decode_subtask_times(std::string_view header);

// A job id fit to travel in kJobIdHeader and into log lines: 1 to kMaxJobIdLength letters, digits
// and . _ : - (a node's task ids are "<5 letters>-<n>", its subtasks' "<parent>.<index>").
inline constexpr std::size_t kMaxJobIdLength = 128;
bool is_valid_job_id(std::string_view job_id);
// kJobIdHeader's value as a delivery brings it (outside input): the job id, or "" when there is
// none or it is not a valid one — a malformed value is dropped, never put in a log line.
std::string job_id_from_header(std::string_view header);

// A fresh pool id: 5 random lowercase letters, new for each parent run.
std::string new_pool_id();
std::string make_correlation_id(std::string_view pool_id, std::size_t subtask_number);

struct CorrelationId {
  std::string pool_id;
  std::size_t subtask_number = 0;
};
// Splits "<pool id>:<n>"; an error for anything else (a reply that is not ours to count).
ayeaye::Result<CorrelationId> parse_correlation_id(std::string_view correlation_id);

// Ours, unknown to Python: a parent's run cancelled (fossa cancel). Published to a fanout exchange
// only our nodes bind a queue to, so a Python node never receives it; every node of ours hears it,
// stops the pool's subtasks it runs, and drops those that arrive later.
inline constexpr std::string_view kCancellationExchange = "fossa_cancellations";
// The body: {"pool_id": "<pool id>"}.
std::string encode_cancellation(std::string_view pool_id);
// The pool id, or why the body is not a cancellation (a pool id is 1 to 32 lowercase letters).
ayeaye::Result<std::string> decode_cancellation(std::string_view body);

}  // namespace fossa::amqp
