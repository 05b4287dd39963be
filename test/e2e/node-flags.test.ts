// SPDX-License-Identifier: Apache-2.0
// The `krm` command, `npm start` and the container image start Node with the same garbage-collector flags (README,
// "Running against a real cluster"), and this Node accepts them; where V8 marks is chosen at start-up by the CPUs
// the process may use (src/runtime/gc-marking.ts), and turning concurrent marking off at run time takes effect.
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
  for (const flag of ['--max-semi-space-size=32', '--heap-growing-percent=30']) assert.ok(shebang.includes(flag), `${flag} in bin/krm.js`);
  assert.ok(!shebang.includes('--no-concurrent-marking'), 'the marking is chosen at start-up, not by a fixed flag');
  assert.match(read('bin/krm.js'), /configureMarking\(\)/, 'bin/krm.js chooses the marking before the CLI starts');
  assert.deepEqual(start, shebang, 'npm start');
  assert.deepEqual(image, shebang, 'the container image');
  // A flag this Node does not know stops it with "bad option".
  assert.equal(execFileSync(process.execPath, [...shebang, '-e', 'process.stdout.write("ok")'], { encoding: 'utf8' }), 'ok');
});

/**
 * V8's concurrent marking tasks and full collections in a process that chose its marking for `cpus` and then filled
 * its heap. Without concurrent marking V8 still starts a helper task in a full collection's final pause (parallel
 * marking), at most one per collection; with it, helpers keep marking while the main thread runs.
 */
function markingOf(cpus: number): { tasks: number; collections: number } {
  const script = [
    `const { configureMarking } = await import(${JSON.stringify(join(repoRoot, 'src', 'runtime', 'gc-marking.ts'))});`,
    `configureMarking(${cpus});`,
    'const keep = [];',
    "for (let r = 0; r < 40; r++) { const a = []; for (let i = 0; i < 2e5; i++) a.push({ i, s: 'x' + i }); keep.push(a); if (keep.length > 20) keep.shift(); }",
  ].join('\n');
  const out = execFileSync(process.execPath, ['--trace-concurrent-marking', '--trace-gc', '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', cwd: repoRoot }).split('\n');
  return { tasks: out.filter((l) => l.includes('Starting major concurrent marking task')).length, collections: out.filter((l) => l.includes('Mark-Compact')).length };
}

test('on one CPU the marking stays on the main thread; with two, helper threads mark beside it', () => {
  const one = markingOf(1);
  const two = markingOf(2);
  assert.ok(one.collections > 0 && two.collections > 0, 'the script brings full collections');
  assert.ok(one.tasks <= one.collections, `one CPU: ${one.tasks} helper tasks in ${one.collections} full collections`);
  assert.ok(two.tasks > two.collections, `two CPUs: ${two.tasks} helper tasks in ${two.collections} full collections`);
});
