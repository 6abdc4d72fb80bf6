// libFuzzer target: any bytes as outside JSON (fossa/base/json_input.h), then as a task submission
// (ayeaye::parse_task_spec), as the node reads a POST body. A crash, an exception escaping, a hang
// or a document deeper than the nesting limit is a finding; so is any difference from nlohmann's
// own parser (without a callback, the reference): what we read must be exactly what it reads, and
// what we refuse it must refuse too, unless the document is deeper than our limit.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ayeaye/json_input.h"
#include "ayeaye/task_spec.h"

namespace {

// Whether `json` nests more than `levels` arrays and objects (it looks no deeper than that).
bool deeper_than(const ayeaye::Json& json, int levels) {
  if (!json.is_structured()) return false;
  if (levels == 0) return true;
  for (const auto& item : json) {
    if (deeper_than(item, levels - 1)) return true;
  }
  return false;
}

std::string text_of(const ayeaye::Json& json) { return json.dump(-1, ' ', false, ayeaye::Json::error_handler_t::replace); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parsed = ayeaye::parse_json(text);
  const auto reference = ayeaye::Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!parsed) {
    if (parsed.error().empty()) std::abort();
    if (!reference.is_discarded() && !deeper_than(reference, ayeaye::kJsonMaxDepth)) std::abort();  // refused what it reads
    return 0;
  }
  if (deeper_than(*parsed, ayeaye::kJsonMaxDepth)) std::abort();
  if (reference.is_discarded() || *parsed != reference || text_of(*parsed) != text_of(reference)) std::abort();
  if (parsed->is_object()) {
    const auto spec = ayeaye::parse_task_spec(*parsed);
    if (spec) (void)text_of(ayeaye::to_json(spec.value()));
  }
  return 0;
}
