// SPDX-License-Identifier: Apache-2.0
// HorizontalPodAutoscalers (autoscaling/v2) and PodDisruptionBudgets (policy/v1) with the status their
// controllers report. An HPA stuck at its maximum shows desired = current = maxReplicas, utilization above target
// and ScalingLimited=True (TooManyReplicas).
import type { Condition, HorizontalPodAutoscaler, PodDisruptionBudget } from '../kube-types.ts';
import type { WorkloadPlan } from './plan.ts';
import type { Rng } from './rng.ts';
import { countGroup } from './controller-common.ts';
import { podLabels } from './plan-helpers.ts';
import { formatCpu } from './quantity.ts';
import { iso } from './time.ts';

function hpaCond(type: string, ok: boolean, c: { reason: string; message: string; atMs: number }): Condition {
  return { type, status: ok ? 'True' : 'False', lastTransitionTime: iso(c.atMs), reason: c.reason, message: c.message };
}

export function hpaObject(w: WorkloadPlan, rng: Rng, nowMs: number): HorizontalPodAutoscaler | undefined {
  const h = w.template.hpa;
  if (!h) return undefined;
  const utilization = h.currentCpuPercent ?? Math.round(h.stuckAtMax ? h.targetCpuPercent * rng.between(1.4, 1.9) : h.targetCpuPercent * rng.between(0.55, 0.95));
  const requestCores = (w.groups[w.groups.length - 1]?.rt.cpuMilli ?? 0) / 1000;
  const created = w.createdMs + 60_000;
  const limited = h.stuckAtMax
    ? hpaCond('ScalingLimited', true, { reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count', atMs: nowMs - rng.between(2, 40) * 3_600_000 })
    : hpaCond('ScalingLimited', false, { reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range', atMs: created + 30_000 });
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: w.name, namespace: w.ns.name, creationTimestamp: iso(created) },
    spec: {
      maxReplicas: h.max,
      metrics: [{ resource: { name: 'cpu', target: { averageUtilization: h.targetCpuPercent, type: 'Utilization' } }, type: 'Resource' }],
      minReplicas: h.min,
      scaleTargetRef: { apiVersion: 'apps/v1', kind: w.template.kind, name: w.name },
    },
    status: {
      conditions: [
        hpaCond('AbleToScale', true, { reason: 'ReadyForNewScale', message: 'recommended size matches current size', atMs: created + 30_000 }),
        hpaCond('ScalingActive', true, { reason: 'ValidMetricFound', message: 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)', atMs: created + 30_000 }),
        limited,
      ],
      currentMetrics: [{ resource: { current: { averageUtilization: utilization, averageValue: formatCpu((requestCores * utilization) / 100) }, name: 'cpu' }, type: 'Resource' }],
      currentReplicas: w.replicas,
      desiredReplicas: w.replicas,
      lastScaleTime: iso(Math.max(created, nowMs - rng.between(1, 48) * 3_600_000)),
    },
  };
}

function resolveCount(v: number | string, expected: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  const pct = Number(v.replace('%', '')) / 100;
  return roundUp ? Math.ceil(pct * expected) : Math.floor(pct * expected);
}

export function pdbObject(w: WorkloadPlan): PodDisruptionBudget | undefined {
  const p = w.template.pdb;
  if (!p) return undefined;
  let expected = 0;
  let healthy = 0;
  for (const g of w.groups) {
    const c = countGroup(g);
    expected += c.replicas;
    healthy += c.ready;
  }
  const desired = p.minAvailable !== undefined ? resolveCount(p.minAvailable, expected, true) : expected - resolveCount(p.maxUnavailable ?? 0, expected, false);
  const allowed = Math.max(0, healthy - desired);
  const created = w.createdMs + 60_000;
  const spec: PodDisruptionBudget['spec'] = { selector: { matchLabels: podLabels(w.template, w.name) } };
  if (p.minAvailable !== undefined) spec.minAvailable = p.minAvailable;
  else spec.maxUnavailable = p.maxUnavailable;
  const condition: Condition = { type: 'DisruptionAllowed', status: allowed > 0 ? 'True' : 'False', lastTransitionTime: iso(created), message: '', observedGeneration: 1, reason: allowed > 0 ? 'SufficientPods' : 'InsufficientPods' };
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: w.name, namespace: w.ns.name, creationTimestamp: iso(created), generation: 1 },
    spec,
    status: { conditions: [condition], currentHealthy: healthy, desiredHealthy: desired, disruptionsAllowed: allowed, expectedPods: expected, observedGeneration: 1 },
  };
}
