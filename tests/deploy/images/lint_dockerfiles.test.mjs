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
    const findings = dockerfilelint.run(here, content)
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
  assert.match(practices, /apt-get update with matching cache rm/);
});
