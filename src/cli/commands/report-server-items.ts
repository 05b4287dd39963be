// SPDX-License-Identifier: Apache-2.0
// The wire items of `/api/v1/findings` and `/api/v1/recommendations` (snake_case, nulls for absent values; see
// src/api/routes/findings.ts) back into the report's shapes. An item that lacks a required field is an error of the
// server's answer, not a finding to skip silently.
import type { Confidence } from '../../analysis/confidence.ts';
import type { AnalysisName, Evidence, Finding, FindingEntityKind } from '../../analysis/findings.ts';
import type { Resources } from '../../analysis/rightsizing/types.ts';
import type { Severity } from '../../analysis/severity.ts';
import { AppError } from '../../errors/app-error.ts';
import { obj, str } from '../../sources/kube/raw-access.ts';
import type { ReportRecommendation } from './report-model.ts';

type Raw = Readonly<Record<string, unknown>>;

function required(item: Raw, key: string): string {
  const v = str(item[key]);
  if (v === undefined) throw new AppError('KRM_REPORT_SERVER_FAILED', `an item of the monitor's answer has no ${key}: ${JSON.stringify(item).slice(0, 200)}`);
  return v;
}

const optional = (v: unknown): string | undefined => str(v) ?? undefined;
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** One `/api/v1/findings` item as a Finding of `cluster`. */
export function findingFromWire(raw: unknown, cluster: string): Finding {
  const item = obj(raw);
  const entity = obj(item.entity);
  const seen = Date.parse(str(item.last_seen_at) ?? '');
  return {
    cluster,
    analysis: required(item, 'analysis') as AnalysisName,
    rule: required(item, 'rule'),
    entity: {
      kind: required(entity, 'kind') as FindingEntityKind,
      name: required(entity, 'name'),
      ...(optional(entity.namespace) === undefined ? {} : { namespace: optional(entity.namespace) }),
      ...(optional(entity.container) === undefined ? {} : { container: optional(entity.container) }),
    },
    severity: required(item, 'severity') as Severity,
    title: required(item, 'title'),
    explanation: required(item, 'explanation'),
    action: required(item, 'action'),
    confidence: required(item, 'confidence') as Confidence,
    evidence: obj(item.evidence) as Evidence,
    detectedAtMs: Number.isNaN(seen) ? 0 : seen,
  };
}

function resourcesOf(raw: unknown): Resources | undefined {
  if (raw === null || raw === undefined) return undefined;
  const r = obj(raw);
  const out: { cpuRequest?: number; cpuLimit?: number; memRequest?: number; memLimit?: number } = {};
  const cpuRequest = num(r.cpu_request_millicores);
  const cpuLimit = num(r.cpu_limit_millicores);
  const memRequest = num(r.memory_request_bytes);
  const memLimit = num(r.memory_limit_bytes);
  if (cpuRequest !== undefined) out.cpuRequest = cpuRequest;
  if (cpuLimit !== undefined) out.cpuLimit = cpuLimit;
  if (memRequest !== undefined) out.memRequest = memRequest;
  if (memLimit !== undefined) out.memLimit = memLimit;
  return out;
}

/** One `/api/v1/recommendations` item; undefined for one without enough data (not printed, as in local modes). */
export function recommendationFromWire(raw: unknown): ReportRecommendation | undefined {
  const item = obj(raw);
  if (str(item.status) !== 'ok') return undefined;
  const workload = obj(item.workload);
  const savings = num(item.monthly_savings);
  return {
    namespace: required(item, 'namespace'),
    workload: `${required(workload, 'kind')}/${required(workload, 'name')}`,
    container: required(item, 'container'),
    strategy: required(item, 'strategy'),
    severity: required(item, 'severity') as Severity,
    confidence: required(item, 'confidence') as Confidence,
    current: resourcesOf(item.current) ?? {},
    ...(resourcesOf(item.recommended) === undefined ? {} : { recommended: resourcesOf(item.recommended) }),
    ...(savings === undefined ? {} : { monthlySavings: savings }),
    explanation: required(item, 'explanation'),
  };
}
