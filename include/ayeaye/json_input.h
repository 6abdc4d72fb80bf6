// JSON that comes from outside a process, read within limits (fossa/base/json_input.h), as the
// model framework spells it:
//
//   auto kwargs = ayeaye::parse_json(text);
//   if (!kwargs) throw ayeaye::DataError("kwargs.json: " + kwargs.error());
#pragma once

#include "ayeaye/error.h"
#include "ayeaye/json.h"
#include "fossa/base/json_input.h"

namespace ayeaye {

using fossa::kJsonMaxDepth;
using fossa::parse_json;
using fossa::parse_json_or_null;

}  // namespace ayeaye
