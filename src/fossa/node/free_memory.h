// The node's memory allocator, jemalloc (a Debian package, linked into every program built on the
// engine), and the one call the node makes of it: handing freed pages back to the system.
//
// Why jemalloc and not glibc's malloc: a node allocates and frees a few small objects per subtask
// (its message, its record, its document) on two threads; with glibc's allocator that was a
// quarter of the supervisor thread's CPU, with jemalloc's thread caches and size classes it is a
// fraction of it (bench/RESULTS.md, "Issue 26, fourth pass").
#pragma once

namespace fossa::node {

// Returns to the system the pages that freed memory leaves empty, in every arena. Called once a
// job's thousands of subtask records are freed: without it a node that ran a large job would keep
// its peak memory for as long as it sits idle.
void give_back_free_memory();

}  // namespace fossa::node
