// The named pipe the gated example models wait at (examples/models/gated_models.cc), opened from a
// browser test without blocking Node's event loop: the open, which blocks until a model opens the
// other end, runs on libuv's thread pool, and a deadline ends it (opening the reading end ourselves
// releases it), so a model that never comes fails the test instead of hanging it. The C++ tests'
// twin is tests/integration/support/gate.h.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

// Far beyond what a passing test waits (a second or two), so only a regression reaches it.
export const defaultGateWaitMs = 120_000;

// Lets one waiting model through (it reads the byte written); rejects, naming the pipe, when no
// model comes within `timeoutMs`.
export async function openGate(path, timeoutMs = defaultGateWaitMs) {
  const opening = open(path, 'w');
  let timer;
  const expired = new Promise((resolve) => { timer = setTimeout(resolve, timeoutMs, null); });
  const writer = await Promise.race([opening, expired]);
  clearTimeout(timer);
  if (writer === null) {
    const release = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    await (await opening).close();
    await release.close();
    throw new Error(`no model came to the gate ${path} within ${timeoutMs / 1000} s`);
  }
  try {
    await writer.write('x');
  } finally {
    await writer.close();
  }
}
