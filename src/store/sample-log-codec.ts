// SPDX-License-Identifier: Apache-2.0
// One row of the sample log: the samples one append accepted, as (series id, timestamp, value). A collection
// cycle's samples share a few timestamps, so they are a table indexed per sample; ids are mostly ascending, so
// they are zigzag deltas; values that are integers or exact in thousandths (millicores, bytes) are varints, the
// rest float64. A CRC-32 of the body makes a torn or damaged row detectable at replay. Layout in docs/store.md.
import { crc32 } from 'node:zlib';

const VERSION = 1;
const HEADER_BYTES = 5;
/** Largest magnitude coded as a varint (the tag and zigzag bits must stay below 2^53). */
const MAX_VARINT_MAGNITUDE = 2 ** 50;
const TAG_INTEGER = 0;
const TAG_MILLI = 1;
const TAG_FLOAT = 2;

/** Samples of one log row, in append order. */
export interface LogSamples {
  readonly seriesIds: ArrayLike<number>;
  readonly timestampsMs: ArrayLike<number>;
  readonly values: ArrayLike<number>;
  readonly length: number;
}

class Writer {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  pos = HEADER_BYTES;

  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }

  varuint(x: number): void {
    let v = x;
    while (v >= 0x80) {
      this.bytes[this.pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.bytes[this.pos++] = v;
  }

  float(x: number): void {
    this.view.setFloat64(this.pos, x, true);
    this.pos += 8;
  }
}

const zigzag = (x: number): number => (x >= 0 ? 2 * x : -2 * x - 1);
const unzigzag = (x: number): number => (x % 2 === 0 ? x / 2 : -(x + 1) / 2);

function writeValue(w: Writer, v: number): void {
  if (Number.isSafeInteger(v) && Math.abs(v) < MAX_VARINT_MAGNITUDE && !Object.is(v, -0)) {
    w.varuint(zigzag(v) * 4 + TAG_INTEGER);
    return;
  }
  const milli = Math.round(v * 1000);
  if (Math.abs(milli) < MAX_VARINT_MAGNITUDE && milli / 1000 === v && !Object.is(v, -0)) {
    w.varuint(zigzag(milli) * 4 + TAG_MILLI);
    return;
  }
  w.varuint(TAG_FLOAT);
  w.float(v);
}

/** Encodes the samples of one append. */
export function encodeLogRow(s: LogSamples): Uint8Array {
  const tsIndex = new Map<number, number>();
  for (let i = 0; i < s.length; i++) {
    const ts = s.timestampsMs[i] as number;
    if (!tsIndex.has(ts)) tsIndex.set(ts, tsIndex.size);
  }
  const w = new Writer(HEADER_BYTES + 20 + 8 * tsIndex.size + 24 * s.length);
  w.varuint(s.length);
  w.varuint(tsIndex.size);
  for (const ts of tsIndex.keys()) w.float(ts);
  let prevId = 0;
  for (let i = 0; i < s.length; i++) {
    const id = s.seriesIds[i] as number;
    w.varuint(zigzag(id - prevId));
    prevId = id;
    w.varuint(tsIndex.get(s.timestampsMs[i] as number) as number);
    writeValue(w, s.values[i] as number);
  }
  w.bytes[0] = VERSION;
  w.view.setUint32(1, crc32(w.bytes.subarray(HEADER_BYTES, w.pos)), true);
  return w.bytes.subarray(0, w.pos);
}

class Reader {
  pos = HEADER_BYTES;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  varuint(): number {
    let x = 0;
    let scale = 1;
    for (;;) {
      const b = this.bytes[this.pos++];
      if (b === undefined || scale > 2 ** 56) throw new RangeError('truncated sample log row');
      x += (b & 0x7f) * scale;
      if (b < 0x80) return x;
      scale *= 0x80;
    }
  }

  float(): number {
    if (this.pos + 8 > this.bytes.length) throw new RangeError('truncated sample log row');
    const x = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return x;
  }
}

function readValue(r: Reader): number {
  const code = r.varuint();
  const tag = code % 4;
  if (tag === TAG_FLOAT) return r.float();
  const m = unzigzag((code - tag) / 4);
  if (tag === TAG_MILLI) return m / 1000;
  if (tag === TAG_INTEGER) return m;
  throw new RangeError(`unknown value tag ${tag}`);
}

/** Samples decoded from one row, as columns. */
export interface DecodedLogRow {
  readonly seriesIds: Float64Array;
  readonly timestampsMs: Float64Array;
  readonly values: Float64Array;
  readonly length: number;
}

/** Decodes a row; throws RangeError on a row that is damaged (checksum, version or length). */
export function decodeLogRow(bytes: Uint8Array): DecodedLogRow {
  if (bytes.length < HEADER_BYTES || bytes[0] !== VERSION) throw new RangeError('unknown sample log row version');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(1, true) !== crc32(bytes.subarray(HEADER_BYTES))) throw new RangeError('sample log row checksum mismatch');
  const r = new Reader(bytes);
  const n = r.varuint();
  const nTs = r.varuint();
  if (n > bytes.length || nTs > bytes.length) throw new RangeError('sample log row counts out of range');
  const table = Array.from({ length: nTs }, () => r.float());
  const out = { seriesIds: new Float64Array(n), timestampsMs: new Float64Array(n), values: new Float64Array(n), length: n };
  let id = 0;
  for (let i = 0; i < n; i++) {
    id += unzigzag(r.varuint());
    out.seriesIds[i] = id;
    const ts = table[r.varuint()];
    if (ts === undefined) throw new RangeError('sample log row timestamp index out of range');
    out.timestampsMs[i] = ts;
    out.values[i] = readValue(r);
  }
  if (r.pos !== bytes.length) throw new RangeError('sample log row has trailing bytes');
  return out;
}
