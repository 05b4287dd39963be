// SPDX-License-Identifier: Apache-2.0
// The real kubectl (v1.35, from the devDependency) against `krm sim --scenario demo`: every command an operator
// would type works, prints its normal columns and exits 0.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectl, kubectlStream, writeKubeconfig } from '../support/kubectl.ts';
import { startSimProcess, type SimProcess } from '../support/sim-process.ts';

let sim: SimProcess;
let kc: string;

interface PodJson {
  metadata: { name: string; namespace: string };
  status: { phase: string; containerStatuses?: { name: string; restartCount: number; state: { waiting?: { reason: string } } }[] };
}

before(async () => {
  sim = await startSimProcess(['--scenario', 'demo', '--port', '0', '--speed', '60']);
  kc = writeKubeconfig({ server: sim.url });
});

after(async () => {
  assert.equal(await sim.stop(), 0, 'krm sim exits 0 on SIGTERM');
});

async function ok(args: string[]): Promise<string> {
  const r = await kubectl(kc, args);
  assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${r.stderr}`);
  assert.doesNotMatch(r.stderr, /couldn't get|error|unable/i, `kubectl ${args.join(' ')} warned:\n${r.stderr}`);
  return r.stdout;
}

function header(out: string): string[] {
  return (out.split('\n')[0] ?? '').trim().split(/\s{2,}/);
}

async function pods(): Promise<PodJson[]> {
  return (JSON.parse(await ok(['get', 'pods', '-A', '-o', 'json'])) as { items: PodJson[] }).items;
}

function waitingReason(p: PodJson): string | undefined {
  return p.status.containerStatuses?.find((c) => c.state.waiting)?.state.waiting?.reason;
}

test('api-resources lists the served kinds', async () => {
  const out = await ok(['api-resources']);
  assert.deepEqual(header(out), ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND']);
  for (const kind of ['Pod', 'Deployment', 'HorizontalPodAutoscaler', 'Lease', 'PodMetrics', 'NodeMetrics', 'EndpointSlice']) {
    assert.match(out, new RegExp(`\\s${kind}\\n`), kind);
  }
});

test('get nodes prints the node columns', async () => {
  const out = await ok(['get', 'nodes']);
  assert.deepEqual(header(out), ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
  assert.match(out, /\sReady\s/);
  assert.match(out, /\sNotReady\s/);
});

test('get pods -A shows Running, CrashLoopBackOff, ImagePullBackOff and Pending', async () => {
  const out = await ok(['get', 'pods', '-A']);
  assert.deepEqual(header(out), ['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
  // Evicted pods print as ContainerStatusUnknown or Error since the kubelet marks their containers terminated;
  // the eviction itself shows in the events (checked below).
  for (const status of ['Running', 'CrashLoopBackOff', 'ImagePullBackOff', 'Pending', 'CreateContainerConfigError', 'Completed']) {
    assert.match(out, new RegExp(`\\s${status}\\s`), status);
  }
  const wide = await ok(['get', 'pods', '-A', '-o', 'wide']);
  assert.ok(header(wide).includes('NODE'));
});

test('describe pod shows the crash-looping pod with its events', async () => {
  const crashing = (await pods()).find((p) => waitingReason(p) === 'CrashLoopBackOff');
  assert.ok(crashing, 'the demo has a crash-looping pod');
  const out = await ok(['describe', 'pod', '-n', crashing.metadata.namespace, crashing.metadata.name]);
  assert.match(out, /^Name:\s+/m);
  assert.match(out, /Reason:\s+CrashLoopBackOff/);
  assert.match(out, /Last State:\s+Terminated/);
  assert.match(out, /Events:[\s\S]*BackOff/);
});

test('logs and logs --previous of a crash-looping pod', async () => {
  const crashing = (await pods()).find((p) => waitingReason(p) === 'CrashLoopBackOff');
  assert.ok(crashing);
  const ns = crashing.metadata.namespace;
  const name = crashing.metadata.name;
  const container = crashing.status.containerStatuses?.[0]?.name ?? '';
  const current = await ok(['logs', '-n', ns, name, '-c', container, '--tail', '20']);
  assert.ok(current.split('\n').length <= 21);
  const previous = await ok(['logs', '-n', ns, name, '-c', container, '--previous']);
  assert.match(previous, /(\bat \S+|panic:|Exception|Traceback)/, 'the previous container died with a stack trace');
});

test('top pods -A and top nodes', async () => {
  const podsOut = await ok(['top', 'pods', '-A']);
  assert.deepEqual(header(podsOut), ['NAMESPACE', 'NAME', 'CPU(cores)', 'MEMORY(bytes)']);
  assert.ok(podsOut.split('\n').length > 50);
  const nodesOut = await ok(['top', 'nodes']);
  assert.deepEqual(header(nodesOut).slice(0, 3), ['NAME', 'CPU(cores)', 'CPU(%)']);
});

test('get events, resourcequota and workloads', async () => {
  const events = await ok(['get', 'events', '-A']);
  assert.deepEqual(header(events), ['NAMESPACE', 'LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
  for (const reason of ['FailedScheduling', 'BackOff', 'Evicted', 'Unhealthy', 'Failed']) assert.match(events, new RegExp(`\\s${reason}\\s`), reason);
  const quota = await ok(['get', 'resourcequota', '-A']);
  // AGE moved to the last column in Kubernetes 1.33 (kubernetes/kubernetes#129419).
  assert.deepEqual(header(quota), ['NAMESPACE', 'NAME', 'REQUEST', 'LIMIT', 'AGE']);
  const workloads = await ok(['get', 'deploy,sts,ds,job,cronjob,hpa', '-A']);
  for (const prefix of ['deployment.apps/', 'statefulset.apps/', 'daemonset.apps/', 'job.batch/', 'cronjob.batch/', 'horizontalpodautoscaler.autoscaling/']) {
    assert.ok(workloads.includes(prefix), prefix);
  }
});

test('get pods -A -w receives events', async () => {
  const watch = kubectlStream(kc, ['get', 'pods', '-A', '-w']);
  try {
    const all = await pods();
    const victim = all.find((p) => p.status.phase === 'Running');
    assert.ok(victim);
    // The watch has started once kubectl printed its listing (a loaded machine can take seconds to get there).
    for (let i = 0; i < 300 && !watch.output().includes(victim.metadata.name); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(watch.output().includes(victim.metadata.name), 'kubectl listed the pods');
    await new Promise((r) => setTimeout(r, 500));
    const before = watch.output().split('\n').length;
    await ok(['delete', 'pod', '-n', victim.metadata.namespace, victim.metadata.name, '--wait=false']);
    // Other pods' events (the scenario's churn) can arrive first: wait for a line about the deleted pod.
    const aboutVictim = (): boolean => watch.output().split('\n').slice(before - 1).some((l) => l.includes(victim.metadata.name));
    for (let i = 0; i < 200 && !aboutVictim(); i++) await new Promise((r) => setTimeout(r, 100));
    const lines = watch.output().split('\n');
    assert.ok(lines.length > before, 'a new line arrived after the delete');
    assert.ok(lines.slice(before - 1).some((l) => l.includes(victim.metadata.name)));
  } finally {
    watch.child.kill();
  }
});

test('logs -f keeps streaming, and events.k8s.io events list', async () => {
  const running = (await pods()).find((p) => p.status.phase === 'Running' && p.status.containerStatuses?.length === 1);
  assert.ok(running);
  const follow = kubectlStream(kc, ['logs', '-f', '--tail', '5', '-n', running.metadata.namespace, running.metadata.name]);
  try {
    await new Promise((r) => setTimeout(r, 2000));
    assert.ok(follow.output().trim().split('\n').length >= 1, 'initial lines arrived');
    assert.equal(follow.child.exitCode, null, 'the stream stays open');
  } finally {
    follow.child.kill();
  }
  const events = await ok(['get', 'events.events.k8s.io', '-A']);
  assert.match(events, /BackOff/);
});
