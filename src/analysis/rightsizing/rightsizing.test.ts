// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { sampleColumn, type Sample } from '../../domain/series.ts';
import { ascendingOrder, clean, groupQuantiles, weightedQuantiles } from './stats.ts';
import { cpuQuantity, memoryQuantity } from './patch.ts';
import { DecayingHistogram } from './strategy-vpa.ts';
import { oomBump, recommend, resourcesPatch, roundCpu, roundMemory, severityOf, type PodUsage, type RightsizingInput } from './index.ts';

const MIB = 1_048_576;
const MIN = 60_000;
const NOW = Date.parse('2026-03-01T12:00:00Z');

/** `n` samples ending at NOW, one per `stepMs`, valued by `f(i)`. */
function series(n: number, f: (i: number) => number, stepMs = MIN): Sample[] {
  return Array.from({ length: n }, (_, i) => ({ tsMs: NOW - (n - 1 - i) * stepMs, value: f(i) }));
}

/** One pod of `n` samples at `stepMs` (default one minute) ending at NOW. */
function pod(n: number, usage: { cpu: (i: number) => number; mem: (i: number) => number }, stepMs = MIN): PodUsage & { cpu: Sample[]; memory: Sample[] } {
  return { pod: 'web-1', cpu: series(n, usage.cpu, stepMs), memory: series(n, usage.mem, stepMs) };
}

function input(over: Partial<RightsizingInput>): RightsizingInput {
  return { nowMs: NOW, pods: [pod(600, { cpu: () => 100, mem: () => 200 * MIB })], current: {}, container: 'app', ...over };
}

describe('eligibility', () => {
  it('no data is "not enough data", with no recommendation or patch', () => {
    const r = recommend(input({ pods: [] }));
    assert.equal(r.status, 'not-enough-data');
    assert.equal(r.recommended, undefined);
    assert.equal(r.patch, undefined);
    assert.equal(r.points, 0);
    assert.match(r.explanation, /^Not enough data/);
  });

  it('one point is not enough', () => {
    const r = recommend(input({ pods: [pod(1, { cpu: () => 5, mem: () => MIB })] }));
    assert.equal(r.status, 'not-enough-data');
    assert.equal(r.points, 1);
  });

  it('needs both 100 points and 3 h', () => {
    // 99 points over 5 h.
    assert.equal(recommend(input({ pods: [pod(99, { cpu: () => 5, mem: () => MIB }, 3 * MIN)] })).status, 'not-enough-data');
    // 100 points over 99 min.
    assert.equal(recommend(input({ pods: [pod(100, { cpu: () => 5, mem: () => MIB })] })).status, 'not-enough-data');
    // 100 points over exactly 3 h.
    const step = (3 * 3_600_000) / 99;
    assert.equal(recommend(input({ pods: [pod(100, { cpu: () => 5, mem: () => MIB }, step)] })).status, 'ok');
  });

  it('NaN and absent samples do not count and do not change the result', () => {
    const clean = recommend(input({ strategy: 'krr-simple', pods: [pod(300, { cpu: (i) => 50 + (i % 10), mem: () => 100 * MIB })] }));
    const holed = pod(300, { cpu: (i) => 50 + (i % 10), mem: () => 100 * MIB });
    const withNaN: PodUsage = {
      pod: 'web-1',
      cpu: [...holed.cpu, { tsMs: NOW - 1, value: Number.NaN }].sort((a, b) => a.tsMs - b.tsMs),
      memory: [...holed.memory.slice(0, 10).map((s) => ({ ...s, value: Number.NaN })), ...holed.memory.slice(10)],
    };
    const r = recommend(input({ strategy: 'krr-simple', pods: [withNaN] }));
    assert.deepEqual(r.recommended, clean.recommended);
    assert.equal(r.points, 300);
  });

  it('columns give what samples give, with or without holes', () => {
    const p = pod(400, { cpu: (i) => (i % 7 === 0 ? Number.NaN : 40 + ((i * 13) % 30)), mem: (i) => (100 + (i % 17)) * MIB });
    const pods = [p, { ...pod(300, { cpu: (i) => 90 + (i % 5), mem: () => 300 * MIB }, 2 * MIN), pod: 'web-2' }];
    for (const strategy of ['krm', 'krr-simple', 'vpa'] as const) {
      const fromSamples = recommend(input({ strategy, current: { cpuRequest: 50, cpuLimit: 100 }, pods }));
      const fromColumns = recommend(input({ strategy, current: { cpuRequest: 50, cpuLimit: 100 }, pods: pods.map((q) => ({ pod: q.pod, cpu: sampleColumn(q.cpu), memory: sampleColumn(q.memory) })) }));
      assert.equal(fromSamples.status, 'ok');
      assert.deepEqual(fromColumns, fromSamples, strategy);
    }
  });

  it('cleaning views the input when it keeps one run of it, and copies only around holes', () => {
    const column = { timestampsMs: Float64Array.of(1, 2, 3, 4, 5), values: Float64Array.of(10, 20, 30, 40, 50) };
    assert.equal(clean(column, 0, 10), column);
    const run = clean(column, 2, 4);
    assert.deepEqual(Array.from(run.values), [20, 30, 40]);
    assert.equal(run.values.buffer, column.values.buffer, 'a view, not a copy');
    const holed = clean({ timestampsMs: column.timestampsMs, values: Float64Array.of(10, Number.NaN, 30, Number.POSITIVE_INFINITY, 50) }, 0, 10);
    assert.deepEqual([Array.from(holed.timestampsMs), Array.from(holed.values)], [[1, 3, 5], [10, 30, 50]]);
    assert.deepEqual(clean({ timestampsMs: new Float64Array(0), values: new Float64Array(0) }, 0, 1).values.length, 0);
  });

  it('gaps lower the confidence', () => {
    // 200 points over 2 days at 1-minute sampling: 7 % coverage.
    const sparse = recommend(input({ stepMs: MIN, pods: [pod(200, { cpu: () => 50, mem: () => 100 * MIB }, 15 * MIN)] }));
    assert.equal(sparse.status, 'ok');
    assert.equal(sparse.confidence, 'low');
    const week = recommend(input({ pods: [pod(8 * 288, { cpu: () => 50, mem: () => 100 * MIB }, 5 * MIN)] }));
    assert.equal(week.confidence, 'high');
  });
});

describe('strategies on a constant series', () => {
  it('krr-simple: CPU p95, no CPU limit, memory peak × 1.15 as request and limit', () => {
    const r = recommend(input({ strategy: 'krr-simple', pods: [pod(600, { cpu: () => 101, mem: () => 200 * MIB })] }));
    assert.deepEqual(r.recommended, { cpuRequest: 105, memRequest: 230 * MIB, memLimit: 230 * MIB });
    assert.equal(r.strategy, 'krr-simple');
  });

  it('krr-simple takes the highest pod p95 and its floors', () => {
    const pods = [pod(600, { cpu: () => 1, mem: () => MIB }), { ...pod(600, { cpu: () => 300, mem: () => MIB }), pod: 'web-2' }];
    assert.equal(recommend(input({ strategy: 'krr-simple', pods })).recommended?.cpuRequest, 300);
    const tiny = recommend(input({ strategy: 'krr-simple', pods: [pod(600, { cpu: () => 1, mem: () => MIB })] }));
    assert.equal(tiny.recommended?.cpuRequest, 10);
    assert.equal(tiny.recommended?.memRequest, roundMemory(100e6));
  });

  it('vpa: floors split over containers and the limit-to-request ratio kept', () => {
    const r = recommend(input({ strategy: 'vpa', containersInPod: 2, current: { memRequest: 100 * MIB, memLimit: 200 * MIB }, pods: [pod(600, { cpu: () => 1, mem: () => MIB })] }));
    assert.equal(r.recommended?.cpuRequest, 15); // 25 m ÷ 2 = 12.5, rounded up to 5 m
    assert.equal(r.recommended?.memRequest, 125 * MIB);
    assert.equal(r.recommended?.memLimit, 250 * MIB);
    assert.equal(r.recommended?.cpuLimit, undefined);
  });

  it('vpa: target about p90 × 1.15 of the histogram', () => {
    const r = recommend(input({ strategy: 'vpa', pods: [pod(600, { cpu: () => 1000, mem: () => 1000 * MIB })] }));
    const cpu = r.recommended?.cpuRequest ?? 0;
    assert.ok(cpu >= 1150 && cpu <= 1150 * 1.06 + 5, `cpu ${cpu}`);
    const mem = r.recommended?.memRequest ?? 0;
    assert.ok(mem >= 1150 * MIB && mem <= 1150 * MIB * 1.06, `mem ${mem / MIB}`);
  });

  it('krm: at or above the constant, memory limit at or above the peak + 15 %', () => {
    const r = recommend(input({ pods: [pod(600, { cpu: () => 100, mem: () => 200 * MIB })] }));
    assert.equal(r.strategy, 'krm');
    const rec = r.recommended ?? {};
    assert.ok((rec.cpuRequest ?? 0) >= 100 && (rec.cpuRequest ?? 0) <= 200, `cpu ${rec.cpuRequest}`);
    assert.ok((rec.memRequest ?? 0) >= 200 * MIB && (rec.memRequest ?? 0) < 230 * MIB, `mem ${(rec.memRequest ?? 0) / MIB}`);
    assert.ok((rec.memLimit ?? 0) >= 230 * MIB);
    assert.equal(rec.cpuLimit, undefined);
  });

  it('krm: cheap headroom goes to the top, expensive headroom stops at about p90', () => {
    const week = 8 * 288;
    // Uniform over 0–999 m: each percentile costs 10 m, more than the 5 m the method pays, so it stays at p90.
    const wide = recommend(input({ pods: [pod(week, { cpu: (i) => (i * 37) % 1000, mem: () => 100 * MIB }, 5 * MIN)] }));
    const cpu = wide.recommended?.cpuRequest ?? 0;
    assert.ok(cpu >= 880 && cpu <= 940, `wide ${cpu}`);
    // 100–109 m: covering the top costs nothing to speak of.
    const tight = recommend(input({ pods: [pod(week, { cpu: (i) => 100 + (i % 10), mem: () => 100 * MIB }, 5 * MIN)] }));
    assert.ok((tight.recommended?.cpuRequest ?? 0) >= 109, `tight ${tight.recommended?.cpuRequest}`);
    // A memory limit leaves at least 100 MiB above the request.
    const rec = tight.recommended ?? {};
    assert.ok((rec.memLimit ?? 0) - (rec.memRequest ?? 0) >= 100 * MIB);
  });

  it('decaying histogram: halves the weight of a sample one half-life old', () => {
    const h = new DecayingHistogram(10, NOW);
    h.add(100, 1, NOW - 86_400_000);
    h.add(1000, 1, NOW);
    // Weights 0.5 and 1: the median falls in the bucket of 1000.
    // Buckets start at 10 and grow 5 %: a bucket near 100 is about 15 wide, near 1000 about 60.
    assert.ok(h.percentile(0.5) >= 1000 && h.percentile(0.5) < 1060);
    assert.ok(h.percentile(0.3) >= 100 && h.percentile(0.3) < 115);
  });
});

describe('adjustments', () => {
  it('OOM bump: at least max(L × 1.2, L + 100 MiB) for a kill in the window', () => {
    assert.equal(oomBump(200 * MIB), 300 * MIB);
    assert.equal(oomBump(1000 * MIB), 1200 * MIB);
    const r = recommend(input({ strategy: 'krr-simple', current: { memLimit: 200 * MIB }, ooms: [{ tsMs: NOW - 3_600_000 }] }));
    assert.equal(r.recommended?.memRequest, 300 * MIB);
    assert.equal(r.recommended?.memLimit, 300 * MIB);
    assert.ok(r.notes.includes('OOMKilled in window'));
    const old = recommend(input({ strategy: 'krr-simple', windowMs: 86_400_000, current: { memLimit: 200 * MIB }, ooms: [{ tsMs: NOW - 2 * 86_400_000 }] }));
    assert.equal(old.recommended?.memRequest, 230 * MIB);
    assert.ok(!old.notes.includes('OOMKilled in window'));
  });

  it('throttling: removes the CPU limit, and the patch deletes it', () => {
    const throttle = series(60, () => 0.5);
    const r = recommend(input({ strategy: 'vpa', current: { cpuRequest: 100, cpuLimit: 200 }, throttle }));
    assert.equal(r.recommended?.cpuLimit, undefined);
    assert.ok(r.notes.some((n) => n.startsWith('throttled')));
    const patch = parse(r.patch ?? '') as { spec: { template: { spec: { containers: { resources: { limits: Record<string, unknown> } }[] } } } };
    assert.equal(patch.spec.template.spec.containers[0]?.resources.limits['cpu'], null);
    const calm = recommend(input({ strategy: 'vpa', current: { cpuRequest: 100, cpuLimit: 200 }, throttle: series(60, () => 0.1) }));
    assert.ok((calm.recommended?.cpuLimit ?? 0) > 0);
  });

  it('never a CPU limit below p99 usage', () => {
    const r = recommend(input({ strategy: 'vpa', current: { cpuRequest: 1000, cpuLimit: 1000 }, pods: [pod(600, { cpu: (i) => (i % 50 === 0 ? 900 : 10), mem: () => 100 * MIB })] }));
    assert.equal(r.recommended?.cpuLimit, 900);
  });

  it('HPA: krr-simple reports ? with "HPA detected"; krm and allowHpa show the utilisation', () => {
    const hpa = { cpuUtilization: 70 };
    const simple = recommend(input({ strategy: 'krr-simple', hpa }));
    assert.equal(simple.recommended?.cpuRequest, undefined);
    assert.ok((simple.recommended?.memRequest ?? 0) > 0);
    assert.ok(simple.notes.includes('HPA detected'));
    assert.match(simple.explanation, /Request \? CPU/);
    const allowed = recommend(input({ strategy: 'krr-simple', hpa, allowHpa: true }));
    assert.equal(allowed.recommended?.cpuRequest, 100);
    assert.ok(allowed.notes.some((n) => /HPA detected: CPU utilisation with the new request 100 % against a target of 70 %/.test(n)));
    assert.ok(recommend(input({ hpa })).notes.some((n) => n.startsWith('HPA detected: CPU')));
  });

  it('LimitRange: min, max and maxLimitRequestRatio clamp, with a note', () => {
    const limitRange = { min: { cpuRequest: 250 }, max: { memLimit: 220 * MIB }, maxLimitRequestRatio: { memory: 1 } };
    const r = recommend(input({ strategy: 'krr-simple', limitRange }));
    assert.equal(r.recommended?.cpuRequest, 250);
    assert.equal(r.recommended?.memLimit, 220 * MIB);
    assert.equal(r.recommended?.memRequest, 220 * MIB);
    assert.ok(r.notes.includes('clamped by LimitRange'));
    const ratio = recommend(input({ strategy: 'vpa', current: { memRequest: 100 * MIB, memLimit: 400 * MIB }, limitRange: { maxLimitRequestRatio: { memory: 2 } } }));
    assert.equal(ratio.recommended?.memLimit, 2 * (ratio.recommended?.memRequest ?? 0));
  });

  it('rounds CPU up to 5 m and memory up to 1 MiB', () => {
    assert.equal(roundCpu(100), 100);
    assert.equal(roundCpu(100.01), 105);
    assert.equal(roundCpu(1), 5);
    assert.equal(roundMemory(1), MIB);
    assert.equal(roundMemory(MIB), MIB);
    assert.equal(roundMemory(MIB + 1), 2 * MIB);
  });
});

describe('output', () => {
  it('severity on the KRR scale', () => {
    assert.equal(severityOf({ cpuRequest: -500 }), 'high');
    assert.equal(severityOf({ cpuRequest: 250 }), 'medium');
    assert.equal(severityOf({ cpuRequest: 100 }), 'low');
    assert.equal(severityOf({ cpuRequest: 99 }), 'info');
    assert.equal(severityOf({ memRequest: 500e6 }), 'high');
    assert.equal(severityOf({ memRequest: 260e6, cpuRequest: 0 }), 'medium');
    assert.equal(severityOf({}), 'info');
  });

  it('monthly savings: Δrequest × price × 720 h', () => {
    const r = recommend(input({ strategy: 'krr-simple', current: { cpuRequest: 1100, memRequest: 1254 * MIB }, prices: { cpuCoreHour: 0.04, memGiBHour: 0.005 } }));
    // CPU 1100 → 100 m (1 core less), memory 1254 → 230 MiB (1 GiB less).
    assert.deepEqual(r.delta, { cpuRequest: -1000, memRequest: -1024 * MIB });
    assert.equal(r.monthlySavings, Math.round((0.04 + 0.005) * 720 * 100) / 100);
    assert.equal(r.severity, 'high');
    assert.equal(recommend(input({ strategy: 'krr-simple', current: {} })).monthlySavings, undefined);
  });

  it('the YAML patch parses and sets the container resources', () => {
    const r = recommend(input({ strategy: 'krr-simple' }));
    const patch = parse(r.patch ?? '') as { spec: { template: { spec: { containers: { name: string; resources: { requests: Record<string, string>; limits: Record<string, string> } }[] } } } };
    const c = patch.spec.template.spec.containers[0];
    assert.equal(c?.name, 'app');
    assert.deepEqual(c?.resources.requests, { cpu: '100m', memory: '230Mi' });
    assert.deepEqual(c?.resources.limits, { memory: '230Mi' });
    assert.match(r.explanation, /^Request 100m CPU and 230Mi memory with no CPU limit, from .+\.$/);
    assert.deepEqual(r.window, { fromMs: NOW - 14 * 86_400_000, toMs: NOW });
  });
});

describe('weighted quantiles', () => {
  it('order values as a stable comparator sort of their positions does: ties in position order, -0 with 0', () => {
    let seed = 3;
    const rnd = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let t = 0; t < 600; t++) {
      // Mostly short lists, some long enough for several merge passes, a few for the radix sort.
      const length = Math.floor(rnd() * (t % 50 === 0 ? 5000 : t % 5 === 0 ? 400 : 40));
      const values = Array.from({ length }, () => {
        const r = rnd();
        if (r < 0.4) return Math.floor(rnd() * 4);
        if (r < 0.42) return t % 2 === 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
        return r < 0.5 ? -0 : (rnd() - 0.2) * 1e6;
      });
      const stable = values.map((_, i) => i).sort((a, b) => (values[a] as number) - (values[b] as number));
      assert.deepEqual(Array.from(ascendingOrder(values)), stable, JSON.stringify(values));
    }
    assert.deepEqual(Array.from(ascendingOrder([2, Number.NaN, 1])).length, 3, 'a NaN falls back to the comparator sort');
  });

  it('per group from the order of the whole, as each group alone', () => {
    let seed = 11;
    const rnd = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let t = 0; t < 50; t++) {
      const sizes = Array.from({ length: 1 + Math.floor(rnd() * 30) }, () => (rnd() < 0.1 ? 0 : Math.floor(rnd() * 200)));
      const n = sizes.reduce((a, b) => a + b, 0);
      const values = Float64Array.from({ length: n }, () => Math.floor(rnd() * 50));
      const weights = Float64Array.from({ length: n }, () => rnd());
      const got = groupQuantiles({ values, weights, order: ascendingOrder(values) }, sizes, 0.99);
      let at = 0;
      sizes.forEach((size, g) => {
        const alone = weightedQuantiles(values.subarray(at, at + size), weights.subarray(at, at + size), [0.99])[0];
        assert.ok(Object.is(got[g], alone), `group ${g} of ${JSON.stringify(sizes)}`);
        at += size;
      });
    }
  });

  it('take the smallest value whose cumulative weight reaches each quantile', () => {
    assert.deepEqual(weightedQuantiles([5, 1, 3, 3], [1, 1, 1, 5], [0, 0.25, 0.5, 1]), [1, 3, 3, 5]);
    assert.deepEqual(weightedQuantiles(Float64Array.of(5, 1, 3), Float64Array.of(0, 0, 0), [0.5]), [Number.NaN]);
  });
});

describe('patch', () => {
  it('is what the YAML writer prints, for any name and set of quantities', () => {
    const names = ['main', 'app', 'true', 'null', 'yes', 'on', '123', '1e3', '0x1f', 'a'.repeat(63), 'sidecar-2', 'has space', 'colon: x', '-dash', '#hash', 'ünï'];
    const values = [undefined, 0, 1, 5, 1234.5, 1e12, -5, Number.NaN, Number.POSITIVE_INFINITY];
    let seed = 5;
    const pick = <T,>(list: readonly T[]): T => list[(seed = (seed * 16807) % 2147483647) % list.length] as T;
    for (let t = 0; t < 2000; t++) {
      const of = (): Record<string, number> => {
        const r: Record<string, number> = {};
        for (const k of ['cpuRequest', 'cpuLimit', 'memRequest', 'memLimit']) {
          const v = pick(values);
          if (v !== undefined) r[k] = k.startsWith('mem') ? v * MIB : v;
        }
        return r;
      };
      const [name, rec, current] = [pick(names), of(), of()];
      const requests: Record<string, string> = {};
      const limits: Record<string, string | null> = {};
      if (rec['cpuRequest'] !== undefined) requests['cpu'] = cpuQuantity(rec['cpuRequest']);
      if (rec['memRequest'] !== undefined) requests['memory'] = memoryQuantity(rec['memRequest']);
      if (rec['cpuLimit'] !== undefined) limits['cpu'] = cpuQuantity(rec['cpuLimit']);
      else if (current['cpuLimit'] !== undefined && rec['cpuRequest'] !== undefined) limits['cpu'] = null;
      if (rec['memLimit'] !== undefined) limits['memory'] = memoryQuantity(rec['memLimit']);
      const resources = { ...(Object.keys(requests).length > 0 ? { requests } : {}), ...(Object.keys(limits).length > 0 ? { limits } : {}) };
      const expected = stringify({ spec: { template: { spec: { containers: [{ name, resources }] } } } });
      assert.equal(resourcesPatch(name, rec, current), expected, JSON.stringify({ name, rec, current }));
    }
  });
});
