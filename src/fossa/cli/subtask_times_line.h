// The line `fossa submit --wait` prints about a finished parent's subtask time: how long its
// subtasks ran, apart from how long they waited in the queue (issue 26), from the totals in the
// parent's document (`subtasks.run_seconds`, `queue_wait_seconds`, `untimed_attempts`,
// `untimed_seconds`; docs/node.md). Pure, so its wording is tested without a node.
#pragma once

#include <optional>
#include <string>

#include "ayeaye/json.h"

namespace fossa::cli {

// "subtasks ran for 2.41 s in all and waited 1.80 s in the queue", and, when some answers came
// from nodes that do not say when they ran (a Python node), how many and their time from sending
// to answer, as "not known" apart. Nothing when the document has no totals (a Python node's, or
// one of ours from before issue 26), or a field of the wrong type.
std::optional<std::string> subtask_times_line(const ayeaye::Json& subtasks);

}  // namespace fossa::cli
