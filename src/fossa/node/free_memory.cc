// jemalloc's settings for a node and the purge of free pages (see free_memory.h).
#include "node/free_memory.h"

#include <jemalloc/jemalloc.h>

#include <string>

// Read by jemalloc when the program starts. Pages freed and left unused go back to the system a
// second after they are freed (not ten, the default), so an idle node's memory falls soon after a
// job, even between the explicit purges below.
extern "C" {
// NOLINTNEXTLINE(cppcoreguidelines-avoid-non-const-global-variables): jemalloc's documented hook
const char* malloc_conf = "dirty_decay_ms:1000,muzzy_decay_ms:0";
}

namespace fossa::node {

void give_back_free_memory() {
  // "arena.<MALLCTL_ARENAS_ALL>.purge": every arena's unused dirty pages, at once.
  static const std::string purge_all = "arena." + std::to_string(MALLCTL_ARENAS_ALL) + ".purge";
  (void)mallctl(purge_all.c_str(), nullptr, nullptr, nullptr, 0);
}

}  // namespace fossa::node
