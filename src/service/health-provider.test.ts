// SPDX-License-Identifier: Apache-2.0
// The Kubernetes part of the health report: unhealthy before the first sync; after it, unhealthy only while a
// readiness-gating kind fails twice in a row, fails for longer than the grace, or has a stalled watch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterView, KindConnection, KindSyncStatus } from '../domain/kube-ports.ts';
import type { SampleStore } from '../domain/ports.ts';
import type { SourceSelector } from '../sources/usage/index.ts';
import { connectionFailing, createHealthProvider, KUBE_UNHEALTHY_AFTER_MS } from './health-provider.ts';

const NOW = 1_700_000_000_000;
const OK: KindConnection = { phase: 'watching', consecutiveFailures: 0, stalled: false, lastContactAtMs: NOW - 1000 };

function view(ready: boolean, statuses: KindSyncStatus[]): ClusterView {
  return { isReady: () => ready, syncStatus: () => statuses } as unknown as ClusterView;
}

function provider(cluster: ClusterView, writable = true) {
  const store = { status: () => ({ writable }) } as unknown as SampleStore;
  const selector = { state: () => ({ mode: 'auto', active: 'metrics-server', reason: '', sources: [] }) } as unknown as SourceSelector;
  return createHealthProvider({ cluster, store, selector, lastCollection: () => undefined, storeOpen: () => true, now: () => NOW });
}

const pods = (connection: KindConnection, gatesReadiness = true): KindSyncStatus => ({ kind: 'pods', synced: true, objects: 3, gatesReadiness, connection });

test('connection rules: two failures, a failure older than the grace, or a stall', () => {
  assert.equal(connectionFailing(OK, NOW), false);
  assert.equal(connectionFailing({ ...OK, consecutiveFailures: 1, failingSinceMs: NOW - 1000 }, NOW), false, 'one fresh failure is tolerated');
  assert.equal(connectionFailing({ ...OK, consecutiveFailures: 2, failingSinceMs: NOW - 1000 }, NOW), true);
  assert.equal(connectionFailing({ ...OK, consecutiveFailures: 1, failingSinceMs: NOW - KUBE_UNHEALTHY_AFTER_MS }, NOW), true);
  assert.equal(connectionFailing({ ...OK, stalled: true }, NOW), true);
});

test('the report: never synced, synced and healthy, failing gating kind, failing optional kind', async () => {
  const never = await provider(view(false, [])).check();
  assert.equal(never.kubernetes, 'unhealthy');
  assert.equal(never.initialSyncDone, false);

  const healthy = await provider(view(true, [pods(OK)])).check();
  assert.equal(healthy.kubernetes, 'healthy');
  assert.equal(healthy.initialSyncDone, true);
  assert.equal(healthy.database, 'ok');

  const failing = await provider(view(true, [pods({ ...OK, phase: 'backoff', consecutiveFailures: 3, failingSinceMs: NOW - 5000 })])).check();
  assert.equal(failing.kubernetes, 'unhealthy');
  assert.equal(failing.initialSyncDone, true);

  const optional = await provider(view(true, [pods({ ...OK, consecutiveFailures: 9 }, false)])).check();
  assert.equal(optional.kubernetes, 'healthy', 'kinds that do not gate readiness (RBAC may forbid them) do not count');

  const readOnly = await provider(view(true, [pods(OK)]), false).check();
  assert.equal(readOnly.database, 'degraded');
});
