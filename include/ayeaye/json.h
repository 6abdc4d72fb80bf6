// JSON as the model framework sees it: subtask kwargs, return values, task messages.
// The same alias as every library of Fossa (fossa/base/json.h), so model code never spells the
// library's name.
#pragma once

#include "fossa/base/json.h"

namespace ayeaye {

using fossa::Json;

}  // namespace ayeaye
