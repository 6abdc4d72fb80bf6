// libFuzzer target: any bytes as outside JSON (fossa/base/json_input.h), then as a task submission
// (ayeaye::parse_task_spec), as the node reads a POST body. A crash, an exception escaping, a hang
// or a document deeper than the nesting limit is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ayeaye/json_input.h"
#include "ayeaye/task_spec.h"

namespace {

int depth(const ayeaye::Json& json) {
  int deepest = 0;
  if (json.is_structured()) {
    for (const auto& item : json) deepest = std::max(deepest, depth(item));
    return deepest + 1;
  }
  return 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parsed = ayeaye::parse_json({reinterpret_cast<const char*>(data), size});
  if (!parsed) return 0;
  if (depth(*parsed) > ayeaye::kJsonMaxDepth) std::abort();
  if (parsed->is_object()) {
    const auto spec = ayeaye::parse_task_spec(*parsed);
    if (spec) (void)ayeaye::to_json(spec.value()).dump(-1, ' ', false, ayeaye::Json::error_handler_t::replace);
  }
  return 0;
}
