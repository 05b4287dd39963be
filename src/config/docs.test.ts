// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { renderConfigDocs } from './docs.ts';
import { describeConfigSchema } from './keys.ts';

test('docs/config.md is generated from the schema (run `npx tsx scripts/gen-config-docs.ts` after a change)', () => {
  const checkedIn = readFileSync(new URL('../../docs/config.md', import.meta.url), 'utf8');
  assert.ok(checkedIn === renderConfigDocs(), 'docs/config.md is out of date: run `npx tsx scripts/gen-config-docs.ts`');
});

test('the docs list every key with its environment variable, and mark secrets', () => {
  const doc = renderConfigDocs();
  for (const key of describeConfigSchema().keys) {
    const row = doc.split('\n').find((line) => line.startsWith(`| \`${key.id}\` |`));
    assert.ok(row, key.id);
    assert.ok(row.includes(`\`${key.env}\``), key.id);
    assert.equal(row.split(' | ')[5] === 'yes', key.secret, key.id);
  }
});
