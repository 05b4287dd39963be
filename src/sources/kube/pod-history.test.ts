// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { WorkloadRef } from '../../domain/kube-ports.ts';
import type { Pod } from '../../domain/resources.ts';
import { aContainerStatus, aPod, type PodOptions } from '../../../test/fakes/builders.ts';
import { observePod, PodHistory } from './pod-history.ts';
import { projectPod } from './project-pod.ts';

const T1 = '2026-06-26T10:00:00Z';
const T2 = '2026-06-26T10:05:00Z';

function pod(o: Partial<PodOptions> = {}): Pod {
  const p = projectPod(aPod({ name: 'web-1', node: 'n1', ...o }));
  assert.ok(p);
  return p;
}

const running = pod({ containerStatuses: [aContainerStatus({})] });
const oomTerminated = pod({ containerStatuses: [aContainerStatus({ ready: false, state: { terminated: { reason: 'OOMKilled', exitCode: 137, finishedAt: T1 } } })] });
const restartedAfterOom = pod({ containerStatuses: [aContainerStatus({ restartCount: 1, last: { reason: 'OOMKilled', exitCode: 137, finishedAt: T1 } })] });

const brief = (p: Pod | undefined, next: Pod): string[] =>
  observePod(p, next).map((o) => `${o.type}:${o.container ?? ''}:${o.reason ?? ''}:${o.exitCode ?? ''}:${o.restartCount ?? ''}`);

test('an OOM kill seen as it happens, then the restart: one termination, one restart', () => {
  assert.deepEqual(brief(running, oomTerminated), ['termination:app:OOMKilled:137:']);
  assert.deepEqual(brief(oomTerminated, restartedAfterOom), ['restart:app:OOMKilled:137:1'], 'lastState repeats the known termination');
});

test('a restart observed without the terminated state in between gives both entries', () => {
  assert.deepEqual(brief(running, restartedAfterOom), ['restart:app:OOMKilled:137:1', 'termination:app:OOMKilled:137:']);
  const obs = observePod(running, restartedAfterOom);
  assert.equal(obs[0]?.atMs, Date.parse(T1));
  assert.equal(obs[0]?.dedupeKey, 'uid-default-web-1|restart|app|1');
});

test('no change, no entry; a second crash is a new termination', () => {
  assert.deepEqual(brief(restartedAfterOom, restartedAfterOom), []);
  const again = pod({ containerStatuses: [aContainerStatus({ restartCount: 2, last: { reason: 'Error', exitCode: 1, finishedAt: T2 } })] });
  assert.deepEqual(brief(restartedAfterOom, again), ['restart:app:Error:1:2', 'termination:app:Error:1:']);
});

test('first sighting reports the last known termination but not past restarts', () => {
  assert.deepEqual(brief(undefined, restartedAfterOom), ['termination:app:OOMKilled:137:']);
  assert.deepEqual(brief(undefined, running), []);
});

test('eviction and scheduling failure, once per episode', () => {
  const evicted = pod({ phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' });
  const evictions = observePod(running, evicted).map((o) => `${o.type}:${o.reason}:${o.message}`);
  assert.deepEqual(evictions, ['eviction:Evicted:The node was low on resource: memory.']);
  assert.deepEqual(brief(evicted, evicted), []);
  const cond = (message: string): Record<string, unknown> => ({ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastTransitionTime: T1 });
  const pending = pod({ phase: 'Pending', conditions: [cond('0/3 nodes are available: 3 Insufficient cpu.')] });
  const retried = pod({ phase: 'Pending', conditions: [cond('0/4 nodes are available: 4 Insufficient cpu.')] });
  assert.deepEqual(brief(undefined, pending), ['scheduling-failure::Unschedulable::']);
  assert.deepEqual(brief(pending, retried), [], 'a retry with a new message is the same episode');
});

test('history ring: sequence numbers, workload and node, fallback time, capacity, filters', () => {
  const history = new PodHistory(3);
  const workload: WorkloadRef = { namespace: 'default', kind: 'Deployment', name: 'web', resolved: true };
  const evicted = pod({ phase: 'Failed', reason: 'Evicted' });
  history.append(evicted, observePod(running, evicted), { workload, nowMs: 42 });
  const [first] = history.query();
  assert.equal(first?.seq, 1);
  assert.equal(first?.atMs, 42, 'no time in the status: observation time');
  assert.equal(first?.nodeName, 'n1');
  assert.deepEqual(first?.workload, workload);
  for (let i = 0; i < 3; i++) history.append(oomTerminated, observePod(running, oomTerminated), { workload, nowMs: 43 });
  assert.deepEqual(history.query().map((e) => e.seq), [2, 3, 4], 'oldest overwritten');
  assert.equal(history.lastSeq, 4);
  assert.deepEqual(history.query({ afterSeq: 3 }).map((e) => e.seq), [4]);
  assert.equal(history.query({ types: ['eviction'] }).length, 0);
  assert.equal(history.query({ podUid: 'uid-default-web-1', namespace: 'default', types: ['termination'] }).length, 3);
  assert.equal(history.query({ namespace: 'other' }).length, 0);
});
