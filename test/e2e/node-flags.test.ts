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

interface MarkingTrace {
  readonly collections: number;
  readonly tasks: number;
  /** Helper tasks started while the main thread ran (incremental marking), not in a collection's final pause. */
  readonly beside: number;
}

/**
 * A process that chose its marking for `cpus` and then filled its heap, traced. Without concurrent marking V8 still
 * starts helper tasks in a full collection's final pause (parallel marking); with it, helpers also start while the
 * main thread runs. A task line's time is told against the pause of the next Mark-Compact line (its end time minus
 * its pause), with a millisecond of slack for the trace's rounding.
 */
function markingOf(cpus: number): MarkingTrace {
  const script = [
    `const { configureMarking } = await import(${JSON.stringify(join(repoRoot, 'src', 'runtime', 'gc-marking.ts'))});`,
    `configureMarking(${cpus});`,
    'const keep = [];',
    "for (let r = 0; r < 60; r++) { const a = []; for (let i = 0; i < 2e5; i++) a.push({ i, s: 'x' + i }); keep.push(a); if (keep.length > 20) keep.shift(); }",
  ].join('\n');
  const out = execFileSync(process.execPath, ['--trace-concurrent-marking', '--trace-gc', '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', cwd: repoRoot }).split('\n');
  const timeOf = (line: string): number => Number(/\]\s+(\d+) ms:/.exec(line)?.[1] ?? Number.NaN);
  const pauses = out.filter((l) => l.includes('Mark-Compact')).map((l) => ({ end: timeOf(l), pause: Number(/MB, ([\d.]+) \//.exec(l)?.[1] ?? 0) }));
  const tasks = out.filter((l) => l.includes('Starting major concurrent marking task')).map(timeOf);
  const beside = tasks.filter((t) => {
    const next = pauses.find((p) => p.end >= t);
    return next === undefined || t < next.end - next.pause - 1;
  }).length;
  return { collections: pauses.length, tasks: tasks.length, beside };
}

test('on one CPU the marking stays on the main thread; with two, helper threads mark beside it', () => {
  const one = markingOf(1);
  const two = markingOf(2);
  assert.ok(one.collections > 0 && two.collections > 0, 'the script brings full collections');
  assert.equal(one.beside, 0, 'one CPU: no helper starts outside a final pause');
  // On a loaded machine the helpers may only get a core in the pauses; they still start more than one a collection.
  assert.ok(two.beside > 0 || two.tasks > two.collections, `two CPUs: ${two.tasks} helper tasks in ${two.collections} full collections, ${two.beside} outside a final pause`);
});
