// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dropIsolatedZeros, replayTrace, scoreSegment, segmentsOf, toRow, type UsageTrace } from './index.ts';

const MIB = 1_048_576;
const GIB = 1024 * MIB;
const HOUR = 3_600_000;
const MIN = 60_000;

function trace(cpu: number[], memory: number[], stepMs = HOUR): UsageTrace {
  return {
    name: 't',
    dataset: 'd',
    tsMs: Float64Array.from(cpu, (_, i) => i * stepMs),
    cpu: Float64Array.from(cpu),
    memory: Float64Array.from(memory),
  };
}

describe('scoreSegment', () => {
  it('counts CPU under-provisioning and idle CPU, skipping absent samples', () => {
    const t = trace([50, 150, 100, Number.NaN], [GIB, GIB, GIB, GIB]);
    const s = scoreSegment(t, { from: 0, to: 4, stepMs: HOUR }, { cpuRequest: 100 });
    assert.equal(s.cpuSamples, 3);
    assert.equal(s.cpuOver, 1);
    // (100 − 50) m for one hour; the sample above the request adds no idle.
    assert.equal(s.idleCpuCoreHours, 0.05);
    assert.equal(toRow('x', s).cpu_underprovisioned_fraction, 1 / 3);
  });

  it('counts an OOM episode once, then scores against the bumped limit', () => {
    // Limit 2 GiB: 3 GiB kills once (episode 3, 3), then the restart at 2.4 GiB survives 2.2 GiB, 2.6 GiB kills again.
    const t = trace([0, 0, 0, 0, 0, 0], [GIB, 3 * GIB, 3 * GIB, 1.5 * GIB, 2.2 * GIB, 2.6 * GIB]);
    const s = scoreSegment(t, { from: 0, to: 6, stepMs: HOUR }, { memRequest: GIB, memLimit: 2 * GIB });
    assert.equal(s.oomKills, 2);
    // Idle memory only where usage is under the 1 GiB request: none here.
    assert.equal(s.idleMemoryGiBHours, 0);
  });

  it('no memory limit, no kills; idle memory integrates request − used', () => {
    const t = trace([0, 0], [0.5 * GIB, 10 * GIB], 30 * MIN);
    const s = scoreSegment(t, { from: 0, to: 2, stepMs: 30 * MIN }, { memRequest: GIB });
    assert.equal(s.oomKills, 0);
    assert.equal(s.idleMemoryGiBHours, 0.25);
  });

  it('an unset request (HPA ?) scores no CPU', () => {
    const s = scoreSegment(trace([5, 5], [1, 1]), { from: 0, to: 2, stepMs: HOUR }, {});
    assert.equal(s.cpuSamples, 0);
    assert.equal(s.idleCpuCoreHours, 0);
  });
});

describe('segmentsOf', () => {
  it('splits at 30 % and rolls origins every 2 h once 3 h of history exist', () => {
    const t = trace(new Array<number>(720).fill(1), new Array<number>(720).fill(1), MIN);
    const segs = segmentsOf(t, { strategies: [] });
    // 30 % of 719 min is 215.7 min; the first origin is the first sample with 3 h of history before it.
    assert.deepEqual(
      segs.map((s) => [s.from, s.to]),
      [[216, 720], [181, 301], [301, 421], [421, 541], [541, 661], [661, 720]],
    );
    assert.ok(segs.every((s) => s.stepMs === MIN));
    assert.deepEqual(segmentsOf(trace([1], [1]), { strategies: [] }), []);
  });
});

describe('replayTrace', () => {
  it('krr-simple on a constant trace: no under-provisioning, idle memory from the 15 % margin', () => {
    const t = trace(new Array<number>(720).fill(100), new Array<number>(720).fill(100 * MIB), MIN);
    const r = replayTrace(t, { strategies: ['krr-simple'] })['krr-simple'];
    assert.ok(r !== undefined);
    // Scored: 504 samples of the split and 539 of the rolling origins.
    assert.equal(r.cpuSamples, 1043);
    assert.equal(r.cpuOver, 0);
    assert.equal(r.oomKills, 0);
    assert.equal(r.idleCpuCoreHours, 0);
    assert.ok(Math.abs(r.idleMemoryGiBHours - (1043 * 15) / 1024 / 60) < 1e-9);
  });

  it('skips stretches without enough history for every strategy alike', () => {
    const t = trace(new Array<number>(50).fill(100), new Array<number>(50).fill(MIB), MIN);
    const r = replayTrace(t, { strategies: ['krm', 'vpa'] });
    assert.equal(r['krm']?.cpuSamples, 0);
    assert.equal(r['vpa']?.cpuSamples, 0);
  });

  it('scores an OOM kill when memory grows past a Guaranteed limit', () => {
    const mem = Array.from({ length: 720 }, (_, i) => (i < 400 ? 100 * MIB : 400 * MIB));
    const t = trace(new Array<number>(720).fill(100), mem, MIN);
    const r = replayTrace(t, { strategies: ['krr-simple'], modes: ['split'] })['krr-simple'];
    assert.equal(r?.oomKills, 1);
  });
});

describe('dropIsolatedZeros', () => {
  it('reads an exact zero between non-zero readings as absent, keeps runs of zeros', () => {
    const out = dropIsolatedZeros(Float64Array.from([5, 0, 5, 0, 0, 5, 0]));
    assert.deepEqual(Array.from(out), [5, Number.NaN, 5, 0, 0, 5, Number.NaN]);
  });
});
