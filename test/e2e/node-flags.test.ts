// SPDX-License-Identifier: Apache-2.0
// The `krm` command, `npm start` and the container image start Node with the same garbage-collector flags (README,
// "Running against a real cluster"), and this Node accepts them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/tools.ts';

const read = (path: string): string => readFileSync(join(repoRoot, path), 'utf8');
const flagsIn = (words: readonly string[]): string[] => words.filter((w) => w.startsWith('--'));

test('bin/krm.js, npm start and the Dockerfile pass the same Node flags, and node accepts them', () => {
  const shebang = flagsIn((read('bin/krm.js').split('\n', 1)[0] ?? '').split(/\s+/));
  const start = flagsIn(String((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.start).split(/\s+/));
  const entry = /^ENTRYPOINT (\[.*\])$/m.exec(read('Dockerfile'))?.[1];
  assert.ok(entry, 'the Dockerfile has an ENTRYPOINT in exec form');
  const image = flagsIn(JSON.parse(entry) as string[]);
  for (const flag of ['--max-semi-space-size=32', '--heap-growing-percent=30', '--no-concurrent-marking']) assert.ok(shebang.includes(flag), `${flag} in bin/krm.js`);
  assert.deepEqual(start, shebang, 'npm start');
  assert.deepEqual(image, shebang, 'the container image');
  // A flag this Node does not know stops it with "bad option".
  assert.equal(execFileSync(process.execPath, [...shebang, '-e', 'process.stdout.write("ok")'], { encoding: 'utf8' }), 'ok');
});
