// SPDX-License-Identifier: Apache-2.0
// The READY, STATUS and RESTARTS cells of a pod, following the server-side pod printer (pkg/printers/
// internalversion, Kubernetes 1.35). The order of the rules matters and is upstream's:
//  1. start from status.reason (for example `Evicted`, `NodeLost`) or else the phase; a PodScheduled condition
//     with reason SchedulingGated wins;
//  2. walk init containers in order and stop at the first one not done: `Init:<reason>`, `Init:Signal:N`,
//     `Init:ExitCode:N`, `Init:<waiting reason>` or `Init:i/n` (sidecars, restartPolicy Always, that have
//     started count as done and as ready containers);
//  3. once initialised, walk app containers from last to first, so the first container's waiting or terminated
//     reason ends up shown (`CrashLoopBackOff`, `OOMKilled`, `Error`, `Signal:9`, `ExitCode:2`, ...);
//  4. `Completed` becomes `Running` (a container still runs and the pod is Ready), the first non-zero exit
//     reason, or `NotReady`;
//  5. a deletionTimestamp shows `Terminating` unless the phase is terminal, or `Unknown` for NodeLost pods.
// RESTARTS adds `(<age> ago)` from the latest lastState.terminated.finishedAt among the counted containers.
import { humanDuration } from './age.ts';
import { at, rec, recs, str, num, timeMs } from './fields.ts';
import type { JsonRecord } from './fields.ts';

/** Reason the node lifecycle controller sets on pods of an unreachable node. */
const NODE_UNREACHABLE_REASON = 'NodeLost';

interface Tally {
  restarts: number;
  lastRestartMs: number | undefined;
}

interface ScanState {
  reason: string;
  ready: number;
  all: Tally;
  sidecars: Tally;
}

export interface PodSummary {
  /** READY: `ready/total`, where sidecar init containers count towards both. */
  ready: string;
  /** STATUS. */
  status: string;
  /** RESTARTS: `3` or `3 (5m ago)`. */
  restarts: string;
}

function isRecord(v: unknown): v is JsonRecord {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function addRestarts(t: Tally, cs: JsonRecord): void {
  t.restarts += num(cs['restartCount']);
  const finished = timeMs(at(cs, 'lastState', 'terminated', 'finishedAt'));
  if (finished !== undefined && (t.lastRestartMs === undefined || finished > t.lastRestartMs)) {
    t.lastRestartMs = finished;
  }
}

function terminatedReason(term: JsonRecord, prefix: string): string {
  const reason = str(term['reason']);
  if (reason !== '') return prefix + reason;
  const signal = num(term['signal']);
  return signal !== 0 ? `${prefix}Signal:${signal}` : `${prefix}ExitCode:${num(term['exitCode'])}`;
}

function hasCondition(pod: JsonRecord, type: string, status: string): boolean {
  // Upstream looks at the first condition of the type only.
  const cond = recs(at(pod, 'status', 'conditions')).find((c) => c['type'] === type);
  return cond !== undefined && cond['status'] === status;
}

function initialReason(pod: JsonRecord): string {
  const gated = recs(at(pod, 'status', 'conditions')).some(
    (c) => c['type'] === 'PodScheduled' && c['reason'] === 'SchedulingGated',
  );
  if (gated) return 'SchedulingGated';
  const reason = str(at(pod, 'status', 'reason'));
  return reason !== '' ? reason : str(at(pod, 'status', 'phase'));
}

type InitOutcome = { kind: 'done' } | { kind: 'sidecar' } | { kind: 'blocked'; reason: string };

function initOutcome(cs: JsonRecord, isSidecar: boolean, position: string): InitOutcome {
  const term = at(cs, 'state', 'terminated');
  if (isRecord(term) && num(term['exitCode']) === 0) return { kind: 'done' };
  if (isSidecar && cs['started'] === true) return { kind: 'sidecar' };
  if (isRecord(term)) return { kind: 'blocked', reason: terminatedReason(term, 'Init:') };
  const waiting = str(at(cs, 'state', 'waiting', 'reason'));
  if (waiting !== '' && waiting !== 'PodInitializing') return { kind: 'blocked', reason: `Init:${waiting}` };
  return { kind: 'blocked', reason: `Init:${position}` };
}

/** Walks init container statuses; returns true while the pod is still initialising. */
function scanInitContainers(pod: JsonRecord, sidecarNames: ReadonlySet<string>, state: ScanState): boolean {
  const specCount = recs(at(pod, 'spec', 'initContainers')).length;
  const statuses = recs(at(pod, 'status', 'initContainerStatuses'));
  for (const [i, cs] of statuses.entries()) {
    addRestarts(state.all, cs);
    const isSidecar = sidecarNames.has(str(cs['name']));
    if (isSidecar) addRestarts(state.sidecars, cs);
    const outcome = initOutcome(cs, isSidecar, `${i}/${specCount}`);
    if (outcome.kind === 'sidecar' && cs['ready'] === true) state.ready++;
    if (outcome.kind === 'blocked') {
      state.reason = outcome.reason;
      return true;
    }
  }
  return false;
}

/** One app container: sets the reason, counts it as ready, and returns its error reason (non-zero exit). */
function scanAppContainer(cs: JsonRecord, state: ScanState): { running: boolean; errorReason: string } {
  const waiting = str(at(cs, 'state', 'waiting', 'reason'));
  const term = at(cs, 'state', 'terminated');
  if (waiting !== '') {
    state.reason = waiting;
  } else if (isRecord(term)) {
    state.reason = terminatedReason(term, '');
    return { running: false, errorReason: num(term['exitCode']) !== 0 ? state.reason : '' };
  } else if (cs['ready'] === true && isRecord(at(cs, 'state', 'running'))) {
    state.ready++;
    return { running: true, errorReason: '' };
  }
  return { running: false, errorReason: '' };
}

function scanAppContainers(pod: JsonRecord, state: ScanState): void {
  // Only sidecar restarts survive into the app-container count, as upstream resets the tally here.
  state.all = { ...state.sidecars };
  let hasRunning = false;
  let errorReason = '';
  const statuses = recs(at(pod, 'status', 'containerStatuses'));
  for (const cs of [...statuses].reverse()) {
    addRestarts(state.all, cs);
    const seen = scanAppContainer(cs, state);
    hasRunning ||= seen.running;
    if (seen.errorReason !== '') errorReason = seen.errorReason;
  }
  if (state.reason !== 'Completed') return;
  if (hasRunning && hasCondition(pod, 'Ready', 'True')) state.reason = 'Running';
  else if (errorReason !== '') state.reason = errorReason;
  else if (hasRunning) state.reason = 'NotReady';
}

function applyDeletion(pod: JsonRecord, reason: string): string {
  if (timeMs(at(pod, 'metadata', 'deletionTimestamp')) === undefined) return reason;
  if (str(at(pod, 'status', 'reason')) === NODE_UNREACHABLE_REASON) return 'Unknown';
  const phase = str(at(pod, 'status', 'phase'));
  return phase === 'Succeeded' || phase === 'Failed' ? reason : 'Terminating';
}

function sidecarNamesOf(pod: JsonRecord): Set<string> {
  const names = recs(at(pod, 'spec', 'initContainers'))
    .filter((c) => c['restartPolicy'] === 'Always')
    .map((c) => str(c['name']));
  return new Set(names);
}

function restartsText(t: Tally, nowMs: number): string {
  if (t.restarts === 0 || t.lastRestartMs === undefined) return String(t.restarts);
  return `${t.restarts} (${humanDuration(nowMs - t.lastRestartMs)} ago)`;
}

/** READY, STATUS and RESTARTS of a pod at `nowMs`. */
export function summarizePod(pod: unknown, nowMs: number): PodSummary {
  const p = rec(pod);
  const sidecarNames = sidecarNamesOf(p);
  const total = recs(at(p, 'spec', 'containers')).length + sidecarNames.size;
  const state: ScanState = {
    reason: initialReason(p),
    ready: 0,
    all: { restarts: 0, lastRestartMs: undefined },
    sidecars: { restarts: 0, lastRestartMs: undefined },
  };
  const initializing = scanInitContainers(p, sidecarNames, state);
  if (!initializing || hasCondition(p, 'Initialized', 'True')) scanAppContainers(p, state);
  return {
    ready: `${state.ready}/${total}`,
    status: applyDeletion(p, state.reason),
    restarts: restartsText(state.all, nowMs),
  };
}

