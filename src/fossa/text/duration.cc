#include "text/duration.h"

#include <cmath>
#include <cstdio>

namespace fossa::text {

std::string human_duration(double seconds) {
  if (!(seconds > 0)) seconds = 0;  // NaN and negatives (a clock step) read as nothing
  char out[48];
  if (seconds < 10) {
    std::snprintf(out, sizeof out, "%.2f s", seconds);
  } else if (seconds < 59.5) {
    std::snprintf(out, sizeof out, "%.0f s", seconds);
  } else if (seconds < 3600) {
    const long whole = std::lround(seconds);
    std::snprintf(out, sizeof out, "%ld min %02ld s", whole / 60, whole % 60);
  } else {
    const long minutes = std::lround(seconds / 60);
    std::snprintf(out, sizeof out, "%ld h %02ld min", minutes / 60, minutes % 60);
  }
  return out;
}

}  // namespace fossa::text
