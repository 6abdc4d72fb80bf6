// Starts a real fossa-gateway on a free loopback port in front of the given node URLs, for a
// browser test; its user is fossa and its password a fixed one.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import readline from 'node:readline';
import { fossaBin } from './node.mjs';

export const gatewayBin = join(dirname(fossaBin), 'fossa-gateway');

export async function startGateway(nodeUrls, { password = 'a password for the browser tests' } = {}) {
  const args = ['--bind', '127.0.0.1', '--port', '0', ...nodeUrls.flatMap((url) => ['--node', url])];
  const child = spawn(gatewayBin, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, GATEWAY_HTTP_PASSWORD: password },
  });
  const log = [];
  const lines = readline.createInterface({ input: child.stderr });
  const url = await new Promise((resolve, reject) => {
    lines.on('line', (line) => {
      log.push(line);
      const ready = line.includes('fossa-gateway ready') && line.match(/http:\/\/127\.0\.0\.1:\d+/);
      if (ready) resolve(ready[0]);
    });
    child.on('exit', (code, signal) =>
      reject(new Error(`fossa-gateway exited (${code ?? signal}) before it was ready:\n${log.join('\n')}`)));
  });
  const exited = child.exitCode !== null ? Promise.resolve() : once(child, 'exit');
  return {
    url,
    user: 'fossa',
    password,
    log,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
