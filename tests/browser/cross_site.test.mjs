// Another site's page must not make a browser submit work (issue 22): an attacker's pages, served
// on another loopback port (same-site to the browser) and under localhost (cross-site), try a
// <form enctype="text/plain"> whose body parses as a task, a no-cors fetch, and a JSON fetch,
// against fossa-gateway (with the user logged in: the browser holds the password) and against a
// node. Every try is refused and no task reaches the node; our own pages still post.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { chromium } from 'playwright-core';
import { startNode } from './support/node.mjs';
import { startGateway } from './support/gateway.mjs';

let browser;
let node;
let gateway;
let attacker;  // { server, port }

// The attacker's pages, each aimed at the URL in ?to= (null for any other path: the favicon).
function attackerPage(kind, target) {
  const task = JSON.stringify({ model_class: 'NothingEtl' });
  const report = `.then(function () { document.title = 'sent'; }, function (e) { document.title = 'failed: ' + e; })`;
  switch (kind) {
    case 'form':
      // text/plain sends name=value: {"model_class":"NothingEtl","pad":"="}, which is JSON.
      return `<!doctype html><title>form</title><form method="POST" enctype="text/plain" action="${target}">` +
        `<input name='{"model_class":"NothingEtl","pad":"' value='"}'></form><script>document.forms[0].submit();</script>`;
    case 'fetch':
      return `<!doctype html><title>fetch</title><script>fetch(${JSON.stringify(target)}, { method: 'POST', mode: 'no-cors', ` +
        `credentials: 'include', headers: { 'Content-Type': 'text/plain' }, body: ${JSON.stringify(task)} })${report};</script>`;
    case 'json':
      return `<!doctype html><title>json</title><script>fetch(${JSON.stringify(target)}, { method: 'POST', ` +
        `credentials: 'include', headers: { 'Content-Type': 'application/json' }, body: ${JSON.stringify(task)} })${report};</script>`;
    default:
      return null;
  }
}

before(async () => {
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
  node = await startNode();
  gateway = await startGateway([node.url]);
  const server = createServer((request, response) => {
    const url = new URL(request.url, 'http://attacker');
    const html = attackerPage(url.pathname.slice(1), url.searchParams.get('to'));
    response.writeHead(html === null ? 404 : 200, { 'Content-Type': 'text/html' });
    response.end(html ?? '');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  attacker = { server, port: server.address().port };
});

after(async () => {
  await browser?.close();
  attacker?.server.close();
  await gateway?.stop();
  await node?.stop();
});

async function tasksOnTheNode() {
  const info = await (await fetch(node.url + '/api/0.01/node_info')).json();
  return info.running_tasks.length + info.recent_completed_tasks.length;
}

// Each of the attacker's pages, on each of its origins, aimed at `target`; the status of each POST
// that reached our server (none for a fetch the browser stopped at its preflight).
async function attack(page, target) {
  const statuses = [];
  page.on('response', (response) => {
    if (response.url() === target && response.request().method() === 'POST') statuses.push(response.status());
  });
  for (const host of ['127.0.0.1', 'localhost']) {
    const origin = `http://${host}:${attacker.port}`;
    const answered = page.waitForResponse((r) => r.url() === target && r.request().method() === 'POST');
    await page.goto(`${origin}/form?to=${encodeURIComponent(target)}`);
    await answered;
    for (const kind of ['fetch', 'json']) {
      await page.goto(`${origin}/${kind}?to=${encodeURIComponent(target)}`);
      await page.waitForFunction(() => document.title === 'sent' || document.title.startsWith('failed'));
      if (kind === 'json') assert.match(await page.title(), /^failed/, `${origin}: a JSON post from another site is stopped by the browser`);
    }
  }
  return statuses;
}

test("another site's pages cannot submit a job through the gateway, though the browser is logged in", async () => {
  const context = await browser.newContext({
    httpCredentials: { username: gateway.user, password: gateway.password, origin: gateway.url },
  });
  const page = await context.newPage();
  assert.equal((await page.goto(gateway.url + '/')).status(), 200, 'logged in');

  const statuses = await attack(page, gateway.url + '/api/clusters/local/jobs');
  assert.ok(statuses.length >= 2, `the forms reached the gateway (${statuses})`);
  for (const status of statuses) assert.equal(status, 403);
  assert.equal(await tasksOnTheNode(), 0, 'no job reached the node');

  // Our own pages may still post (the Cancel button will).
  await page.goto(gateway.url + '/');
  const own = await page.evaluate(() => fetch('/api/clusters/local/jobs', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ model_class: 'NothingEtl' }),
  }).then((response) => response.status));
  assert.equal(own, 201);
  assert.equal(await tasksOnTheNode(), 1);
  await context.close();
});

test("another site's pages cannot submit a task to a node", async () => {
  const before = await tasksOnTheNode();
  const context = await browser.newContext();
  const page = await context.newPage();
  const statuses = await attack(page, node.url + '/api/0.01/task');
  assert.ok(statuses.length >= 2, `the forms reached the node (${statuses})`);
  for (const status of statuses) assert.equal(status, 403);
  assert.equal(await tasksOnTheNode(), before, 'no task was run');

  await page.goto(node.url + '/');
  const own = await page.evaluate(() => fetch('/api/0.01/task', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ model_class: 'NothingEtl' }),
  }).then((response) => response.status));
  assert.equal(own, 200);
  assert.equal(await tasksOnTheNode(), before + 1);
  await context.close();
});
