// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ERROR_CODES } from './codes.ts';

test('every error code is documented in docs/errors.md with its exit code, and nothing else is', () => {
  const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  const documented = new Map([...doc.matchAll(/^\| `(KRM_[A-Z_]+)` \| (\d) \|/gm)].map((m) => [m[1], Number(m[2])]));
  assert.deepEqual([...documented.keys()].sort(), Object.keys(ERROR_CODES).sort());
  for (const [code, def] of Object.entries(ERROR_CODES)) assert.equal(documented.get(code), def.exitCode, code);
});
