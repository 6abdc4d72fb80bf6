// The node's pages as a person sees them: Debian's chromium, driven by playwright-core, against a
// real `fossa node` process. Checks what HTML fetched over HTTP cannot: that the pages refresh in
// place while a task runs, stop when it ends, say when the node stops answering, read the same
// without JavaScript, and load nothing from anywhere but the node.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { startNode } from './support/node.mjs';

let browser;

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    // Tests run as root in CI, where chromium's sandbox cannot start.
    args: ['--no-sandbox'],
  });
});

after(async () => {
  await browser?.close();
});

// Every request a page makes, so a test can prove it all went to the node.
function recordRequests(page) {
  const urls = [];
  page.on('request', (request) => urls.push(request.url()));
  return urls;
}

test('the node page shows a new task and its end without a reload', async (t) => {
  const node = await startNode();
  t.after(() => node.stop());
  const page = await browser.newPage();
  const requests = recordRequests(page);

  await page.goto(node.url + '/');
  await page.getByRole('heading', { name: 'Running tasks (0)' }).waitFor();
  // A reload would drop this marker: its survival proves the refresh happened in place.
  await page.evaluate(() => { window.fossaTestMarker = 'kept'; });

  const id = await node.submit({ model_class: 'LongRunningEtl' });
  await page.getByRole('heading', { name: 'Running tasks (1)' }).waitFor();
  assert.equal(await page.evaluate(() => window.fossaTestMarker), 'kept', 'the node page reloaded instead of refreshing in place');
  await page.getByRole('link', { name: id }).click();
  await page.waitForURL(node.url + '/task/' + id);
  await page.locator('h1 .status.running').waitFor();
  assert.equal(await page.locator('#live').getAttribute('data-live'), 'true');

  await page.evaluate(() => { window.fossaTestMarker = 'kept'; });
  process.kill((await node.task(id)).pid, 'SIGKILL');
  await page.locator('h1 .status.failed').waitFor();
  assert.match(await page.locator('#live').innerText(), /killed by signal SIGKILL/);
  assert.equal(await page.evaluate(() => window.fossaTestMarker), 'kept', 'the task page reloaded instead of refreshing in place');
  assert.equal(await page.locator('#live').getAttribute('data-live'), 'false', 'a finished task stops refreshing');

  for (const url of requests) assert.ok(url.startsWith(node.url + '/'), `${url} is not served by the node`);
});

test('a page says when the node stops answering', async (t) => {
  const node = await startNode();
  t.after(() => node.stop());
  const page = await browser.newPage();
  await page.goto(node.url + '/');
  assert.equal(await page.locator('#conn').isVisible(), false);
  await node.stop();
  await page.locator('#conn').waitFor({ state: 'visible' });
  assert.match(await page.locator('#conn').innerText(), /not answering/);
});

test('pages read the same without JavaScript', async (t) => {
  const node = await startNode();
  t.after(() => node.stop());
  const id = await node.submit({ model_class: 'PartialFailure' });
  const doc = await node.task(id, { wait: 30 });
  assert.equal(doc.status, 'failed');

  const context = await browser.newContext({ javaScriptEnabled: false });
  t.after(() => context.close());
  const page = await context.newPage();
  await page.goto(node.url + '/');
  assert.match(await page.locator('main').innerText(), /Recent tasks \(1\)/);
  await page.getByRole('link', { name: id }).click();
  const text = await page.locator('main').innerText();
  assert.match(text, /Failure/);
  assert.match(text, new RegExp('Failed because subtask ' + doc.results.payload.failure_origin_task_id.replace('.', '\\.')));
  await page.getByRole('link', { name: doc.results.payload.failure_origin_task_id }).first().click();
  assert.match(await page.locator('main').innerText(), /Trace/);
});
