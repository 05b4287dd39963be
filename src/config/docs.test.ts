// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { renderConfigDocs, renderReadmeConfig, withReadmeConfig } from './docs.ts';
import { describeConfigSchema } from './keys.ts';

test('docs/config.md is generated from the schema (run `npm run docs:config` after a change)', () => {
  const checkedIn = readFileSync(new URL('../../docs/config.md', import.meta.url), 'utf8');
  assert.ok(checkedIn === renderConfigDocs(), 'docs/config.md is out of date: run `npm run docs:config`');
});

test('README.md\'s configuration section is generated from the schema (run `npm run docs:config` after a change)', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  assert.ok(readme === withReadmeConfig(readme), 'README.md\'s configuration section is out of date: run `npm run docs:config`');
  const section = renderReadmeConfig();
  for (const key of describeConfigSchema().keys) assert.ok(section.includes(`| \`${key.id}\``), key.id);
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
