// Durations as a person reads them, the same in every page, summary and progress line:
// "0.08 s", "12 s", "2 min 03 s", "1 h 05 min". Machine-read places (task documents, metrics,
// JSON log fields) keep their numbers.
#pragma once

#include <string>

namespace fossa::text {

std::string human_duration(double seconds);

}  // namespace fossa::text
