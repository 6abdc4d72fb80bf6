// The stop signals of a long-running fossa process (a node, a cluster's supervisor): SIGTERM and
// SIGINT are taken with sigwait() on the main thread, never by a handler on some random thread.
#pragma once

#include <signal.h>

namespace fossa {

// Blocks SIGTERM and SIGINT in the calling thread — call it before starting any thread, which
// inherit the mask — and ignores SIGPIPE, so that writing to a closed socket or a dead child is an
// error, not death. Returns the set to sigwait() on.
sigset_t block_stop_signals();

}  // namespace fossa
