// SPDX-License-Identifier: Apache-2.0
// Writes docs/config.md and the configuration section of README.md from src/config/schema.ts. `--check` exits 1
// when either checked-in file is out of date.
// Run: npm run docs:config [-- --check]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { renderConfigDocs, withReadmeConfig } from '../src/config/docs.ts';

const configDoc = new URL('../docs/config.md', import.meta.url);
const readme = new URL('../README.md', import.meta.url);
const read = (url: URL): string => (existsSync(url) ? readFileSync(url, 'utf8') : '');
const targets: Array<[URL, string, string]> = [
  [configDoc, 'docs/config.md', renderConfigDocs()],
  [readme, 'README.md', withReadmeConfig(read(readme))],
];

if (process.argv.includes('--check')) {
  const stale = targets.filter(([url, , text]) => read(url) !== text).map(([, name]) => name);
  if (stale.length > 0) {
    console.error(`${stale.join(' and ')} out of date: run \`npm run docs:config\``);
    process.exit(1);
  }
  console.log('docs/config.md and README.md are up to date');
} else {
  for (const [url, name, text] of targets) {
    writeFileSync(url, text);
    console.log(`${name} written`);
  }
}
