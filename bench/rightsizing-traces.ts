// SPDX-License-Identifier: Apache-2.0
// Reads pod usage traces laid out as ../shared/traces/nezha (`<set>/pods/<pod>.csv` with the header
// `timestamp,pod,cpu_millicores,memory_mib`; timestamps in epoch seconds). Any `flagged/` folder is skipped (its
// traces are unusable by the data set's own account); isolated exact CPU zeros are collection artefacts, read as absent.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { dropIsolatedZeros, type UsageTrace } from '../src/analysis/replay/index.ts';

const HEADER = 'timestamp,pod,cpu_millicores,memory_mib';
const MIB = 1_048_576;

function csvFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'flagged') out.push(...csvFiles(path));
    } else if (name.endsWith('.csv')) out.push(path);
  }
  return out;
}

/** The data set a file belongs to: the folder holding `pods/`, else the file's own folder. */
function datasetOf(path: string): string {
  const dir = dirname(path);
  return basename(dir) === 'pods' ? basename(dirname(dir)) : basename(dir);
}

export function parseTraceCsv(text: string, name: string, dataset: string): UsageTrace | undefined {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines[0]?.trim() !== HEADER) return undefined;
  const n = lines.length - 1;
  const ts = new Float64Array(n);
  const cpu = new Float64Array(n);
  const memory = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const [t, , c, m] = (lines[i + 1] as string).split(',');
    ts[i] = Number(t) * 1000;
    // An empty or non-numeric cell is an absent sample.
    cpu[i] = c === undefined || c === '' ? Number.NaN : Number(c);
    memory[i] = m === undefined || m === '' ? Number.NaN : Number(m) * MIB;
  }
  return { name, dataset, tsMs: ts, cpu: dropIsolatedZeros(cpu), memory };
}

/** Every usable trace under `dir` (files without the expected header are ignored). */
export function loadTraces(dir: string): UsageTrace[] {
  return csvFiles(dir)
    .filter((p) => !p.split(sep).includes('flagged'))
    .map((p) => parseTraceCsv(readFileSync(p, 'utf8'), basename(p, '.csv'), datasetOf(p)))
    .filter((t): t is UsageTrace => t !== undefined);
}
