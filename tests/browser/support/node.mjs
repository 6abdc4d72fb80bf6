// Starts a real `fossa node` on a free loopback port for a browser test, and talks to its API.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import readline from 'node:readline';

export const fossaBin = process.env.FOSSA_BIN || new URL('../../../build/bin/fossa-fixtures', import.meta.url).pathname;

export async function startNode(args = []) {
  const child = spawn(fossaBin, ['node', '--bind', '127.0.0.1', '--port', '0', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const log = [];
  const lines = readline.createInterface({ input: child.stderr });
  const url = await new Promise((resolve, reject) => {
    lines.on('line', (line) => {
      log.push(line);
      const ready = line.includes('fossa node ready') && line.match(/http:\/\/127\.0\.0\.1:\d+/);
      if (ready) resolve(ready[0]);
    });
    child.on('exit', (code, signal) =>
      reject(new Error(`fossa node exited (${code ?? signal}) before it was ready:\n${log.join('\n')}`)));
  });
  const exited = child.exitCode !== null ? Promise.resolve() : once(child, 'exit');

  async function json(path, options = {}) {
    const response = await fetch(url + path, options);
    const body = await response.json();
    if (!response.ok) throw new Error(`${options.method || 'GET'} ${path}: ${response.status} ${JSON.stringify(body)}`);
    return body;
  }

  return {
    url,
    log,
    // Posts a task and returns its id.
    async submit(task) {
      const body = await json('/api/0.01/task', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(task),
      });
      return body.task_id;
    },
    // The task document; with `wait`, once the task has ended (the node's long poll).
    task(id, { wait } = {}) {
      return json('/api/0.01/task/' + id + (wait ? `?wait=${wait}` : ''));
    },
    // Stops the node (SIGTERM: it ends its tasks and exits) and waits until it has gone.
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
