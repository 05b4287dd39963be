// SPDX-License-Identifier: Apache-2.0
// `krm report --db FILE --kubeconfig F`: an analysis pass over a monitor's database. The demo service seeds its
// database with the demo's history and stops; the same scenario served by the simulator provides the objects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { createLifecycle } from '../../src/runtime/lifecycle.ts';
import { startDemo } from '../../src/service.ts';
import { kubeconfigFor, startSimulationServer } from '../../src/sim/index.ts';
import { runKrm } from '../support/krm-cli.ts';

const krmReport = (args: readonly string[]) => runKrm(['report', ...args]);

test('krm report --db: recommendations and findings from a demo database', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'krm-report-db-'));
  const dbPath = join(dir, 'k8s_metrics.db');
  const simulation = await startSimulationServer({ scenario: 'demo', port: 0, speed: 1 });
  try {
    const config = loadConfig({ flags: { port: '0', host: '127.0.0.1', db: dbPath }, env: {}, cwd: dir, readFile: () => undefined });
    const log = createLogger({ level: 'error', destination: { write: () => undefined } });
    const lifecycle = createLifecycle({ process: { on: () => undefined, removeListener: () => undefined, exit: () => undefined }, log });
    await startDemo({ config, log, lifecycle });
    await lifecycle.shutdown('seeded');

    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, kubeconfigFor(simulation.server));
    const r = await krmReport(['--db', dbPath, '--kubeconfig', kubeconfig, '--cluster-name', config.cluster.name, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { source: string; findings: Array<{ severity: string }>; recommendations: Array<{ namespace: string; workload: string }> };
    assert.equal(doc.source, 'database');
    assert.ok(doc.recommendations.length > 0, 'recommendations from the seeded history');
    assert.ok(doc.findings.length > 0, 'findings from the seeded history');
    // --fail-on info trips on any finding: exit 1, the report still printed.
    const failing = await krmReport(['--db', dbPath, '--kubeconfig', kubeconfig, '--cluster-name', config.cluster.name, '--fail-on', 'info']);
    assert.equal(failing.code, 1, failing.stderr);
    assert.match(failing.stdout, /^cluster /);
    assert.match(failing.stderr, /\[KRM_REPORT_FAIL_ON\]/);
  } finally {
    await simulation.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
