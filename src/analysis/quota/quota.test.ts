// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerSpec, LimitRange, Namespace, Pod, ResourceQuota } from '../../domain/resources.ts';
import type { Sample } from '../../domain/series.ts';
import { auditLimitRanges, integrate, namespaceCosts, quotaFindings, quotaSizing, quotaViews, tenantCosts } from './index.ts';

const base = { uid: 'u', labels: {}, annotations: {}, owners: [] };
const quota = (name: string, hard: Record<string, number>, used: Record<string, number>): ResourceQuota => ({
  ...base,
  key: `shop/${name}`,
  name,
  namespace: 'shop',
  hard,
  used,
  scopes: [],
  hasScopeSelector: false,
});
const HOUR = 3_600_000;
const GIB = 2 ** 30;

test('allocated view: the tightest hard wins when two quotas share a key', () => {
  const views = quotaViews('shop', [quota('big', { 'requests.cpu': 10_000, pods: 50 }, { 'requests.cpu': 8_500, pods: 10 }), quota('small', { 'requests.cpu': 9_000 }, { 'requests.cpu': 8_500 })]);
  const cpu = views.find((v) => v.resource === 'requests.cpu');
  assert.equal(cpu?.quota, 'small');
  assert.equal(cpu?.allocated, 8_500 / 9_000);
  assert.deepEqual(quotaFindings(views).map((f) => `${f.resource}:${f.rule}:${f.severity}`), ['requests.cpu:quota-near-90:medium']);
});

test('allocated thresholds: 0.79 none, 0.8 low, 0.9 medium, 1 full medium, > 1 exceeded high, zero hard', () => {
  const rule = (used: number, hard = 100) => quotaFindings(quotaViews('shop', [quota('q', { secrets: hard }, { secrets: used })])).map((f) => `${f.rule}:${f.severity}`);
  assert.deepEqual(rule(79), []);
  assert.deepEqual(rule(80), ['quota-near-80:low']);
  assert.deepEqual(rule(90), ['quota-near-90:medium']);
  assert.deepEqual(rule(100), ['quota-full:medium']);
  assert.deepEqual(rule(101), ['quota-exceeded:high']);
  assert.deepEqual(rule(0, 0), []);
  assert.deepEqual(rule(1, 0), ['quota-exceeded:high']);
});

test('consumed view: usage against requests.cpu / requests.memory, pods against pods; no quotas, no views', () => {
  const views = quotaViews('shop', [quota('q', { 'requests.cpu': 1000, 'requests.memory': GIB, pods: 10, secrets: 5 }, {})], {
    cpuMillicores: 850,
    memoryWorkingSetBytes: GIB / 2,
    nonTerminatedPods: 10,
  });
  assert.equal(views.find((v) => v.resource === 'requests.cpu')?.consumed, 0.85);
  assert.equal(views.find((v) => v.resource === 'secrets')?.consumed, undefined);
  assert.deepEqual(quotaFindings(views).map((f) => `${f.resource}:${f.rule}`), ['requests.cpu:quota-consumed-high', 'pods:quota-pods-high']);
  assert.deepEqual(quotaViews('shop', []), []);
});

test('quota sizing: peak × 1.25, too small, oversized; no data → undefined', () => {
  assert.equal(quotaSizing({ hard: 10, dailyPeakUse: [], dailyAllocated: [], consumedP95: 0 }), undefined);
  const s = quotaSizing({ hard: 100, dailyPeakUse: [40, 80, 60], dailyAllocated: [0.85, 0.9, 0.5], consumedP95: 20 });
  assert.deepEqual(s, { recommendedHard: 100, tooSmall: true, oversized: true });
});

const container = (name: string, [req, lim]: [{ cpu?: number; mem?: number }, { cpu?: number; mem?: number }]): ContainerSpec => ({
  name,
  image: 'x',
  requests: { cpuMillicores: req.cpu, memoryBytes: req.mem },
  limits: { cpuMillicores: lim.cpu, memoryBytes: lim.mem },
  livenessProbe: false,
  readinessProbe: false,
  startupProbe: false,
  privileged: false,
  preStopHook: false,
});
const pod = (ns: string, containers: ContainerSpec[]): Pod =>
  ({ ...base, key: `${ns}/p`, name: 'p', namespace: ns, phase: 'Running', hasAffinity: false, topologySpreadConstraints: 0, pvcNames: [], conditions: [], containers, initContainers: [], containerStatuses: [], initContainerStatuses: [] }) as Pod;

test('LimitRange audit: missing LimitRange, outside min/max, ratio, defaults', () => {
  const lr: LimitRange = {
    ...base,
    key: 'shop/lr',
    name: 'lr',
    namespace: 'shop',
    limits: [{ type: 'Container', default: { cpu: 1000 }, defaultRequest: { cpu: 500 }, min: { cpu: 100 }, max: { memory: 16 * GIB }, maxLimitRequestRatio: { cpu: 4 } }],
  };
  const { findings, defaults } = auditLimitRanges({
    namespaces: ['shop', 'empty'],
    limitRanges: [lr],
    pods: [pod('shop', [container('a', [{ cpu: 50 }, { cpu: 1000, mem: 32 * GIB }]), container('ok', [{ cpu: 500 }, { cpu: 1000 }])])],
  });
  assert.deepEqual(findings.map((f) => `${f.entity}:${f.rule}`).sort(), ['empty:no-limitrange', 'shop/p/a:above-max', 'shop/p/a:below-min', 'shop/p/a:ratio-above-max']);
  assert.deepEqual(defaults, [{ namespace: 'shop', limitRange: 'lr', defaultLimits: { cpu: 1000 }, defaultRequests: { cpu: 500 } }]);
});

/** 5-minute samples of a constant value over `hours` from `from`. */
const flat = (from: number, hours: number, value: number): Sample[] => Array.from({ length: hours * 12 }, (_, i) => ({ tsMs: from + i * 300_000, value }));

test('integration: max(request, usage) per sample, gaps capped, no data is zero', () => {
  const w = { fromMs: 0, toMs: 2 * HOUR, maxGapMs: 10 * 60_000 };
  assert.deepEqual(integrate([], 1000, w), { billed: 0, used: 0, requested: 0 });
  const steady = integrate(flat(0, 2, 500), 1000, w);
  assert.ok(Math.abs(steady.billed - 2000) < 1e-9);
  assert.ok(Math.abs(steady.used - 1000) < 1e-9);
  // One sample only: billed for 10 minutes, not the whole window.
  assert.ok(Math.abs(integrate([{ tsMs: 0, value: 600 }], 0, w).billed - 100) < 1e-9);
});

test('showback: cost, waste, idle share, tenants by label and unlabelled namespaces as their own tenant', () => {
  const ns = (name: string, labels: Record<string, string> = {}): Namespace => ({ ...base, key: name, name, labels });
  const usage = (namespace: string, cpu: number, req: number) => ({
    namespace,
    cpu: flat(0, 24, cpu),
    memory: flat(0, 24, GIB),
    cpuRequestMillicores: req,
    memoryRequestBytes: 2 * GIB,
    storageBytes: 10 * GIB,
  });
  const records = namespaceCosts({
    fromMs: 0,
    toMs: 24 * HOUR,
    namespaces: [ns('shop', { tenant: 'retail' }), ns('cart', { tenant: 'retail' }), ns('ml')],
    usage: [usage('shop', 250, 1000), usage('cart', 2000, 1000), usage('ml', 0, 0)],
    capacity: { cpuMillicores: 8000, memoryBytes: 32 * GIB },
  });
  const shop = records.find((r) => r.namespace === 'shop');
  assert.equal(shop?.tenant, 'retail');
  assert.ok(Math.abs((shop?.cpuCoreHours ?? 0) - 24) < 1e-9);
  assert.ok(Math.abs((shop?.cpuCost ?? 0) - 1.2) < 1e-9);
  assert.ok(Math.abs((shop?.cpuWaste ?? 0) - 0.75) < 1e-9);
  assert.ok(Math.abs((shop?.memoryWaste ?? 0) - 0.5) < 1e-9);
  assert.ok(Math.abs((shop?.storageCost ?? 0) - 0.24) < 1e-9);
  const cart = records.find((r) => r.namespace === 'cart');
  assert.ok(Math.abs((cart?.cpuCoreHours ?? 0) - 48) < 1e-9);
  assert.equal(records.find((r) => r.namespace === 'ml')?.cpuWaste, undefined);
  // Idle = capacity cost − allocated cost, fully shared.
  const capacityCost = (8 * 0.05 + 32 * 0.01) * 24;
  const allocated = records.reduce((a, r) => a + r.cpuCost + r.memoryCost, 0);
  assert.ok(Math.abs(records.reduce((a, r) => a + r.idleCost, 0) - (capacityCost - allocated)) < 1e-9);
  const tenants = tenantCosts(records);
  assert.deepEqual(tenants.map((t) => t.tenant), ['retail', 'ml']);
  assert.deepEqual(tenants[0]?.namespaces, ['shop', 'cart']);
});
