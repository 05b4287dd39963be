// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { summarizePod } from './pod-status.ts';
import type { ContainerState, ContainerStatus, Pod } from '../../model/kube-types.ts';

const PODS = JSON.parse(readFileSync(new URL('./__fixtures__/pods-1_35.json', import.meta.url), 'utf8')) as Pod[];
// A minute after the capture; the restarting pod's last termination finished at 10:14:14.
const NOW = Date.parse('2026-06-26T10:15:00Z');

function fixture(name: string): Pod {
  const pod = PODS.find((p) => p.metadata.name === name);
  assert.ok(pod, `fixture ${name}`);
  return structuredClone(pod);
}

function containerStatus(pod: Pod, index = 0): ContainerStatus {
  const cs = pod.status.containerStatuses?.[index];
  assert.ok(cs);
  return cs;
}

void test('running, ready pod (coredns)', () => {
  assert.deepEqual(summarizePod(fixture('coredns-7d764666f9-qdcxt'), NOW), {
    ready: '1/1',
    status: 'Running',
    restarts: '0',
  });
});

void test('restarting pod between runs: terminated Completed, restarts with the last finishedAt', () => {
  assert.deepEqual(summarizePod(fixture('e2e-container-creating'), NOW), {
    ready: '0/1',
    status: 'Completed',
    restarts: '2 (46s ago)',
  });
});

void test('the same pod in back-off: CrashLoopBackOff', () => {
  // What the kubelet reports for this pod while it waits out the back-off before the next restart.
  const pod = fixture('e2e-container-creating');
  const cs = containerStatus(pod);
  cs.state = { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container=alpine' } };
  cs.restartCount = 3;
  cs.lastState = { terminated: { exitCode: 1, reason: 'Error', finishedAt: '2026-06-26T10:10:00Z' } };
  assert.deepEqual(summarizePod(pod, NOW), { ready: '0/1', status: 'CrashLoopBackOff', restarts: '3 (5m ago)' });
});

void test('pending, unschedulable pod keeps the phase', () => {
  assert.deepEqual(summarizePod(fixture('e2e-container-pending'), NOW), {
    ready: '0/1',
    status: 'Pending',
    restarts: '0',
  });
});

void test('completed job pod (Succeeded) shows Completed', () => {
  assert.equal(summarizePod(fixture('e2e-cronjob-29707813-dhlr2'), NOW).status, 'Completed');
});

void test('failed job pod shows the terminated reason', () => {
  assert.deepEqual(summarizePod(fixture('e2e-failjob-28dqq'), NOW), { ready: '0/1', status: 'Error', restarts: '0' });
});

for (const reason of ['ImagePullBackOff', 'ErrImagePull', 'CreateContainerConfigError', 'ContainerCreating']) {
  void test(`waiting reason ${reason} is shown as is`, () => {
    const pod = fixture('coredns-7d764666f9-qdcxt');
    const cs = containerStatus(pod);
    cs.ready = false;
    cs.state = { waiting: { reason } };
    assert.equal(summarizePod(pod, NOW).status, reason);
  });
}

void test('terminated reasons: OOMKilled, Signal:N without reason, ExitCode:N without reason or signal', () => {
  const pod = fixture('e2e-failjob-28dqq');
  const cs = containerStatus(pod);
  cs.state = { terminated: { exitCode: 137, reason: 'OOMKilled' } };
  assert.equal(summarizePod(pod, NOW).status, 'OOMKilled');
  cs.state = { terminated: { exitCode: 137, signal: 9 } };
  assert.equal(summarizePod(pod, NOW).status, 'Signal:9');
  cs.state = { terminated: { exitCode: 2 } };
  assert.equal(summarizePod(pod, NOW).status, 'ExitCode:2');
});

void test('status.reason wins over the phase (Evicted)', () => {
  const pod = fixture('e2e-failjob-28dqq');
  pod.status.reason = 'Evicted';
  pod.status.containerStatuses = [];
  assert.equal(summarizePod(pod, NOW).status, 'Evicted');
});

void test('deletion: Terminating, Unknown for NodeLost, unchanged for terminal phases', () => {
  const running = fixture('coredns-7d764666f9-qdcxt');
  running.metadata.deletionTimestamp = '2026-06-26T10:14:50Z';
  assert.equal(summarizePod(running, NOW).status, 'Terminating');
  running.status.reason = 'NodeLost';
  assert.equal(summarizePod(running, NOW).status, 'Unknown');
  const done = fixture('e2e-cronjob-29707813-dhlr2');
  done.metadata.deletionTimestamp = '2026-06-26T10:14:50Z';
  assert.equal(summarizePod(done, NOW).status, 'Completed');
});

void test('NodeLost without deletion shows the reason', () => {
  const pod = fixture('coredns-7d764666f9-qdcxt');
  pod.status.reason = 'NodeLost';
  pod.status.containerStatuses = [];
  assert.equal(summarizePod(pod, NOW).status, 'NodeLost');
});

void test('SchedulingGated condition overrides Pending', () => {
  const pod = fixture('e2e-container-pending');
  pod.status.conditions = [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }];
  assert.equal(summarizePod(pod, NOW).status, 'SchedulingGated');
});

function withInit(state: ContainerState, extra: Partial<ContainerStatus> = {}): Pod {
  const pod = fixture('e2e-container-pending');
  pod.spec.initContainers = [{ name: 'migrate', image: 'migrate:1' }];
  pod.status.initContainerStatuses = [
    {
      name: 'migrate',
      image: 'migrate:1',
      imageID: '',
      ready: false,
      restartCount: 0,
      state,
      lastState: {},
      ...extra,
    },
  ];
  pod.status.conditions = [{ type: 'Initialized', status: 'False' }];
  return pod;
}

void test('init containers: Init:0/1, Init:<waiting reason>, Init:<terminated reason>, Init:ExitCode:N', () => {
  assert.equal(summarizePod(withInit({ waiting: { reason: 'PodInitializing' } }), NOW).status, 'Init:0/1');
  assert.equal(summarizePod(withInit({ running: { startedAt: '2026-06-26T10:14:00Z' } }), NOW).status, 'Init:0/1');
  const backoff = withInit(
    { waiting: { reason: 'CrashLoopBackOff' } },
    { restartCount: 4, lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: '2026-06-26T10:14:00Z' } } },
  );
  assert.deepEqual(summarizePod(backoff, NOW), { ready: '0/1', status: 'Init:CrashLoopBackOff', restarts: '4 (60s ago)' });
  assert.equal(summarizePod(withInit({ terminated: { exitCode: 1, reason: 'Error' } }), NOW).status, 'Init:Error');
  assert.equal(summarizePod(withInit({ terminated: { exitCode: 3 } }), NOW).status, 'Init:ExitCode:3');
  assert.equal(summarizePod(withInit({ terminated: { exitCode: 3, signal: 15 } }), NOW).status, 'Init:Signal:15');
});

void test('a finished init container lets the app containers decide', () => {
  const pod = withInit({ terminated: { exitCode: 0, reason: 'Completed' } });
  assert.equal(summarizePod(pod, NOW).status, 'Pending');
});

void test('sidecar (restartable init container) counts in READY and does not block', () => {
  const pod = fixture('coredns-7d764666f9-qdcxt');
  pod.spec.initContainers = [{ name: 'proxy', image: 'envoy:1', restartPolicy: 'Always' }];
  pod.status.initContainerStatuses = [
    {
      name: 'proxy',
      image: 'envoy:1',
      imageID: '',
      ready: true,
      started: true,
      restartCount: 1,
      state: { running: { startedAt: '2026-06-26T10:12:30Z' } },
      lastState: { terminated: { exitCode: 1, finishedAt: '2026-06-26T10:12:29Z' } },
    },
  ];
  assert.deepEqual(summarizePod(pod, NOW), { ready: '2/2', status: 'Running', restarts: '1 (2m31s ago)' });
});

void test('Completed with a container still running: Running when Ready, else NotReady or the error reason', () => {
  const pod = fixture('coredns-7d764666f9-qdcxt');
  const done = structuredClone(containerStatus(pod));
  done.name = 'job';
  done.state = { terminated: { exitCode: 0, reason: 'Completed' } };
  pod.status.containerStatuses = [done, containerStatus(pod)];
  assert.equal(summarizePod(pod, NOW).status, 'Running');
  pod.status.conditions = [{ type: 'Ready', status: 'False' }];
  assert.equal(summarizePod(pod, NOW).status, 'NotReady');
  const failed = structuredClone(done);
  failed.name = 'sidecar';
  failed.state = { terminated: { exitCode: 1, reason: 'Error' } };
  pod.status.containerStatuses = [done, failed];
  // The first container's Completed is shown... unless another one failed.
  assert.equal(summarizePod(pod, NOW).status, 'Error');
});
