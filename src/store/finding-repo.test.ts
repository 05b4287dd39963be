// SPDX-License-Identifier: Apache-2.0
// Findings on a real SQLite file: opening, continuing and resolving after two missed runs, reopening, filters,
// both orders with keyset pagination, and the recommendations' replacement and listing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding, RightsizingRecommendation } from '../analysis/findings.ts';
import type { Severity } from '../analysis/severity.ts';
import type { StoredFinding } from '../domain/ports.ts';
import { join } from 'node:path';
import { openTestStore, tempDir, type AfterHook } from './testing.ts';

const T0 = Date.UTC(2026, 0, 10);
const MIN = 60_000;

function aFinding(o: { name: string; severity?: Severity; analysis?: Finding['analysis']; namespace?: string; cluster?: string }): Finding {
  return {
    cluster: o.cluster ?? 'default',
    analysis: o.analysis ?? 'leak',
    rule: 'memory-leak',
    entity: { kind: 'container', namespace: o.namespace ?? 'shop', name: o.name, container: 'app' },
    severity: o.severity ?? 'medium',
    title: 'Memory leak',
    explanation: `Working set of ${o.name} grew.`,
    action: 'Fix it.',
    confidence: 'medium',
    evidence: { growth: 0.2 },
    detectedAtMs: T0,
  };
}

const run = { cluster: 'default', analysis: 'leak' as const };

const open = (t: AfterHook) => openTestStore(t, { path: join(tempDir(t), 'krm.db') });

describe('SqliteFindingStore', () => {
  it('opens, continues, and resolves a finding only after two consecutive runs without it', async (t) => {
    const store = await open(t);
    assert.deepEqual(await store.findings.saveRun(run, [aFinding({ name: 'a' }), aFinding({ name: 'b' })], T0), { opened: 2, continued: 0, resolved: 0 });
    assert.deepEqual(await store.findings.saveRun(run, [aFinding({ name: 'a', severity: 'high' })], T0 + MIN), { opened: 0, continued: 1, resolved: 0 });
    // b missed one run; it comes back and its count of missed runs starts again.
    assert.deepEqual(await store.findings.saveRun(run, [aFinding({ name: 'a' }), aFinding({ name: 'b' })], T0 + 2 * MIN), { opened: 0, continued: 2, resolved: 0 });
    await store.findings.saveRun(run, [aFinding({ name: 'a' })], T0 + 3 * MIN);
    assert.deepEqual(await store.findings.saveRun(run, [aFinding({ name: 'a' })], T0 + 4 * MIN), { opened: 0, continued: 1, resolved: 1 });
    const resolved = await store.findings.listFindings({ state: 'resolved', limit: 10 });
    assert.equal(resolved.items.length, 1);
    const b = resolved.items[0] as StoredFinding;
    assert.equal(b.entity.name, 'b');
    assert.equal(b.firstSeenMs, T0);
    assert.equal(b.lastSeenMs, T0 + 2 * MIN);
    assert.equal(b.resolvedAtMs, T0 + 4 * MIN);
    // Back after being resolved: a new occurrence.
    assert.deepEqual(await store.findings.saveRun(run, [aFinding({ name: 'a' }), aFinding({ name: 'b' })], T0 + 5 * MIN), { opened: 1, continued: 1, resolved: 0 });
    const opened = await store.findings.listFindings({ state: 'open', limit: 10 });
    assert.deepEqual(opened.items.map((f) => f.entity.name).sort(), ['a', 'b']);
    assert.equal(opened.items.find((f) => f.entity.name === 'a')?.firstSeenMs, T0);
  });

  it('a run of one analysis or cluster leaves the findings of the others alone', async (t) => {
    const store = await open(t);
    await store.findings.saveRun(run, [aFinding({ name: 'a' })], T0);
    await store.findings.saveRun({ cluster: 'other', analysis: 'leak' }, [aFinding({ name: 'a', cluster: 'other' })], T0);
    await store.findings.saveRun({ cluster: 'default', analysis: 'throttling' }, [], T0 + MIN);
    await store.findings.saveRun({ cluster: 'default', analysis: 'throttling' }, [], T0 + 2 * MIN);
    await store.findings.saveRun({ cluster: 'other', analysis: 'leak' }, [], T0 + MIN);
    await store.findings.saveRun({ cluster: 'other', analysis: 'leak' }, [], T0 + 2 * MIN);
    const stillOpen = await store.findings.listFindings({ state: 'open', limit: 10 });
    assert.deepEqual(stillOpen.items.map((f) => f.cluster), ['default']);
  });

  it('filters and pages in both orders without gaps or repeats', async (t) => {
    const store = await open(t);
    const sev: Severity[] = ['info', 'low', 'medium', 'high', 'critical'];
    const all = Array.from({ length: 25 }, (_, i) => aFinding({ name: `p${i}`, severity: sev[i % 5] as Severity, namespace: i % 2 === 0 ? 'shop' : 'data' }));
    await store.findings.saveRun(run, all, T0);
    for (const order of ['newest', 'severity'] as const) {
      const seen: StoredFinding[] = [];
      let after;
      for (let page = 0; page < 10; page++) {
        const res = await store.findings.listFindings({ order, limit: 4, ...(after === undefined ? {} : { after }) });
        seen.push(...res.items);
        if (res.next === undefined) break;
        after = res.next;
      }
      assert.equal(seen.length, 25, order);
      assert.equal(new Set(seen.map((f) => f.id)).size, 25, order);
      if (order === 'severity') {
        const ranks = seen.map((f) => sev.indexOf(f.severity));
        assert.deepEqual(ranks, [...ranks].sort((a, b) => b - a));
      }
    }
    const high = await store.findings.listFindings({ minSeverity: 'high', namespace: 'shop', limit: 100 });
    assert.ok(high.items.length > 0);
    assert.ok(high.items.every((f) => (f.severity === 'high' || f.severity === 'critical') && f.entity.namespace === 'shop'));
    assert.equal((await store.findings.listFindings({ entityKind: 'node', limit: 100 })).items.length, 0);
  });

  it('replaces a cluster’s recommendations and lists them by workload with a cursor', async (t) => {
    const store = await open(t);
    const rec = (name: string): RightsizingRecommendation => ({
      cluster: 'default',
      namespace: 'ml',
      workload: { kind: 'Deployment', name },
      container: 'app',
      strategy: 'krm',
      status: 'ok',
      current: { cpuRequest: 2000 },
      recommended: { cpuRequest: 100 },
      monthlySavings: 68.4,
      severity: 'high',
      confidence: 'medium',
      explanation: 'x',
      notes: [],
      detectedAtMs: T0,
    });
    await store.findings.saveRecommendations('default', [rec('a'), rec('b'), rec('c')]);
    await store.findings.saveRecommendations('default', [rec('b'), rec('c'), rec('d')]);
    const first = await store.findings.listRecommendations({ cluster: 'default', limit: 2 });
    assert.deepEqual(first.items.map((r) => r.workload.name), ['b', 'c']);
    assert.ok(first.next);
    const second = await store.findings.listRecommendations({ cluster: 'default', limit: 2, after: first.next });
    assert.deepEqual(second.items.map((r) => r.workload.name), ['d']);
    assert.equal(second.next, undefined);
    const one = await store.findings.listRecommendations({ workload: 'd', limit: 10 });
    assert.equal(one.items[0]?.monthlySavings, 68.4);
  });
});
