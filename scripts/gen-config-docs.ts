// SPDX-License-Identifier: Apache-2.0
// Writes docs/config.md from src/config/schema.ts. `--check` exits 1 when the checked-in file is out of date.
// Run: npx tsx scripts/gen-config-docs.ts [--check]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { renderConfigDocs } from '../src/config/docs.ts';

const target = new URL('../docs/config.md', import.meta.url);
const generated = renderConfigDocs();

if (process.argv.includes('--check')) {
  const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
  if (current !== generated) {
    console.error('docs/config.md is out of date: run `npx tsx scripts/gen-config-docs.ts`');
    process.exit(1);
  }
  console.log('docs/config.md is up to date');
} else {
  writeFileSync(target, generated);
  console.log('docs/config.md written');
}
