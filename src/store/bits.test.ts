// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BitReader, BitWriter } from './bits.ts';
import { readRice, readRiceZeros, readSignedRice, RiceState, writeRice, writeSignedRice } from './rice.ts';

/** A small deterministic generator (xorshift), so that a failure reproduces. */
function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

type Op = { kind: 'bits'; v: number; n: number } | { kind: 'wide'; v: number; n: number } | { kind: 'var'; v: number } | { kind: 'ones'; ones: number; max: number };

test('the reader returns what the writer wrote, at every bit offset and width', () => {
  const rand = rng(42);
  const ops: Op[] = [];
  const w = new BitWriter(4);
  for (let i = 0; i < 20_000; i++) {
    const pick = rand();
    if (pick < 0.4) {
      const n = Math.floor(rand() * 33);
      const v = n === 0 ? 0 : Math.floor(rand() * 2 ** n);
      w.writeBits(v, n);
      ops.push({ kind: 'bits', v, n });
    } else if (pick < 0.6) {
      const n = Math.floor(rand() * 54);
      const v = Math.floor(rand() * 2 ** n);
      w.writeWide(v, n);
      ops.push({ kind: 'wide', v, n });
    } else if (pick < 0.8) {
      const v = Math.floor(rand() * 2 ** Math.floor(rand() * 53));
      w.writeVarUint(v);
      ops.push({ kind: 'var', v });
    } else {
      const max = 1 + Math.floor(rand() * 40);
      const ones = Math.floor(rand() * (max + 1));
      for (let k = 0; k < ones; k++) w.writeBits(1, 1);
      if (ones < max) w.writeBits(0, 1);
      ops.push({ kind: 'ones', ones, max });
    }
  }
  const r = new BitReader(w.toBytes());
  for (const [i, op] of ops.entries()) {
    if (op.kind === 'bits') assert.equal(r.readBits(op.n), op.v, `op ${i}`);
    else if (op.kind === 'wide') assert.equal(r.readWide(op.n), op.v, `op ${i}`);
    else if (op.kind === 'var') assert.equal(r.readVarUint(), op.v, `op ${i}`);
    else assert.equal(r.readOnes(op.max), op.ones, `op ${i}`);
  }
});

test('reading past the end yields zero bits, also within the last bytes', () => {
  const r = new BitReader(Uint8Array.of(0xff, 0x80));
  assert.equal(r.readBits(3), 7);
  assert.equal(r.readOnes(20), 6);
  assert.equal(r.readBits(20), 0);
  assert.equal(r.readOnes(5), 0);
  assert.ok(r.exhausted);
  assert.equal(r.readBits(32), 0);
});

test('adaptive Rice codes round-trip, spikes and runs of zeros included', () => {
  const rand = rng(7);
  const values = Array.from({ length: 5000 }, (_, i) => (i % 500 < 100 ? 0 : Math.floor(rand() * (i % 97 === 0 ? 2 ** 50 : 1000)) - 500));
  const w = new BitWriter();
  const ws = new RiceState();
  const wu = new RiceState(64);
  for (const v of values) {
    writeSignedRice(w, ws, v);
    writeRice(w, wu, Math.abs(v));
  }
  const r = new BitReader(w.toBytes());
  const rs = new RiceState();
  const ru = new RiceState(64);
  for (const v of values) {
    assert.equal(readSignedRice(r, rs), v);
    assert.equal(readRice(r, ru), Math.abs(v));
  }
});

test('runs of zeros read a cache at a time give the same values and state as one code at a time', () => {
  const rand = rng(11);
  // Runs of 1 to 200 zeros between values small, large and escaped, so that k leaves 0 and comes back.
  const values: number[] = [];
  while (values.length < 20_000) {
    const run = 1 + Math.floor(rand() * 200);
    for (let z = 0; z < run; z++) values.push(0);
    const kind = rand();
    values.push(kind < 0.6 ? 1 + Math.floor(rand() * 3) : kind < 0.95 ? Math.floor(rand() * 5000) : 2 ** 40 + Math.floor(rand() * 1000));
  }
  const w = new BitWriter();
  const ws = new RiceState();
  for (const v of values) writeRice(w, ws, v);
  const r = new BitReader(w.toBytes());
  const rs = new RiceState();
  const out: number[] = [];
  let runs = 0;
  while (out.length < values.length) {
    const run = readRiceZeros(r, rs, values.length - out.length);
    if (run > 0) runs++;
    for (let z = 0; z < run; z++) out.push(0);
    if (out.length < values.length) out.push(readRice(r, rs));
  }
  assert.deepEqual(out, values);
  assert.ok(runs > 100, `runs read as runs: ${runs}`);
  assert.deepEqual([rs.sum, rs.n], [ws.sum, ws.n]);
});
