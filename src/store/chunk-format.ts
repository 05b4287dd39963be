// SPDX-License-Identifier: Apache-2.0
// The raw chunk format's header and its decoder, and the gcd helpers the encoder (chunk-codec.ts) settles its
// timestamp unit and value factor with. docs/store.md describes the layout.
import { BitReader } from './bits.ts';
import { readFloat64, readXor, XorState } from './float-xor.ts';
import { fromScaled, gcd, MAX_SCALED, toScaled } from './precision.ts';
import { readSignedRice, RiceState } from './rice.ts';

export const CHUNK_VERSION = 1;
export const MODE_INT = 0;
export const MODE_FLOAT = 1;

/** Samples decoded from a chunk: ascending timestamps (ms) and values. */
export interface DecodedChunk {
  readonly timestampsMs: Float64Array;
  readonly values: Float64Array;
}

function gcdOrFirst(acc: number, x: number): number {
  if (x === 0) return acc;
  return acc === 0 ? x : gcd(acc, x);
}

/** The gcd of the timestamps' offsets from the first (0 for one sample). */
export function tsUnitOf(pairs: readonly number[]): number {
  const first = pairs[0] ?? 0;
  let unit = 0;
  for (let i = 2; i < pairs.length; i += 2) unit = gcdOrFirst(unit, (pairs[i] ?? 0) - first);
  return unit;
}

/** The gcd of the scaled values' offsets from the first (0: all equal); -1 when one is out of the integer range. */
export function valueFactorOf(pairs: readonly number[], decimals: number): number {
  const first = toScaled(pairs[1] ?? 0, decimals);
  if (Math.abs(first) > MAX_SCALED) return -1;
  let factor = 0;
  for (let i = 3; i < pairs.length; i += 2) {
    const n = toScaled(pairs[i] ?? 0, decimals);
    if (Math.abs(n) > MAX_SCALED) return -1;
    factor = gcdOrFirst(factor, Math.abs(n - first));
  }
  return factor;
}

interface Header {
  readonly count: number;
  readonly firstTs: number;
  readonly tsUnit: number;
  readonly floatMode: boolean;
  readonly decimals: number;
  readonly valueFactor: number;
  readonly first: number;
}

function readHeader(r: BitReader): Header {
  const version = r.readVarUint();
  if (version !== CHUNK_VERSION) throw new RangeError(`unsupported chunk version ${version}`);
  const floatMode = r.readBits(8) === MODE_FLOAT;
  const count = r.readVarUint();
  const firstTs = r.readVarInt();
  const tsUnit = r.readVarUint();
  if (floatMode) return { count, firstTs, tsUnit, floatMode, decimals: 0, valueFactor: 0, first: readFloat64(r) };
  const decimals = r.readVarInt();
  const valueFactor = r.readVarUint();
  return { count, firstTs, tsUnit, floatMode, decimals, valueFactor, first: r.readVarInt() };
}

/** Decodes a chunk written by {@link ChunkEncoder}. Throws RangeError on an unknown version. */
export function decodeChunk(bytes: Uint8Array): DecodedChunk {
  const r = new BitReader(bytes);
  const h = readHeader(r);
  const timestampsMs = new Float64Array(h.count);
  const values = new Float64Array(h.count);
  if (h.count === 0) return { timestampsMs, values };
  timestampsMs[0] = h.firstTs;
  values[0] = h.floatMode ? h.first : fromScaled(h.first, h.decimals);
  const tsRice = new RiceState();
  const valRice = new RiceState();
  const xor = h.floatMode ? new XorState(h.first) : null;
  let units = 0;
  let delta = 0;
  let n = h.first;
  for (let i = 1; i < h.count; i++) {
    delta += readSignedRice(r, tsRice);
    units += delta;
    timestampsMs[i] = h.firstTs + units * h.tsUnit;
    if (xor) {
      values[i] = readXor(r, xor);
    } else {
      n += readSignedRice(r, valRice) * h.valueFactor;
      values[i] = fromScaled(n, h.decimals);
    }
  }
  return { timestampsMs, values };
}
