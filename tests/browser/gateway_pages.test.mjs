// fossa-gateway as a person uses it: a local cluster started with `fossa cluster up --gateway`,
// browsed in Debian's chromium (playwright-core) — log in, open the cluster, open a node, see the
// task it completed. Everything must come from the gateway itself.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, chmodSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { openGate } from './support/gate.mjs';
import { fossaBin } from './support/node.mjs';

let browser;
let dir;
let cluster;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fossa-browser-'));
  chmodSync(dir, 0o755);  // the broker runs as the rabbitmq user
  execFileSync(fossaBin, ['cluster', '--dir', dir, 'up', '--workers', '2', '--gateway']);
  cluster = JSON.parse(readFileSync(join(dir, 'cluster.json'), 'utf8'));
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
});

after(async () => {
  await browser?.close();
  if (dir) {
    execFileSync(fossaBin, ['cluster', '--dir', dir, 'down']);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('without the password every page is refused', async () => {
  const context = await browser.newContext();
  const response = await context.request.get(cluster.gateway.url + '/');
  assert.equal(response.status(), 401);
  assert.match(response.headers()['www-authenticate'], /^Basic/);
  // A browser with no credentials to offer gives up on the page.
  const page = await context.newPage();
  await assert.rejects(page.goto(cluster.gateway.url + '/'), /ERR_INVALID_AUTH_CREDENTIALS/);
  await context.close();
});

test('log in, open the cluster, open a node and see the task it completed', async () => {
  const node = cluster.nodes[0];
  execFileSync(fossaBin, ['submit', 'PartitionedExampleEtl', '--node', node.url, '-c', 'complexity=1', '--wait']);

  const context = await browser.newContext({
    httpCredentials: { username: cluster.gateway.user, password: cluster.gateway.password },
  });
  const page = await context.newPage();
  const requests = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(cluster.gateway.url + '/');
  await page.getByRole('link', { name: /local/ }).click();
  await page.getByRole('heading', { name: 'Tasks of local' }).waitFor();
  await page.getByRole('link', { name: node.url.replace('http://', '') }).click();
  await page.getByRole('heading', { name: `Node ${node.ident}` }).waitFor();
  const recent = await page.locator('main').innerText();
  assert.match(recent, /Recent tasks[\s\S]*PartitionedExampleEtl[\s\S]*complete/);
  for (const url of requests) assert.ok(url.startsWith(cluster.gateway.url + '/'), `${url} is not served by the gateway`);
  await context.close();
});

test('follow a running job on its page to its end without a reload, and find its cost', async () => {
  // The job waits at a named pipe (GatedFanout's gate) until the test lets each subtask through.
  const gate = join(dir, 'gate');
  execFileSync('mkfifo', [gate]);
  const auth = 'Basic ' + Buffer.from(`${cluster.gateway.user}:${cluster.gateway.password}`).toString('base64');
  const posted = await fetch(cluster.gateway.url + '/api/clusters/local/jobs', {
    method: 'POST',
    headers: { Authorization: auth, 'Content-Type': 'application/json' },
    body: JSON.stringify({ model_class: 'GatedFanout', resolver_context: { gate, subtasks: '1' } }),
  });
  assert.equal(posted.status, 201);
  const job = await posted.json();

  const context = await browser.newContext({
    httpCredentials: { username: cluster.gateway.user, password: cluster.gateway.password },
  });
  const page = await context.newPage();
  const requests = [];
  page.on('request', (request) => requests.push(request.url()));
  let loads = 0;
  page.on('load', () => { loads += 1; });
  await page.goto(cluster.gateway.url + '/');
  await page.getByRole('link', { name: 'jobs', exact: true }).click();
  await page.getByRole('link', { name: job.job_id, exact: true }).click();
  await page.getByRole('heading', { name: `Job ${job.job_id}` }).waitFor();
  await page.locator('#live .status.running').first().waitFor();
  const loadsWhileRunning = loads;

  // Let the subtask through: opening the pipe waits (off the event loop, with a deadline) until it is there.
  await openGate(gate);
  await page.locator('#live p.state .status.complete').waitFor({ timeout: 60000 });
  assert.equal(loads, loadsWhileRunning, 'the page followed the job without a reload');
  // A positive cost for positive node time: the page shows the figure the job's JSON holds.
  const shown = await context.request.get(`${cluster.gateway.url}/local/jobs/${job.job_id}`, {
    headers: { Accept: 'application/json' },
  });
  assert.equal(shown.status(), 200);
  const view = await shown.json();
  assert.ok(view.node_seconds > 0, `node time ${view.node_seconds} s`);
  assert.ok(view.estimated_cost_dollars > 0, `estimated cost ${view.estimated_cost_dollars}`);
  const cost = await page.locator('#live .cost').innerText();
  assert.match(cost, /^Estimated cost: (\$\d+\.\d{2,4}|under \$0\.0001) for .+ of node time/);
  assert.ok(cost.startsWith(`Estimated cost: ${view.estimated_cost_text} for ${view.node_seconds_text} of node time`), cost);
  assert.match(cost, /as if on Fargate/);
  const text = await page.locator('main').innerText();
  assert.doesNotMatch(text, /null|undefined/);
  assert.match(text, /Timeline/);
  for (const url of requests) assert.ok(url.startsWith(cluster.gateway.url + '/'), `${url} is not served by the gateway`);
  await context.close();
});
