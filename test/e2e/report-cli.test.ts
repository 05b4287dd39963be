// SPDX-License-Identifier: Apache-2.0
// `krm report` through the real CLI in a child process: exit codes of `--fail-on` (0 below the threshold, 1 at or
// above it, the report printed either way), 2 for bad flags and combinations, 3 for an unreachable source, and the
// `--server` mode reading a monitor's paginated findings and recommendations through the real routes and store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { installErrorHandler } from '../../src/api/error-handler.ts';
import { findingsRoutes } from '../../src/api/routes/findings.ts';
import { SqliteSampleStore } from '../../src/store/sample-store.ts';
import type { Finding } from '../../src/analysis/findings.ts';
import type { RightsizingRecommendation } from '../../src/service/analysis/types.ts';
import { runKrm } from '../support/krm-cli.ts';

const MIB = 1_048_576;

const krm = (args: readonly string[]) => runKrm(['report', ...args]);

function finding(severity: Finding['severity'], namespace: string, name: string): Finding {
  return {
    cluster: 'acme',
    analysis: 'leak',
    rule: 'memory-leak',
    entity: { kind: 'container', namespace, name, container: 'app' },
    severity,
    title: 'Memory leak',
    explanation: `Working set of ${name} grows.`,
    action: 'Fix the leak.',
    confidence: 'high',
    evidence: { slope: 1.5 },
    detectedAtMs: 1_760_000_000_000,
  };
}

const FINDINGS: Finding[] = [finding('medium', 'shop', 'cart-1'), finding('low', 'data', 'kafka-0'), finding('info', 'shop', 'api-2')];

const RECOMMENDATION: RightsizingRecommendation = {
  cluster: 'acme',
  namespace: 'ml',
  workload: { kind: 'Deployment', name: 'notebook' },
  container: 'jupyter',
  strategy: 'krm',
  status: 'ok',
  current: { cpuRequest: 2000, memRequest: 4096 * MIB },
  recommended: { cpuRequest: 100, memRequest: 512 * MIB },
  monthlySavings: 61.5,
  severity: 'high',
  confidence: 'medium',
  explanation: 'Idle most of the day.',
  notes: [],
  detectedAtMs: 1_760_000_000_000,
};

interface Monitor {
  url: string;
  requests: URL[];
  authorizations: (string | undefined)[];
  close(): Promise<void>;
}

/**
 * The monitor's real findings routes over a real SQLite finding store, seeded with three findings in two
 * namespaces, 1,000 info findings in `bulk` (so that the report pages through them) and one recommendation.
 */
async function startMonitor(dir: string): Promise<Monitor> {
  const store = await SqliteSampleStore.open({ path: join(dir, 'krm.db') });
  const now = Date.now();
  await store.findings.saveRun({ cluster: 'acme', analysis: 'leak' }, FINDINGS, now);
  const bulk = Array.from({ length: 1000 }, (_, i) => ({ ...finding('info', 'bulk', `p-${i}`), analysis: 'anomaly' as const }));
  await store.findings.saveRun({ cluster: 'acme', analysis: 'anomaly' }, bulk, now);
  await store.findings.saveRecommendations('acme', [RECOMMENDATION, { ...RECOMMENDATION, status: 'not-enough-data', container: 'sidecar', recommended: undefined }]);
  const app = Fastify();
  installErrorHandler(app);
  const requests: URL[] = [];
  const authorizations: (string | undefined)[] = [];
  app.addHook('onRequest', async (req) => {
    requests.push(new URL(req.url, 'http://x'));
    authorizations.push(req.headers.authorization);
  });
  findingsRoutes(app, { findings: store.findings, cluster: 'acme' });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    requests,
    authorizations,
    async close() {
      await app.close();
      await store.close();
    },
  };
}

test('krm report --server: all pages read, --fail-on exit codes, formats, namespace filter', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'krm-report-cli-'));
  const monitor = await startMonitor(dir);
  try {
    // Below the threshold: exit 0, the table printed, most severe first, every page read.
    const ok = await krm(['--server', monitor.url, '--token', 's3cret', '--fail-on', 'high', '--cluster-name', 'acme']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stderr, '');
    assert.match(ok.stdout, /^cluster acme \(server, strategy krm, window 14d\): 1003 findings \(1001 info, 1 low, 1 medium\), 1 recommendations\n/);
    const rows = ok.stdout.split('\n').filter((l) => /^(MEDIUM|LOW|INFO) /.test(l));
    assert.equal(rows.length, 1003);
    assert.deepEqual(rows.slice(0, 2).map((l) => l.split(/\s+/)[2]), ['shop/cart-1/app', 'data/kafka-0/app']);
    assert.match(ok.stdout, /ml\/Deployment\/notebook\s+jupyter\s+2000m → 100m\s+4096Mi → 512Mi\s+61\.50/);
    assert.doesNotMatch(ok.stdout, /sidecar/, 'a recommendation without enough data is not listed');
    // Three pages of findings (500, 500, 3) through the keyset cursor; every request carried the token.
    const findingPages = monitor.requests.filter((u) => u.pathname === '/api/v1/findings');
    assert.equal(findingPages.length, 3);
    assert.equal(findingPages[0]?.searchParams.get('continue'), null);
    assert.ok(findingPages.slice(1).every((u) => (u.searchParams.get('continue') ?? '') !== ''));
    assert.equal(findingPages[0]?.searchParams.get('state'), 'open');
    assert.ok(monitor.authorizations.every((a) => a === 'Bearer s3cret'));

    // At the threshold: the report is still printed (JSON here), then exit 1 with one line on stderr.
    const tripped = await krm(['--server', monitor.url, '--fail-on', 'medium', '--format', 'json', '-n', 'shop', '-n', 'data']);
    assert.equal(tripped.code, 1);
    const doc = JSON.parse(tripped.stdout) as { findings: Finding[]; summary: Record<string, number> };
    assert.equal(doc.findings.length, 3);
    assert.deepEqual(doc.summary, { info: 1, low: 1, medium: 1, high: 0, critical: 0 });
    assert.deepEqual(doc.findings[0]?.entity, { kind: 'container', namespace: 'shop', name: 'cart-1', container: 'app' });
    assert.equal(doc.findings[0]?.explanation, 'Working set of cart-1 grows.');
    assert.match(tripped.stderr, /^krm: 1 finding\(s\) at or above medium \(--fail-on\) \[KRM_REPORT_FAIL_ON\]\n$/);
    assert.equal((await krm(['--server', monitor.url, '--fail-on', 'info', '--format', 'csv', '-n', 'data'])).code, 1);

    // -n: one pass per namespace; only that namespace's items.
    monitor.requests.length = 0;
    const shop = await krm(['--server', monitor.url, '-n', 'shop', '--format', 'markdown', '--fail-on', 'critical']);
    assert.equal(shop.code, 0, shop.stderr);
    assert.match(shop.stdout, /\| medium \| leak \| shop\/cart-1\/app \|/);
    assert.doesNotMatch(shop.stdout, /kafka/);
    assert.match(shop.stdout, /## Recommendations\n\nNo recommendations\./);
    assert.ok(monitor.requests.every((u) => u.searchParams.get('namespace') === 'shop'));
  } finally {
    await monitor.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('krm report: bad flags and combinations exit 2, an unreachable source exits 3', { timeout: 60_000 }, async () => {
  // The parsing is unit-tested (report-options.test.ts); here the exit code and message through the process.
  const cases: Array<[string[], RegExp]> = [
    [[], /exactly one source.*none given/],
    [['--server', 'http://127.0.0.1:1', '--kubeconfig', 'k'], /--kubeconfig cannot be used with --server/],
    [['--server', 'http://127.0.0.1:1', '--fail-on', 'severe'], /--fail-on: "severe" is not one of info, low, medium, high, critical/],
    [['--db', '/nonexistent/krm.db'], /--db: \/nonexistent\/krm\.db does not exist/],
  ];
  for (const [args, message] of cases) {
    const r = await krm(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.match(r.stderr, /\[KRM_CONFIG_INVALID\]/);
    assert.equal(r.stdout, '');
  }
  const down = await krm(['--server', 'http://127.0.0.1:1']);
  assert.equal(down.code, 3);
  assert.match(down.stderr, /cannot reach the monitor at http:\/\/127\.0\.0\.1:1\/api\/v1\/findings.*\[KRM_REPORT_SERVER_FAILED\]/);
  const help = await krm(['--help']);
  assert.equal(help.code, 0);
  for (const flag of ['--server', '--token', '--db', '--prometheus', '--kubeconfig', '--context', '--namespace', '--format', '--fail-on', '--strategy', '--window', '--step']) {
    assert.ok(help.stdout.includes(flag), flag);
  }
});
