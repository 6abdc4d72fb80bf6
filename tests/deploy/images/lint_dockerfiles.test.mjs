// The images' Dockerfiles through two linters (pinned in package-lock.json, installed by
// `scripts/install-deps.sh --test`): dockerfile-utils validates each instruction, its flags and
// arguments as Docker parses them (durations, ports, stage names, JSON forms); dockerfilelint
// checks practices (apt-get with -y and --no-install-recommends, lists removed in the same layer, no
// sudo, one CMD). Every finding fails, warnings included: there are none to live with.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import dockerfileUtils from 'dockerfile-utils';
import dockerfilelint from 'dockerfilelint';

const here = dirname(fileURLToPath(import.meta.url));
const sourceDir = join(here, '..', '..', '..');
const dockerfiles = ['worker.Dockerfile', 'gateway.Dockerfile'].map((name) =>
  join(sourceDir, 'deploy', 'aws', 'images', name));

// dockerfile-utils only warns about some rules by default (instruction casing, a second CMD or
// ENTRYPOINT, relative WORKDIR, ...): raise every one to an error.
const strict = Object.fromEntries(
  ['deprecatedMaintainer', 'directiveCasing', 'emptyContinuationLine', 'instructionCasing',
    'instructionCmdMultiple', 'instructionEntrypointMultiple', 'instructionHealthcheckMultiple',
    'instructionJSONInSingleQuotes', 'instructionWorkdirRelative']
    .map((rule) => [rule, dockerfileUtils.ValidationSeverity.ERROR]));

// The numbers (from 1) of the lines `FROM <name> ...` where <name> is a stage named before.
function fromEarlierStageLines(content) {
  const stages = new Set();
  const lines = new Set();
  content.split('\n').forEach((line, index) => {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (!from) return;
    if (stages.has(from[1])) lines.add(index + 1);
    if (from[2]) stages.add(from[2]);
  });
  return lines;
}

for (const file of dockerfiles) {
  const name = relative(sourceDir, file);
  const content = readFileSync(file, 'utf8');

  test(`${name}: dockerfile-utils finds nothing`, () => {
    const findings = dockerfileUtils.validate(content, strict)
      .map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
    assert.deepEqual(findings, []);
  });

  test(`${name}: dockerfilelint finds nothing`, () => {
    // The rules file would be looked for in this directory; there is none, so all rules apply.
    // But dockerfilelint takes `FROM <an earlier stage>` for an image without a tag: those lines
    // only are let through.
    const fromStage = fromEarlierStageLines(content);
    const findings = dockerfilelint.run(here, content)
      .filter((item) => !(item.title === 'Base Image Missing Tag' && fromStage.has(item.line)))
      .map((item) => `line ${item.line}: ${item.title} (${item.description})`);
    assert.deepEqual(findings, []);
  });
}

// The linters themselves must still find what they are here to find, or a clean result proves
// nothing (a parser that gave up, a rule switched off by a new version).
test('the linters report a broken Dockerfile', () => {
  const broken = [
    'FROM debian:bookworm-slim AS 1stage',
    'RUN apt-get update && apt-get install curl',
    'HEALTHCHECK --interval=30 CMD true',
    'EXPOSE port',
    'workdir relative',
  ].join('\n');
  const validation = dockerfileUtils.validate(broken, strict).map((d) => d.message).join('\n');
  assert.match(validation, /build stage/i);
  assert.match(validation, /duration/i);
  assert.match(validation, /port/i);
  assert.match(validation, /uppercase|casing/i);
  const practices = dockerfilelint.run(here, broken).map((item) => item.title).join('\n');
  assert.match(practices, /no-install-recommends/);
  // A base image without a tag is still one, even with a stage of another name before it.
  const untagged = 'FROM debian:bookworm AS builder\nFROM debian AS runtime\nFROM builder AS more\n';
  assert.deepEqual([...fromEarlierStageLines(untagged)], [3]);
  assert.match(dockerfilelint.run(here, untagged).filter((item) => item.line === 2).map((item) => item.title).join(), /Missing Tag/);
  assert.match(practices, /apt-get update with matching cache rm/);
});
