// SPDX-License-Identifier: Apache-2.0
// `timestamp,value` CSV in, `timestamp,value,anomaly_score` CSV out (the format of NAB's data and results files).
// Errors name the 1-based line of the file so a user can find the bad row.
import { InputError } from '../../errors/app-error.ts';
import { parseNabTimestamp } from '../nab/nab-timestamp.ts';

/** A parsed series: rows in file order, timestamps non-decreasing (NAB's own files repeat a timestamp
 * where a daylight-saving hour was folded); a missing value is NaN. */
export interface ParsedSeries {
  readonly timestampsMs: Float64Array;
  readonly values: Float64Array;
  /** The timestamp and value fields as written, to echo them back unchanged. */
  readonly timestampTexts: readonly string[];
  readonly valueTexts: readonly string[];
}

interface Columns {
  readonly timestamp: number;
  readonly value: number;
}

function splitFields(line: string): string[] {
  return line.split(',').map((f) => f.trim().replace(/^"(.*)"$/, '$1'));
}

function fail(line: number, message: string): never {
  throw new InputError('KRM_INPUT_INVALID', `line ${line}: ${message}`, { details: { line } });
}

function headerColumns(header: string | undefined): Columns {
  if (header === undefined || header.trim() === '') fail(1, 'empty input; expected a "timestamp,value" header');
  const names = splitFields(header.replace(/^\uFEFF/, '')).map((n) => n.toLowerCase());
  const timestamp = names.indexOf('timestamp');
  const value = names.indexOf('value');
  if (timestamp < 0) fail(1, 'missing column "timestamp" in the header');
  if (value < 0) fail(1, 'missing column "value" in the header');
  return { timestamp, value };
}

/** Empty fields and NaN are missing values (a gap in the series); anything else must be a finite number. */
function parseValue(text: string, line: number): number {
  if (text === '' || text.toLowerCase() === 'nan') return Number.NaN;
  const v = Number(text);
  if (!Number.isFinite(v)) fail(line, `value "${text}" is not a number`);
  return v;
}

/** Parses `timestamp,value` CSV text (header required, extra columns ignored, blank lines skipped). */
export function parseSeriesCsv(text: string): ParsedSeries {
  const lines = text.split(/\r?\n/);
  const cols = headerColumns(lines[0]);
  const width = Math.max(cols.timestamp, cols.value) + 1;
  const ts: number[] = [];
  const vs: number[] = [];
  const timestampTexts: string[] = [];
  const valueTexts: string[] = [];
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i] as string;
    if (raw.trim() === '') continue;
    const fields = splitFields(raw);
    if (fields.length < width) fail(i + 1, `expected at least ${width} fields, found ${fields.length}`);
    const tsText = fields[cols.timestamp] as string;
    const t = parseNabTimestamp(tsText);
    if (Number.isNaN(t)) fail(i + 1, `timestamp "${tsText}" is not a date`);
    const prev = ts[ts.length - 1];
    if (prev !== undefined && t < prev) fail(i + 1, `timestamp "${tsText}" is before the previous row's (unsorted)`);
    const valueText = fields[cols.value] as string;
    vs.push(parseValue(valueText, i + 1));
    ts.push(t);
    timestampTexts.push(tsText);
    valueTexts.push(valueText);
  }
  return { timestampsMs: Float64Array.from(ts), values: Float64Array.from(vs), timestampTexts, valueTexts };
}

/** Formats scores next to the original fields; six decimals keep distinct scores distinct for threshold sweeps. */
export function formatScoredCsv(series: ParsedSeries, scores: ArrayLike<number>): string {
  const out: string[] = ['timestamp,value,anomaly_score'];
  for (let i = 0; i < series.timestampTexts.length; i++) {
    const score = scores[i] as number;
    out.push(`${series.timestampTexts[i]},${series.valueTexts[i]},${Number.isNaN(score) ? '' : score.toFixed(6)}`);
  }
  return `${out.join('\n')}\n`;
}
