// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario, ScenarioError } from './schema.ts';
import { loadScenario, listBuiltinScenarios, parseScenarioText } from './load.ts';
import { parseQuantity, formatBytes, formatCpu } from './quantity.ts';
import { parseCron, previousRuns, nextRun } from './cron.ts';

const minimal = { name: 't', nodePools: [{ name: 'pool', count: 1, capacity: { cpu: '4', memory: '8Gi' } }] };

function errorOf(input: unknown): ScenarioError {
  try {
    parseScenario(input);
  } catch (err) {
    assert.ok(err instanceof ScenarioError);
    return err;
  }
  assert.fail('expected a ScenarioError');
}

test('a minimal scenario gets the documented defaults', () => {
  const s = parseScenario(minimal);
  assert.equal(s.seed, 1);
  assert.equal(s.cluster.kubernetesVersion, 'v1.35.0');
  assert.equal(s.kubeSystem.corednsReplicas, 2);
  assert.equal(s.nodePools[0]?.capacity.pods, 110);
  assert.equal(s.storageClasses[0]?.default, true);
  assert.equal(s.churn.podsPerSecond, 0);
});

test('an unknown key is rejected with its path', () => {
  const err = errorOf({ ...minimal, nodePools: [{ ...minimal.nodePools[0], capacity: { cpu: '4', memory: '8Gi', gpus: 1 } }] });
  assert.match(err.message, /gpus/);
  assert.match(err.message, /nodePools\[0\]\.capacity/);
  assert.equal(err.code, 'KRM_SCENARIO_INVALID');
});

test('a bad quantity and a bad workload field name their paths', () => {
  const bad = {
    ...minimal,
    namespaces: [{ name: 'a', workloads: [{ name: 'w', kind: 'Deployment', containers: [{ name: 'c', image: 'x:1', requests: { cpu: 'lots' } }] }] }],
  };
  assert.match(errorOf(bad).message, /namespaces\[0\]\.workloads\[0\]\.containers\[0\]\.requests\.cpu/);
  const kind = { ...minimal, namespaces: [{ name: 'a', workloads: [{ name: 'w', kind: 'Deploy', containers: [{ name: 'c', image: 'x:1' }] }] }] };
  assert.match(errorOf(kind).message, /namespaces\[0\]\.workloads\[0\]\.kind/);
});

test('usage profiles are validated by the usage model schema', () => {
  const bad = { ...minimal, namespaces: [{ name: 'a', workloads: [{ name: 'w', kind: 'Pod', containers: [{ name: 'c', image: 'x:1', usage: { kind: 'leak', leak: { bytesPerHr: 1 } } }] }] }] };
  assert.match(errorOf(bad).message, /usage\.leak/);
});

test('CronJobs need a supported schedule; HPAs only scale Deployments and StatefulSets', () => {
  const cj = (schedule?: string): unknown => ({ ...minimal, namespaces: [{ name: 'a', workloads: [{ name: 'w', kind: 'CronJob', ...(schedule ? { schedule } : {}), containers: [{ name: 'c', image: 'x:1' }] }] }] });
  assert.match(errorOf(cj()).message, /schedule/);
  assert.match(errorOf(cj('0 0 1 * *')).message, /unsupported cron schedule/);
  assert.doesNotThrow(() => parseScenario(cj('*/15 2-4 * * *')));
  const hpa = { ...minimal, namespaces: [{ name: 'a', workloads: [{ name: 'w', kind: 'Job', hpa: { max: 3 }, containers: [{ name: 'c', image: 'x:1' }] }] }] };
  assert.match(errorOf(hpa).message, /workloads\[0\]\.hpa/);
});

test('a namespace entry has exactly one of name or generate', () => {
  assert.match(errorOf({ ...minimal, namespaces: [{ labels: {} }] }).message, /exactly one of name or generate/);
  const s = parseScenario({ ...minimal, namespaces: [{ generate: { count: 3, prefix: 'team-' }, labels: { tenant: 't-{i}' } }] });
  assert.equal(s.namespaces[0]?.generate?.digits, 5);
});

test('YAML errors and unknown scenarios are ScenarioErrors', () => {
  assert.throws(() => parseScenarioText('name: [unclosed', 'x.yaml'), (e: unknown) => e instanceof ScenarioError && /x\.yaml is not valid YAML/.test(e.message));
  assert.throws(() => loadScenario('no-such-scenario'), /neither a built-in scenario/);
});

test('the built-in scenarios parse', () => {
  assert.deepEqual(listBuiltinScenarios().filter((n) => n === 'demo' || n === 'scale-150k'), ['demo', 'scale-150k']);
  assert.equal(loadScenario('demo').name, 'demo');
  const scale = loadScenario('scale-150k');
  assert.equal(scale.nodePools.reduce((a, p) => a + p.count, 0), 5000);
});

test('quantities parse and format as the API server does', () => {
  const cases: [string, number][] = [['500m', 0.5], ['2', 2], ['128Mi', 128 * 2 ** 20], ['1G', 1e9], ['1.5Gi', 1.5 * 2 ** 30], ['1e3', 1000], ['100k', 1e5], ['8024304Ki', 8024304 * 1024]];
  for (const [q, v] of cases) assert.equal(parseQuantity(q), v, q);
  assert.throws(() => parseQuantity('12 cores'));
  assert.equal(formatCpu(1.5), '1500m');
  assert.equal(formatCpu(2), '2');
  assert.equal(formatBytes(384 * 2 ** 20), '384Mi');
  assert.equal(formatBytes(1000), '1000');
});

test('cron schedules: previous runs and the next run in UTC', () => {
  const s = parseCron('15 */6 * * *');
  const at = Date.parse('2026-01-15T12:20:00Z');
  assert.deepEqual(previousRuns(s, at, 2).map((t) => new Date(t).toISOString()), ['2026-01-15T12:15:00.000Z', '2026-01-15T06:15:00.000Z']);
  assert.equal(new Date(nextRun(s, at)).toISOString(), '2026-01-15T18:15:00.000Z');
});

test('scale-150k: 10,000 namespaces, 150,000 pods, 225,273 containers, at most 3,000 pods per namespace (counted from the file)', () => {
  const s = loadScenario('scale-150k');
  type W = { kind: string; replicas: number; count: number; containers: readonly unknown[] };
  const podsOf = (ws: W[]): number => ws.reduce((a, w) => a + w.count * (w.kind === 'Pod' ? 1 : w.replicas), 0);
  const containersOf = (ws: W[]): number => ws.reduce((a, w) => a + w.count * (w.kind === 'Pod' ? 1 : w.replicas) * w.containers.length, 0);
  const kubeSystem = s.kubeSystem.corednsReplicas + (s.kubeSystem.metricsServer ? 1 : 0);
  let namespaces = 4;
  let pods = kubeSystem;
  // CoreDNS and metrics-server run one container each.
  let containers = kubeSystem;
  let largest = kubeSystem;
  for (const ns of s.namespaces) {
    assert.ok(ns.workloads.every((w) => w.kind !== 'DaemonSet' && w.kind !== 'Job' && w.kind !== 'CronJob'), 'only fixed-size workloads, so the count is exact');
    const n = ns.generate?.count ?? 1;
    const perNamespace = podsOf(ns.workloads);
    namespaces += n;
    pods += n * perNamespace;
    containers += n * containersOf(ns.workloads);
    largest = Math.max(largest, perNamespace);
  }
  assert.equal(namespaces, 10_000);
  assert.equal(pods, 150_000);
  assert.equal(containers, 225_273);
  assert.ok(largest <= 3000, String(largest));
  assert.ok(s.nodePools.every((p) => p.capacity.pods <= 110));
  assert.equal(s.kubeSystem.kubeProxy, false);
});
