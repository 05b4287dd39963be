// SPDX-License-Identifier: Apache-2.0
// The one output shape of every analysis (REQUIREMENTS §3.0): what is wrong with which object, how bad, why in one
// sentence, what to do, and how sure we are. The fingerprint (cluster, analysis, rule, object) identifies a finding
// across runs, so that a store can tell new, continuing and resolved findings apart.
import type { Confidence } from './confidence.ts';
import type { Resources, StrategyName } from './rightsizing/types.ts';
import type { Severity } from './severity.ts';

export const ANALYSES = ['rightsizing', 'oom-risk', 'throttling', 'leak', 'anomaly', 'pvc', 'quota', 'node', 'capacity', 'cost'] as const;
export type AnalysisName = (typeof ANALYSES)[number];

export type FindingEntityKind = 'container' | 'pod' | 'workload' | 'namespace' | 'node' | 'pvc' | 'quota' | 'tenant' | 'cluster';

/** The object a finding is about. Workloads are `{kind: 'workload', namespace, name: 'Kind/name'}`. */
export interface FindingEntity {
  readonly kind: FindingEntityKind;
  readonly namespace?: string;
  readonly name: string;
  /** Container name, for container findings (the workload is `name`). */
  readonly container?: string;
}

/** Numbers and facts behind a finding; values are plain JSON scalars. */
export type Evidence = Readonly<Record<string, number | string | boolean | null>>;

export interface Finding {
  readonly cluster: string;
  readonly analysis: AnalysisName;
  /** Rule within the analysis, e.g. `memory-leak`, `leak-across-restarts`, `throttling-high`, `oversized`. */
  readonly rule: string;
  readonly entity: FindingEntity;
  readonly severity: Severity;
  /** Short title, e.g. "Memory leak". */
  readonly title: string;
  /** One sentence: what was seen, with the numbers that matter. */
  readonly explanation: string;
  /** The recommended action, one sentence. */
  readonly action: string;
  readonly confidence: Confidence;
  readonly evidence: Evidence;
  /** When the analysis run that produced it evaluated (epoch ms). */
  readonly detectedAtMs: number;
}

/** `(cluster, analysis, rule, object)` as one string. */
export function fingerprintOf(f: Pick<Finding, 'cluster' | 'analysis' | 'rule' | 'entity'>): string {
  const e = f.entity;
  return [f.cluster, f.analysis, f.rule, e.kind, e.namespace ?? '', e.name, e.container ?? ''].join('|');
}

/** One rightsizing recommendation per workload container (pods pooled). */
export interface RightsizingRecommendation {
  readonly cluster: string;
  readonly namespace: string;
  readonly workload: { readonly kind: string; readonly name: string };
  readonly container: string;
  readonly strategy: StrategyName;
  readonly status: 'ok' | 'not-enough-data';
  readonly current: Resources;
  readonly recommended?: Resources;
  /** Money saved per month by the recommended requests (negative: extra cost); absent without prices. */
  readonly monthlySavings?: number;
  readonly severity: Severity;
  readonly confidence: Confidence;
  readonly explanation: string;
  /** Strategic merge patch of the container's resources, YAML; absent without a recommendation. */
  readonly patch?: string;
  readonly notes: readonly string[];
  readonly detectedAtMs: number;
}
