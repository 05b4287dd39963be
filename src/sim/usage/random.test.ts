// SPDX-License-Identifier: Apache-2.0
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRandom, hashSeed, latticeValue, mix32, unitFromHash, valueNoise } from './random.ts';

void describe('hashSeed', () => {
  void it('is deterministic and returns a uint32', () => {
    const a = hashSeed(42, 'default', 'web-0', 'app');
    assert.equal(a, hashSeed(42, 'default', 'web-0', 'app'));
    assert.ok(Number.isInteger(a) && a >= 0 && a < 2 ** 32);
  });

  void it('separates parts and distinguishes close identities', () => {
    assert.notEqual(hashSeed('ab', 'c'), hashSeed('a', 'bc'));
    assert.notEqual(hashSeed(1, 'x'), hashSeed(2, 'x'));
    assert.notEqual(hashSeed('1'), hashSeed(1));
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) seen.add(hashSeed(7, 'ns', `pod-${i}`, 'app'));
    assert.equal(seen.size, 10_000);
  });

  void it('accepts large and fractional numbers', () => {
    assert.notEqual(hashSeed(2 ** 40), hashSeed(2 ** 40 + 1));
    assert.notEqual(hashSeed(0.5), hashSeed(0.25));
  });
});

void describe('SeededRandom', () => {
  void it('replays the same sequence for the same seed', () => {
    const a = createRandom(123);
    const b = createRandom(123);
    for (let i = 0; i < 100; i++) assert.equal(a.next(), b.next());
    assert.notEqual(createRandom(1).next(), createRandom(2).next());
  });

  void it('draws uniform numbers in range with the right mean', () => {
    const r = createRandom(9);
    let sum = 0;
    for (let i = 0; i < 20_000; i++) {
      const u = r.uniform(2, 4);
      assert.ok(u >= 2 && u < 4);
      sum += u;
    }
    assert.ok(Math.abs(sum / 20_000 - 3) < 0.02);
  });

  void it('draws normal deviates with the requested mean and standard deviation', () => {
    const r = createRandom(5);
    const n = 20_000;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const z = r.normal(10, 2);
      sum += z;
      sq += z * z;
    }
    const mean = sum / n;
    const sd = Math.sqrt(sq / n - mean * mean);
    assert.ok(Math.abs(mean - 10) < 0.05, `mean ${mean}`);
    assert.ok(Math.abs(sd - 2) < 0.05, `sd ${sd}`);
  });
});

void describe('value noise', () => {
  void it('stays in [-1, 1] and hits the lattice values at lattice points', () => {
    for (let t = 0; t < 1_000_000; t += 777) {
      const v = valueNoise(3, t, 15_000);
      assert.ok(v >= -1 && v <= 1);
    }
    assert.equal(valueNoise(3, 30_000, 15_000), latticeValue(3, 2));
  });

  void it('is continuous: nearby times give nearby values', () => {
    for (let t = 0; t < 600_000; t += 1000) {
      assert.ok(Math.abs(valueNoise(11, t + 10, 15_000) - valueNoise(11, t, 15_000)) < 0.01);
    }
  });

  void it('depends only on the time, not on the sampling history', () => {
    const coarse = [0, 60_000, 120_000].map((t) => valueNoise(8, t, 15_000));
    const fine: number[] = [];
    for (let t = 0; t <= 120_000; t += 1000) if (t % 60_000 === 0) fine.push(valueNoise(8, t, 15_000));
    assert.deepEqual(fine, coarse);
  });

  void it('has roughly zero mean and spread over many cells', () => {
    let sum = 0;
    for (let k = 0; k < 50_000; k++) sum += latticeValue(99, k);
    assert.ok(Math.abs(sum / 50_000) < 0.02);
    const u = unitFromHash(mix32(1, 2));
    assert.ok(u >= 0 && u < 1);
  });
});
