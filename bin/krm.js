#!/usr/bin/env -S node --max-semi-space-size=32 --heap-growing-percent=30
// SPDX-License-Identifier: Apache-2.0
// Entry point of the `krm` command: registers tsx so the TypeScript sources run as they are, then hands over to the CLI.
// The shebang (like `npm start` and the image's entrypoint) gives V8 a 32 MiB young generation: see README,
// "Running against a real cluster". Node reads it only at start-up; `node bin/krm.js` runs with the default.
// Where V8 marks the heap depends on the CPUs the process may use (src/runtime/gc-marking.ts), chosen here first.
import { register } from 'tsx/esm/api';
register();
const { configureMarking } = await import('../src/runtime/gc-marking.ts');
configureMarking();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
