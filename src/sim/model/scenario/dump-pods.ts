// SPDX-License-Identifier: Apache-2.0
// Containers of a dump's pods for the usage model and the log generator. Each running container gets a steady
// profile relative to its requests (the only usage hint a dump carries); containers without requests get small
// absolute levels. A container caught in CrashLoopBackOff keeps crash-looping on the kubelet's back-off schedule.
import type { Container, ContainerStatus, Pod } from '../kube-types.ts';
import type { UsageProfile } from '../../usage/profiles.ts';
import type { RunningContainer } from './built-types.ts';
import type { CrashLoopScript } from './failures/types.ts';
import type { LogProfileIndex } from './log-index.ts';
import type { LogProfile } from './schema-workload.ts';
import { crashBackoffSeconds, CRASH_RUN_MS } from './failures/crashloop.ts';
import { parseQuantity } from './quantity.ts';

function amount(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  try {
    return parseQuantity(v);
  } catch {
    // An unparsable quantity counts as unset, as for a container without that request.
    return undefined;
  }
}

const NO_REQUESTS: UsageProfile = Object.freeze({ kind: 'steady', cpu: { cores: 0.01 }, memory: { bytes: 48 * 2 ** 20 } });
const WITH_REQUESTS: UsageProfile = Object.freeze({ kind: 'steady' });

function profileOf(requests: { cpuCores: number; memoryBytes: number }): UsageProfile {
  return requests.cpuCores > 0 || requests.memoryBytes > 0 ? WITH_REQUESTS : NO_REQUESTS;
}

/** Log profile guessed from the image and the container's state. */
export function guessLogProfile(c: Container, state: { crashLooping: boolean; job: boolean }): LogProfile {
  if (state.crashLooping) return 'crashloop';
  if (state.job) return 'batch';
  if (/postgres|mysql|mariadb|redis|mongo|etcd|cassandra|elasticsearch/.test(c.image)) return 'database';
  return Array.isArray(c.ports) && c.ports.length > 0 ? 'web' : 'worker';
}

function isJobPod(p: Pod): boolean {
  return (p.metadata.ownerReferences ?? []).some((o) => o.kind === 'Job');
}

function amounts(list: Record<string, string> | undefined): { cpuCores?: number; memoryBytes?: number } {
  const out: { cpuCores?: number; memoryBytes?: number } = {};
  const cpu = amount(list?.cpu);
  const mem = amount(list?.memory);
  if (cpu !== undefined) out.cpuCores = cpu;
  if (mem !== undefined) out.memoryBytes = mem;
  return out;
}

function containerOf(p: Pod, c: Container, startedAt: string): RunningContainer {
  const req = amounts(c.resources?.requests);
  const requests = { cpuCores: req.cpuCores ?? 0, memoryBytes: req.memoryBytes ?? 0 };
  const ids = { namespace: p.metadata.namespace ?? '', pod: p.metadata.name, container: c.name, node: p.spec.nodeName ?? '' };
  return { ...ids, profile: profileOf(requests), requests, limits: amounts(c.resources?.limits), startedAtMs: Date.parse(startedAt), logProfile: guessLogProfile(c, { crashLooping: false, job: isJobPod(p) }) };
}

function statusOf(p: Pod, name: string): ContainerStatus | undefined {
  return (p.status?.containerStatuses ?? []).find((s) => s.name === name);
}

function registerLogs(p: Pod, logs: LogProfileIndex): void {
  const job = isJobPod(p);
  const profiles = p.spec.containers.map((c) => guessLogProfile(c, { crashLooping: statusOf(p, c.name)?.state?.waiting?.reason === 'CrashLoopBackOff', job }));
  logs.set(p.metadata.namespace ?? '', p.metadata.name, { containers: p.spec.containers.map((c) => c.name), profiles });
}

function runningOf(p: Pod): RunningContainer[] {
  const out: RunningContainer[] = [];
  for (const c of p.spec.containers) {
    const startedAt = statusOf(p, c.name)?.state?.running?.startedAt;
    if (startedAt) out.push(containerOf(p, c, startedAt));
  }
  return out;
}

/** Running containers of the dump's pods; fills the log index for every scheduled pod. */
export function dumpContainers(pods: readonly Pod[], logs: LogProfileIndex): RunningContainer[] {
  const out: RunningContainer[] = [];
  for (const p of pods) {
    if (!p.spec?.nodeName) continue;
    registerLogs(p, logs);
    if (p.status?.phase === 'Running') out.push(...runningOf(p));
  }
  return out;
}

function crashLoopOf(p: Pod, st: ContainerStatus, at: { index: number; nowMs: number }): CrashLoopScript {
  const last = st.lastState?.terminated;
  const finished = Date.parse(last?.finishedAt ?? '') || at.nowMs;
  const spec = p.spec.containers.find((c) => c.name === st.name);
  return {
    kind: 'crashloop',
    namespace: p.metadata.namespace ?? '',
    pod: p.metadata.name,
    podUid: p.metadata.uid ?? '',
    container: st.name,
    containerIndex: at.index,
    node: p.spec.nodeName ?? '',
    image: spec ? spec.image : st.image,
    exitCode: last ? last.exitCode : 1,
    restartCount: st.restartCount,
    phase: 'waiting',
    nextAtMs: Math.max(at.nowMs, finished + crashBackoffSeconds(st.restartCount + 1) * 1000),
    runMs: CRASH_RUN_MS,
  };
}

/** Crash-loop scripts for containers waiting in CrashLoopBackOff in the dump. */
export function crashLoopScripts(pods: readonly Pod[], nowMs: number): CrashLoopScript[] {
  const out: CrashLoopScript[] = [];
  for (const p of pods) {
    (p.status?.containerStatuses ?? []).forEach((st, index) => {
      if (st.state?.waiting?.reason === 'CrashLoopBackOff') out.push(crashLoopOf(p, st, { index, nowMs }));
    });
  }
  return out;
}
