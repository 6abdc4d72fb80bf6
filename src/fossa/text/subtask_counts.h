// A job's subtask counts in one short phrase, the same in `fossa jobs` and the gateway's lists:
// "9/16 subtasks, 1 failed, 2 cancelled, 4 running". Ended subtasks over all; the parts that are
// not zero after it. "done" is every ended subtask (complete, failed or cancelled), as a node's
// task document counts them.
#pragma once

#include <string>

#include "ayeaye/json.h"

namespace fossa::text {

// From a task document's "subtasks" object; "" when it is not one. Counts that are missing or
// not whole numbers read as 0.
std::string subtask_counts(const ayeaye::Json& subtasks);

}  // namespace fossa::text
