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
