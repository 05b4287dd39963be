// SPDX-License-Identifier: Apache-2.0
// The columns of a rollup row that describe each bucket's distribution (rollup-codec.ts lays out the row): the
// sketches, and the ordinals that answer the stored quantiles without them (docs/store.md, rollup format).
import type { BitReader} from './bits.ts';
import { BitWriter } from './bits.ts';
import { readRice, readSignedRice, RiceState, writeRice, writeSignedRice } from './rice.ts';
import type { RollupBucket } from './rollup.ts';
import { quantileBins, type Sketch } from './sketch.ts';

export function writeSketches(w: BitWriter, buckets: readonly RollupBucket[]): void {
  const nState = new RiceState();
  const firstState = new RiceState(64);
  const gapState = new RiceState();
  const countState = new RiceState();
  let prevFirst = 0;
  for (const b of buckets) {
    const s = b.sketch ?? { ordinals: [], counts: [] };
    writeRice(w, nState, s.ordinals.length);
    for (let i = 0; i < s.ordinals.length; i++) {
      const o = s.ordinals[i] ?? 0;
      if (i === 0) {
        writeSignedRice(w, firstState, o - prevFirst);
        prevFirst = o;
      } else {
        writeRice(w, gapState, o - (s.ordinals[i - 1] ?? 0) - 1);
      }
      writeRice(w, countState, (s.counts[i] ?? 1) - 1);
    }
  }
}

export function readSketches(r: BitReader, n: number): Sketch[] {
  const nState = new RiceState();
  const firstState = new RiceState(64);
  const gapState = new RiceState();
  const countState = new RiceState();
  let prevFirst = 0;
  const out: Sketch[] = [];
  for (let b = 0; b < n; b++) {
    const bins = readRice(r, nState);
    const ordinals = new Array<number>(bins);
    const counts = new Array<number>(bins);
    let o = prevFirst;
    for (let i = 0; i < bins; i++) {
      o = i === 0 ? prevFirst + readSignedRice(r, firstState) : o + readRice(r, gapState) + 1;
      if (i === 0) prevFirst = o;
      ordinals[i] = o;
      counts[i] = readRice(r, countState) + 1;
    }
    out.push({ ordinals, counts });
  }
  return out;
}

/**
 * Quantiles whose sketch ordinal every bucket of a sketch tier stores beside its sketch: the ones analyses and the
 * API ask for (rightsizing's p95 and p99, the median, p90), so that a step of one bucket answers them unsketched.
 */
export const STORED_QUANTILES: readonly number[] = [0.5, 0.9, 0.95, 0.99];

/** Per bucket, the ordinal of the bin answering each stored quantile (as the walk picks it); null when empty. */
export function storedOrdinals(buckets: readonly RollupBucket[]): Array<number[] | null> {
  return buckets.map((b) => {
    const s = b.sketch;
    const at = s ? quantileBins(s.counts, STORED_QUANTILES) : null;
    return at ? at.map((i) => s?.ordinals[i] as number) : null;
  });
}

/**
 * One stored quantile's column: the empty buckets (count, index gaps; they answer NaN), then the ordinal of every
 * other bucket, the first as it is and the rest as Rice-coded deltas to the one before (quantiles drift slowly).
 */
export function writeOrdinalColumn(ords: ReadonlyArray<readonly number[] | null>, k: number): Uint8Array {
  const w = new BitWriter(16 + ords.length);
  const empties: number[] = [];
  ords.forEach((o, i) => {
    if (o === null) empties.push(i);
  });
  w.writeVarUint(empties.length);
  let last = -1;
  for (const i of empties) {
    w.writeVarUint(i - last - 1);
    last = i;
  }
  const state = new RiceState();
  let prev: number | null = null;
  for (const o of ords) {
    if (o === null) continue;
    const v = o[k] as number;
    if (prev === null) w.writeVarInt(v);
    else writeSignedRice(w, state, v - prev);
    prev = v;
  }
  return w.toBytes();
}

export function readOrdinalColumn(r: BitReader, n: number): number[] {
  const empties = new Array<number>(r.readVarUint());
  let last = -1;
  for (let e = 0; e < empties.length; e++) empties[e] = last += r.readVarUint() + 1;
  const out = new Array<number>(n);
  const state = new RiceState();
  let e = 0;
  let prev = NaN;
  for (let i = 0; i < n; i++) {
    if (empties[e] === i) {
      out[i] = NaN;
      e++;
      continue;
    }
    prev = Number.isNaN(prev) ? r.readVarInt() : prev + readSignedRice(r, state);
    out[i] = prev;
  }
  return out;
}

