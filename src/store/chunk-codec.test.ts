// SPDX-License-Identifier: Apache-2.0
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { BitReader, BitWriter } from './bits.ts';
import { ChunkEncoder, decodeChunk, encodeChunk } from './chunk-codec.ts';
import { readXor, writeXor, XorState } from './float-xor.ts';
import { readRice, RiceState, writeRice } from './rice.ts';

const MINUTE = 60_000;
const T0 = Date.UTC(2024, 0, 15, 10, 0, 0);

function roundTrip(ts: readonly number[], values: readonly number[], decimals: number | null) {
  const bytes = encodeChunk({ timestampsMs: ts, values }, decimals);
  const out = decodeChunk(bytes);
  return { bytes, ts: Array.from(out.timestampsMs), values: Array.from(out.values) };
}

function regular(n: number, stepMs = MINUTE): number[] {
  return Array.from({ length: n }, (_, i) => T0 + i * stepMs);
}

void describe('bit primitives', () => {
  void it('round-trip bits, wide values and varints', () => {
    const w = new BitWriter(1);
    const wide = [0, 1, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, 123456789012345];
    w.writeBits(0b101, 3);
    for (const v of wide) w.writeWide(v, 53);
    for (const v of [0, 127, 128, 2 ** 40 + 7]) w.writeVarUint(v);
    w.writeVarInt(-(2 ** 45));
    const r = new BitReader(w.toBytes());
    assert.equal(r.readBits(3), 0b101);
    for (const v of wide) assert.equal(r.readWide(53), v);
    for (const v of [0, 127, 128, 2 ** 40 + 7]) assert.equal(r.readVarUint(), v);
    assert.equal(r.readVarInt(), -(2 ** 45));
  });

  void it('round-trip adaptive Rice codes, including escapes of huge values', () => {
    const values = [0, 0, 1, 3, 1000, 2, 0, 2 ** 52 + 1, 7, 0, 65535, 1];
    const w = new BitWriter();
    const ws = new RiceState();
    for (const v of values) writeRice(w, ws, v);
    const r = new BitReader(w.toBytes());
    const rs = new RiceState();
    assert.deepEqual(
      values.map(() => readRice(r, rs)),
      values,
    );
  });

  void it('round-trip float XOR for special and extreme doubles', () => {
    const values = [0, -0, 1.5, 1.5, Number.MAX_VALUE, Number.MIN_VALUE, -1e-300, Math.PI, 2 ** 60, 0.1 + 0.2];
    const w = new BitWriter();
    const ws = new XorState(values[0] ?? 0);
    for (const v of values.slice(1)) writeXor(w, ws, v);
    const r = new BitReader(w.toBytes());
    const rs = new XorState(values[0] ?? 0);
    for (const v of values.slice(1)) assert.ok(Object.is(readXor(r, rs), v));
  });
});

void describe('raw chunk codec', () => {
  void it('keeps timestamps exactly, with jitter and gaps (absent samples are simply not there)', () => {
    const ts = [T0, T0 + 60_000, T0 + 121_000, T0 + 180_017, T0 + 600_000, T0 + 600_001];
    const out = roundTrip(ts, [1, 2, 3, 4, 5, 6], 0);
    assert.deepEqual(out.ts, ts);
    assert.deepEqual(out.values, [1, 2, 3, 4, 5, 6]);
  });

  void it('stores a constant series in about a bit per sample and a bit per timestamp', () => {
    const out = roundTrip(regular(120), new Array<number>(120).fill(268_435_456), 0);
    assert.deepEqual(out.values, new Array<number>(120).fill(268_435_456));
    // 2 bits per sample (one for the timestamp, one for the value) plus a ~16-byte header.
    assert.ok(out.bytes.length <= 56, `constant chunk is ${out.bytes.length} bytes`);
  });

  void it('quantizes to the declared decimals and no further', () => {
    const values = [12.3456, 0.0004, 0.0005, 999.9994, 0, 1234567.891];
    const out = roundTrip(regular(values.length), values, 3);
    assert.deepEqual(out.values, [12.346, 0, 0.001, 999.999, 0, 1234567.891]);
  });

  void it('uses the gcd of value steps (page-granular memory) and stays exact', () => {
    const values = Array.from({ length: 120 }, (_, i) => 400 * 2 ** 20 + 4096 * ((i * 37) % 200));
    const out = roundTrip(regular(120), values, 0);
    assert.deepEqual(out.values, values);
    assert.ok(out.bytes.length / 120 < 2, `${out.bytes.length} bytes`);
  });

  void it('keeps counter-like, monotonically increasing values exactly', () => {
    let c = 1e12;
    const values = Array.from({ length: 100 }, (_, i) => (c += 1_000_000_007 + (i % 3)));
    assert.deepEqual(roundTrip(regular(100), values, 0).values, values);
    const seconds = Array.from({ length: 100 }, (_, i) => 86_400.125 + i * 59.997);
    assert.deepEqual(
      roundTrip(regular(100), seconds, 3).values,
      seconds.map((v) => Math.round(v * 1000) / 1000),
    );
  });

  void it('falls back to exact float64 for huge values and keeps tiny values exact when undeclared', () => {
    const huge = [1e300, -1e300, 5e15, Number.MAX_VALUE, 3];
    assert.deepEqual(roundTrip(regular(huge.length), huge, 0).values, huge);
    const tiny = [1e-12, 2.5e-300, 5e-324, 1e-9, 0];
    assert.deepEqual(roundTrip(regular(tiny.length), tiny, null).values, tiny);
  });

  void it('switches mode mid-chunk without corrupting earlier samples', () => {
    const values = [1, 2, 3, 2 ** 60, 5, 6];
    assert.deepEqual(roundTrip(regular(values.length), values, 0).values, values);
  });

  void it('handles negative values and a single sample', () => {
    assert.deepEqual(roundTrip([T0], [-42.5], 1).values, [-42.5]);
    const values = [-1, -2.5, 3, -4e6, 0];
    assert.deepEqual(roundTrip(regular(values.length), values, 1).values, values);
  });

  void it('encodes incrementally: toBytes at any point decodes to the samples so far', () => {
    const enc = new ChunkEncoder(3);
    for (let i = 0; i < 50; i++) {
      enc.append(T0 + i * 15_000 + (i % 7) * 1000, Math.sin(i) * 100);
      const out = decodeChunk(enc.toBytes());
      assert.equal(out.values.length, i + 1);
      assert.equal(out.timestampsMs[i], T0 + i * 15_000 + (i % 7) * 1000);
      assert.equal(out.values[i], Math.round(Math.sin(i) * 100_000) / 1000);
    }
  });

  void it('re-encodes a settled chunk when a later sample breaks its unit, factor or integer range', () => {
    // The first samples are aligned to 60 s and 4 KiB; sample 15 is a second off, 20 is a byte off, 25 is huge.
    const ts = regular(30).map((t, i) => (i >= 15 ? t + 1000 : t));
    const values = Array.from({ length: 30 }, (_, i) => 4096 * (100 + i) + (i >= 20 ? 1 : 0) + (i === 25 ? 2 ** 60 : 0));
    const enc = new ChunkEncoder(0);
    ts.forEach((t, i) => {
      enc.append(t, values[i] ?? 0);
      const out = decodeChunk(enc.toBytes());
      assert.deepEqual([...out.timestampsMs], ts.slice(0, i + 1), `timestamps after ${i + 1} samples`);
      assert.deepEqual([...out.values], values.slice(0, i + 1), `values after ${i + 1} samples`);
    });
  });

  void it('encodes an empty chunk as zero samples', () => {
    const out = decodeChunk(encodeChunk({ timestampsMs: [], values: [] }, 0));
    assert.equal(out.values.length, 0);
    assert.equal(new ChunkEncoder(null).sizeBytes, 16);
  });

  void it('rejects an unknown chunk version', () => {
    assert.throws(() => decodeChunk(Uint8Array.of(9, 0, 0)), RangeError);
  });
});

void describe('raw chunk format', () => {
  void it('writes the bytes it always wrote (chunks on disk and in checkpoints stay readable and comparable)', () => {
    // A digest of 1,600 chunks of every kind (aligned, jittered, irregular; scaled integers, page-granular, float
    // XOR with huge values), taken from the encoder before heads moved to shared columns and an arena.
    let seed = 42;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const hash = createHash('sha256');
    for (let k = 0; k < 400; k++) {
      const n = 1 + Math.floor(rnd() * 200);
      const ts: number[] = [];
      const values: number[] = [];
      let t = 1_700_000_000_000 + Math.floor(rnd() * 100000);
      const kind = k % 6;
      for (let i = 0; i < n; i++) {
        t += kind === 0 ? 60000 : kind === 1 ? 60000 + Math.floor(rnd() * 3) * 1000 : 1 + Math.floor(rnd() * 90000);
        ts.push(t);
        const noise = (): number => (i % 7 === 0 ? 1e300 * rnd() : rnd());
        values.push(kind === 2 ? rnd() * 1e6 : kind === 3 ? 4096 * Math.floor(rnd() * 1e5) : kind === 4 ? noise() : Math.round(rnd() * 100) / 10);
      }
      for (const decimals of [null, 0, 3, -2]) hash.update(encodeChunk({ timestampsMs: ts, values }, decimals));
    }
    assert.equal(hash.digest('hex'), '816219bad27f46b7ec22e209f2efac4ac192bf2b92ac75a422b65ccd04c4c162');
  });
});
