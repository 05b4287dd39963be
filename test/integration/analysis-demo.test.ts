// SPDX-License-Identifier: Apache-2.0
// The analyses over the demo, in-process: the seeded week of history and the simulated cluster go through the
// scheduled analysis pass that the demo runs at start, into the findings store, and out through /api/v1/findings
// and /api/v1/recommendations. The scenario's failure cases must be found, and its steady workloads must not be.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { createLifecycle, type Lifecycle } from '../../src/runtime/lifecycle.ts';
import { startDemo, type RunningDemo } from '../../src/service.ts';

const dir = mkdtempSync(join(tmpdir(), 'krm-analysis-demo-'));
const log = createLogger({ level: 'warn', destination: { write: () => undefined } });
let lifecycle: Lifecycle;
let demo: RunningDemo;

interface FindingItem {
  analysis: string;
  rule: string;
  entity: { kind: string; namespace: string | null; name: string; container: string | null };
  severity: string;
  state: string;
  explanation: string;
  evidence: Record<string, number | string | boolean | null>;
}

interface RecommendationItem {
  namespace: string;
  workload: { kind: string; name: string };
  container: string;
  strategy: string;
  status: string;
  monthly_savings: number | null;
  patch: string | null;
  severity: string;
}

async function getJson(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(demo.url + path);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Every item of a paginated list. */
async function all<T>(path: string): Promise<T[]> {
  const out: T[] = [];
  let next: string | null = null;
  for (let page = 0; page < 100; page++) {
    const sep = path.includes('?') ? '&' : '?';
    const { status, body } = await getJson(`${path}${sep}limit=200${next === null ? '' : `&continue=${next}`}`);
    assert.equal(status, 200, JSON.stringify(body));
    out.push(...(body['items'] as T[]));
    next = body['continue'] as string | null;
    if (next === null) return out;
  }
  throw new Error('too many pages');
}

let findings: FindingItem[];
let recommendations: RecommendationItem[];

before(async () => {
  const config = loadConfig({ flags: { port: '0', host: '127.0.0.1', db: join(dir, 'krm.db') }, env: {}, cwd: dir, readFile: () => undefined });
  lifecycle = createLifecycle({ process: { on: () => undefined, removeListener: () => undefined, exit: () => undefined }, log });
  demo = await startDemo({ config, log, lifecycle });
  await demo.firstAnalysis;
  findings = await all<FindingItem>('/api/v1/findings');
  recommendations = await all<RecommendationItem>('/api/v1/recommendations');
});

after(async () => {
  await lifecycle.shutdown('test end');
  rmSync(dir, { recursive: true, force: true });
});

const workloadOf = (f: FindingItem): string | undefined => (f.entity.kind === 'workload' ? f.entity.name : (f.evidence['workload'] as string | undefined));

test('the start-up pass ran every scheduled analysis and /health shows it', async () => {
  const { status, body } = await getJson('/health');
  assert.equal(status, 200);
  const analyses = body['analyses'] as { analysis: string; status: string; last_run_at: string | null; findings: number | null }[];
  assert.deepEqual(analyses.map((a) => a.analysis).sort(), ['capacity', 'leak', 'node', 'oom-risk', 'pvc', 'quota', 'rightsizing', 'throttling']);
  assert.ok(analyses.every((a) => a.last_run_at !== null && a.status !== 'pending' && a.status !== 'failed'), JSON.stringify(analyses));
  const metrics = await (await fetch(`${demo.url}/metrics`)).text();
  assert.match(metrics, /krm_analysis_runs_total\{analysis="rightsizing",status="ok"\} 1/);
  assert.match(metrics, /krm_findings\{analysis="quota",severity="medium"\} [1-9]/);
  assert.match(metrics, /krm_analysis_duration_seconds_count\{analysis="leak"\} 1/);
});

test('rightsizing: the idle over-provisioned ml/notebook gets a recommendation with savings and a finding', () => {
  const rec = recommendations.find((r) => r.namespace === 'ml' && r.workload.name === 'notebook');
  assert.ok(rec, 'a recommendation for ml/notebook');
  assert.equal(rec.status, 'ok');
  assert.equal(rec.strategy, 'krm');
  assert.ok((rec.monthly_savings ?? 0) > 10, `savings ${rec.monthly_savings}`);
  assert.match(rec.patch ?? '', /resources:/);
  const f = findings.find((x) => x.analysis === 'rightsizing' && x.entity.namespace === 'ml' && x.entity.name === 'Deployment/notebook');
  assert.ok(f, 'a rightsizing finding for ml/notebook');
  assert.equal(f.rule, 'over-provisioned');
  assert.equal(f.severity, 'high');
  assert.match(f.explanation, /saving \d+\.\d\d per month/);
});

test('OOM kills: data/spark-worker has its OOM-kill history as a finding', () => {
  const f = findings.find((x) => x.analysis === 'oom-risk' && x.entity.namespace === 'data' && workloadOf(x) === 'Deployment/spark-worker');
  assert.ok(f, 'an OOM finding for data/spark-worker');
  assert.equal(f.rule, 'oom-killed');
  assert.ok((f.evidence['oomKills24h'] as number) >= 1);
});

test('quota: payments is nearly full', () => {
  const q = findings.filter((x) => x.analysis === 'quota' && x.entity.namespace === 'payments');
  assert.ok(q.length > 0, 'a quota finding in payments');
  assert.ok(q.some((x) => x.rule === 'quota-near-90' || x.rule === 'quota-full'), JSON.stringify(q.map((x) => x.rule)));
});

test('no leak or anomaly finding on the steady workloads', () => {
  const leaks = findings.filter((x) => x.analysis === 'leak' && !(x.entity.namespace === 'shop' && workloadOf(x) === 'Deployment/cart'));
  assert.deepEqual(leaks.map((x) => `${x.entity.namespace}/${x.entity.name}`), []);
  assert.deepEqual(findings.filter((x) => x.analysis === 'anomaly'), []);
});

test('filters, sort and pagination of /api/v1/findings; 400 names the parameter', async () => {
  const high = await all<FindingItem>('/api/v1/findings?severity=high&sort=severity');
  assert.ok(high.length > 0 && high.every((x) => x.severity === 'high' || x.severity === 'critical'));
  const ml = await all<FindingItem>('/api/v1/findings?namespace=ml&analysis=rightsizing&entity_kind=workload&state=open');
  assert.ok(ml.length > 0 && ml.every((x) => x.entity.namespace === 'ml' && x.analysis === 'rightsizing' && x.state === 'open'));
  const one = await getJson('/api/v1/findings?limit=1&sort=severity');
  assert.equal((one.body['items'] as unknown[]).length, 1);
  assert.equal(typeof one.body['continue'], 'string');
  const wrongOrder = await getJson(`/api/v1/findings?limit=1&continue=${one.body['continue'] as string}`);
  assert.equal(wrongOrder.status, 400);
  for (const [query, parameter] of [['severity=urgent', 'severity'], ['analysis=magic', 'analysis'], ['limit=0', 'limit'], ['continue=xx', 'continue']] as const) {
    const res = await getJson(`/api/v1/findings?${query}`);
    assert.equal(res.status, 400, query);
    assert.equal((res.body['error'] as { details: { parameter: string } }).details.parameter, parameter);
  }
  const bad = await getJson('/api/v1/recommendations?strategy=magic');
  assert.equal(bad.status, 400);
  const notebook = await getJson('/api/v1/recommendations?namespace=ml&workload=notebook&strategy=krm');
  assert.equal((notebook.body['items'] as unknown[]).length, 1);
  const doc = (await getJson('/openapi.json')).body['paths'] as Record<string, unknown>;
  assert.ok(doc['/api/v1/findings'] && doc['/api/v1/recommendations']);
});

// The demo collects from the kubelets (summary and cAdvisor), and its seeded week holds the same series: the leak,
// throttling and volume cases below are found from that data.
test('leak: the leaking container of shop/cart, with a time to OOM', () => {
  const f = findings.find((x) => x.analysis === 'leak' && x.entity.namespace === 'shop' && workloadOf(x) === 'Deployment/cart');
  assert.ok(f, 'a leak finding for shop/cart');
  assert.equal(f.entity.container, 'app');
  // About 430 MiB of 512 MiB at 30 MiB/h: a few hours left, so a high finding.
  const hours = f.evidence['timeToOomHours'];
  assert.equal(typeof hours, 'number');
  assert.ok((hours as number) > 0.5 && (hours as number) < 8, `time to OOM ${String(hours)} h`);
  assert.equal(f.severity, 'high');
  // The leaking container is the only one, and the OOM-risk analysis sees it through the leak.
  assert.deepEqual(findings.filter((x) => x.analysis === 'leak').map((x) => workloadOf(x)), ['Deployment/cart']);
});

test('throttling: payments/fraud-detector, from the CFS counters, and no other container', () => {
  const t = findings.filter((x) => x.analysis === 'throttling');
  const f = t.find((x) => x.entity.namespace === 'payments' && workloadOf(x) === 'Deployment/fraud-detector');
  assert.ok(f, `a throttling finding for payments/fraud-detector among ${JSON.stringify(t.map((x) => x.entity))}`);
  // Its demand is 2.5 times its 250m limit: every period is throttled and usage sits at the limit.
  assert.equal(f.severity, 'high');
  assert.match(f.explanation, /limit/);
  assert.deepEqual(t.map((x) => workloadOf(x)), ['Deployment/fraud-detector']);
});

test('PVC: data/kafka is filling up, from the kubelet volume stats', () => {
  const volumes = findings.filter((x) => (x.analysis === 'pvc' || x.analysis === 'capacity') && x.entity.kind === 'pvc');
  const kafka = volumes.filter((x) => x.entity.namespace === 'data' && x.entity.name.startsWith('data-kafka'));
  assert.deepEqual([...new Set(kafka.map((x) => x.entity.name))].sort(), ['data-kafka-0', 'data-kafka-1', 'data-kafka-2']);
  for (const f of kafka) {
    // 70 % of 100 GiB, growing 9 GiB a day: full in about 3.3 days.
    assert.ok(Math.abs((f.evidence['ratio'] as number) - 0.7) < 0.01, `ratio ${String(f.evidence['ratio'])}`);
    const days = f.evidence['daysToFull'] as number;
    assert.ok(days > 2.5 && days < 4, `full in ${days} days`);
    assert.ok(Math.abs((f.evidence['growthGiBPerDay'] as number) - 9) < 0.5, `growth ${String(f.evidence['growthGiBPerDay'])} GiB/day`);
  }
});

test('PVC: only data/kafka is said to fill up; claims far from full are not "nearly full"', () => {
  const volumes = findings.filter((x) => (x.analysis === 'pvc' || x.analysis === 'capacity') && x.entity.kind === 'pvc' && x.rule !== 'low-usage');
  const wrong = volumes.filter((x) => !(x.entity.namespace === 'data' && x.entity.name.startsWith('data-kafka')) || x.rule !== 'pvc-exhaustion');
  assert.deepEqual(wrong.map((x) => `${x.analysis}/${x.rule} ${x.entity.namespace}/${x.entity.name}`), []);
});
