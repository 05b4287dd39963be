// SPDX-License-Identifier: Apache-2.0
// Reads NAB's combined_windows.json: `{ "<category>/<file>.csv": [[start, end], …] }` with NAB timestamps.
import { InputError } from '../../errors/app-error.ts';
import { parseNabTimestamp } from './nab-timestamp.ts';
import type { NabWindow } from './types.ts';

function parseWindow(key: string, pair: unknown): NabWindow {
  if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
    throw new InputError('KRM_INPUT_INVALID', `windows "${key}": each window must be [start, end] strings`);
  }
  const start = parseNabTimestamp(pair[0]);
  const end = parseNabTimestamp(pair[1]);
  if (Number.isNaN(start) || Number.isNaN(end) || end < start) {
    throw new InputError('KRM_INPUT_INVALID', `windows "${key}": bad window [${pair[0]}, ${pair[1]}]`);
  }
  return [start, end];
}

/** Parses a combined_windows.json document into windows per relative file path. */
export function parseNabWindows(json: unknown): Map<string, NabWindow[]> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new InputError('KRM_INPUT_INVALID', 'windows: expected an object keyed by "<category>/<file>.csv"');
  }
  const out = new Map<string, NabWindow[]>();
  for (const [key, list] of Object.entries(json)) {
    if (!Array.isArray(list)) throw new InputError('KRM_INPUT_INVALID', `windows "${key}": expected a list`);
    out.set(key, list.map((pair: unknown) => parseWindow(key, pair)));
  }
  return out;
}
