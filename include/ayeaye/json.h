// JSON as the model framework sees it: subtask kwargs, return values, task messages.
// One alias so model code never spells the library's name.
#pragma once

#include <nlohmann/json.hpp>

namespace ayeaye {

using Json = nlohmann::json;

}  // namespace ayeaye
