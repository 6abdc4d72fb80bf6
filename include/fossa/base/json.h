// JSON as every library of Fossa sees it: one alias, so no code spells the library's name.
#pragma once

#include <nlohmann/json.hpp>

namespace fossa {

using Json = nlohmann::json;

}  // namespace fossa
