// SPDX-License-Identifier: Apache-2.0
// What `krm report` prints, whichever mode produced it (a running monitor's API, a local database, or a one-shot
// read of Prometheus): findings and per-container recommendations, sorted most severe first, plus where they came
// from. The formats (report-format*.ts) render only this shape.
import type { Confidence } from '../../analysis/confidence.ts';
import type { Finding } from '../../analysis/findings.ts';
import type { Resources } from '../../analysis/rightsizing/types.ts';
import { severityRank, SEVERITIES, type Severity } from '../../analysis/severity.ts';
import type { RightsizingRecommendation } from '../../service/analysis/types.ts';

/** One container's rightsizing, flattened for printing. */
export interface ReportRecommendation {
  readonly namespace: string;
  /** The top owner as `Kind/name`. */
  readonly workload: string;
  readonly container: string;
  readonly strategy: string;
  readonly severity: Severity;
  readonly confidence: Confidence;
  readonly current: Resources;
  /** Absent when there was not enough data to recommend. */
  readonly recommended?: Resources;
  /** Per month, in the configured price unit; positive saves, negative costs. */
  readonly monthlySavings?: number;
  readonly explanation: string;
}

export type ReportSource = 'server' | 'database' | 'prometheus';

export interface Report {
  readonly cluster: string;
  readonly generatedAtMs: number;
  readonly source: ReportSource;
  readonly strategy: string;
  readonly windowMs: number;
  readonly findings: readonly Finding[];
  readonly recommendations: readonly ReportRecommendation[];
  /** Prometheus requests the one-shot mode made. */
  readonly prometheusQueries?: number;
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The printable name of a finding's object: `namespace/name/container` with the parts it has. */
export function findingObject(f: Finding): string {
  const e = f.entity;
  return [e.namespace, e.name, e.container].filter((p) => p !== undefined && p !== '').join('/');
}

/** Most severe first, then by object and rule, so that two runs over the same data print the same order. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) => severityRank(b.severity) - severityRank(a.severity) || byName(findingObject(a), findingObject(b)) || byName(a.analysis + a.rule, b.analysis + b.rule),
  );
}

/** Most severe first, then the largest savings, then by name. */
export function sortRecommendations(recs: readonly ReportRecommendation[]): ReportRecommendation[] {
  const key = (r: ReportRecommendation): string => `${r.namespace}/${r.workload}/${r.container}`;
  return [...recs].sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) || (b.monthlySavings ?? 0) - (a.monthlySavings ?? 0) || byName(key(a), key(b)),
  );
}

/** Whether a reported item is in one of the namespaces asked for (none asked: all). */
export function inNamespaces(namespace: string | undefined, only: readonly string[]): boolean {
  return only.length === 0 || (namespace !== undefined && only.includes(namespace));
}

/** The report restricted to the namespaces and sorted: what every format prints. */
export function finishReport(r: Report, namespaces: readonly string[]): Report {
  return {
    ...r,
    findings: sortFindings(r.findings.filter((f) => inNamespaces(f.entity.namespace, namespaces))),
    recommendations: sortRecommendations(r.recommendations.filter((x) => inNamespaces(x.namespace, namespaces))),
  };
}

/** Findings per severity, every severity present (zeros included). */
export function severityCounts(findings: readonly Finding[]): Record<Severity, number> {
  const out = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) out[f.severity]++;
  return out;
}

/** Findings at or above `threshold` (`--fail-on`); none without a threshold. */
export function failingFindings(r: Report, threshold: Severity | undefined): Finding[] {
  if (threshold === undefined) return [];
  const min = severityRank(threshold);
  return r.findings.filter((f) => severityRank(f.severity) >= min);
}

/** True when a finding at or above `threshold` is reported. */
export function tripsFailOn(r: Report, threshold: Severity | undefined): boolean {
  return failingFindings(r, threshold).length > 0;
}

/** A recommendation flattened for printing; those without enough data are left out. */
export function toReportRecommendation(r: RightsizingRecommendation): ReportRecommendation | undefined {
  if (r.status !== 'ok') return undefined;
  return {
    namespace: r.namespace,
    workload: `${r.workload.kind}/${r.workload.name}`,
    container: r.container,
    strategy: r.strategy,
    severity: r.severity,
    confidence: r.confidence,
    current: r.current,
    recommended: r.recommended,
    monthlySavings: r.monthlySavings,
    explanation: r.explanation,
  };
}
