// Cancelling a running job from its page on fossa-gateway, as a person does it: a local cluster
// with `fossa cluster up --gateway`, a job whose subtasks wait at a gate on the nodes, its page
// opened in Debian's chromium, the Cancel button clicked — then the page says cancelled, and the
// API says the job, its parent's process and its subtasks are gone and every slot is free. Each
// wait is on the page's state or the API's answer, with a deadline.
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
  execFileSync(fossaBin, ['cluster', '--dir', dir, 'up', '--workers', '2', '--capacity', '2', '--gateway']);
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

const auth = () => 'Basic ' + Buffer.from(`${cluster.gateway.user}:${cluster.gateway.password}`).toString('base64');

async function api(path) {
  const response = await fetch(cluster.gateway.url + path, { headers: { Authorization: auth() } });
  assert.equal(response.status, 200, `${path}: HTTP ${response.status}`);
  return response.json();
}

// The job's document followed with the gateway's long poll (which answers once the job has
// ended) until it has ended: six polls of up to 20 s, the deadline.
async function endedJob(id) {
  let doc;
  for (let poll = 0; poll < 6; poll += 1) {
    doc = await api(`/api/clusters/local/jobs/${id}?wait=20`);
    if (doc.status !== 'running') return doc;
  }
  return doc;
}

// The pids of the subtasks the nodes' logs say started, once there are `count`. The nodes are not
// this test's children and their logs are files, with nothing to subscribe to: read until they say
// so, within a deadline.
async function subtasksStarted(count) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const pids = [];
    cluster.nodes.forEach((node, i) => {
      const log = readFileSync(join(dir, `node-${i + 1}.log`), 'utf8');
      for (const match of log.matchAll(/subtask from the queue started task_id=\S+ job_id=\S+ method=\S+ pid=(\d+)/g)) pids.push(Number(match[1]));
    });
    if (pids.length >= count) return pids;
    assert.ok(Date.now() < deadline, `${pids.length} of ${count} subtasks started in 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));  // between reads of the logs, not a wait for an event
  }
}

// Whether process `pid` still runs (signal 0 only asks).
function runs(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if (error.code === 'ESRCH') return false;
    throw error;
  }
}

test('cancel a running job from its page and see it cancelled, its processes gone and its slots free', async () => {
  const gate = join(dir, 'gate');
  execFileSync('mkfifo', [gate]);  // never opened: the subtasks wait until they are stopped
  const posted = await fetch(cluster.gateway.url + '/api/clusters/local/jobs', {
    method: 'POST',
    headers: { Authorization: auth(), 'Content-Type': 'application/json' },
    body: JSON.stringify({ model_class: 'GatedFanout', resolver_context: { gate, subtasks: '3' } }),
  });
  assert.equal(posted.status, 201);
  const job = await posted.json();
  // Each of its three subtasks runs, at the gate, on one node or the other.
  const subtaskPids = await subtasksStarted(3);
  const running = await api(`/api/clusters/local/jobs/${job.job_id}`);
  assert.equal(running.status, 'running');
  assert.ok(running.pid > 0, `the parent's pid: ${JSON.stringify(running)}`);

  const context = await browser.newContext({
    httpCredentials: { username: cluster.gateway.user, password: cluster.gateway.password },
  });
  const page = await context.newPage();
  await page.goto(`${cluster.gateway.url}/local/jobs/${job.job_id}`);
  await page.getByRole('heading', { name: `Job ${job.job_id}` }).waitFor();
  await page.locator('#live .status.running').first().waitFor();
  await page.getByRole('button', { name: 'Cancel job' }).click();
  // Back on the job's page (the form's answer is a 303 to it), which follows the job to its end.
  await page.locator('#live p.state .status.cancelled').waitFor({ timeout: 60000 });
  assert.equal(new URL(page.url()).pathname, `/local/jobs/${job.job_id}`);
  const text = await page.locator('main').innerText();
  assert.match(text, /Cancel asked by fossa from 127\.0\.0\.1 at /);
  assert.equal(await page.getByRole('button', { name: 'Cancel job' }).count(), 0, 'no button once it has ended');

  const ended = await endedJob(job.job_id);
  assert.equal(ended.status, 'cancelled');
  assert.equal(ended.results.payload.exception_class_name, 'fossa::Cancelled');
  assert.equal(ended.cancelled_by, 'fossa from 127.0.0.1');
  assert.equal(runs(running.pid), false, `the parent's process ${running.pid} is gone`);
  assert.equal(ended.subtasks.running, 0, JSON.stringify(ended.subtasks));
  assert.equal(ended.subtasks.cancelled, 3, JSON.stringify(ended.subtasks));
  const list = await api('/api/clusters/local/jobs');
  assert.equal(list.jobs.find((line) => line.job_id === job.job_id)?.status, 'cancelled');
  // Every slot free again on every node, and every subtask's process gone: read until so (its
  // subtasks' processes end within the cancel's grace), within a deadline.
  const deadline = Date.now() + 30_000;
  for (const node of cluster.nodes) {
    for (;;) {
      const info = (await (await fetch(`${node.url.replace(/\/$/, '')}/api/0.01/node_info`)).json()).node_info;
      if (info.available_processing_capacity === info.max_concurrent_tasks && info.running_subtasks === 0 &&
          !subtaskPids.some(runs)) break;
      assert.ok(Date.now() < deadline, `${node.url}: ${JSON.stringify(info)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));  // between reads of the node's state, not a wait for an event
    }
  }
  await context.close();
});
