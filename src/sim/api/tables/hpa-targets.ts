// SPDX-License-Identifier: Apache-2.0
// The TARGETS cell of a HorizontalPodAutoscaler (autoscaling/v2 shapes): `cpu: 45%/80%`, `memory: 200Mi/256Mi`,
// `1200m/1 (avg)` for object and external metrics. Like upstream, spec.metrics[i] is paired with
// status.currentMetrics[i] by position, unknown current values print as `<unknown>`, a utilization target left
// unset prints `<auto>`, and only the first two metrics are listed (`... + 1 more...`).
import { at, rec, recs, str } from './fields.ts';
import type { JsonRecord } from './fields.ts';

const UNKNOWN = '<unknown>';
const MAX_SHOWN = 2;

/** Where each metric source type keeps its spec and status block, in the v2 JSON field names. */
const SOURCE_FIELD: Readonly<Record<string, string>> = {
  Resource: 'resource',
  ContainerResource: 'containerResource',
  Pods: 'pods',
  Object: 'object',
  External: 'external',
};

function present(v: unknown): boolean {
  return v !== undefined && v !== null;
}

function text(v: unknown, fallback: string): string {
  if (typeof v === 'number') return String(v);
  const s = str(v);
  return s === '' ? fallback : s;
}

function resourceMetric(source: JsonRecord, status: JsonRecord | undefined): string {
  const name = str(source['name']);
  const target = rec(source['target']);
  const current = rec(status?.['current']);
  if (present(target['averageValue'])) {
    return `${name}: ${text(current['averageValue'], UNKNOWN)}/${text(target['averageValue'], '0')}`;
  }
  const cur = present(current['averageUtilization']) ? `${text(current['averageUtilization'], '0')}%` : UNKNOWN;
  const tgt = present(target['averageUtilization']) ? `${text(target['averageUtilization'], '0')}%` : '<auto>';
  return `${name}: ${cur}/${tgt}`;
}

/** Object and External metrics: an average-value target gets the ` (avg)` suffix. */
function valueMetric(source: JsonRecord, status: JsonRecord | undefined): string {
  const target = rec(source['target']);
  const current = rec(status?.['current']);
  if (present(target['averageValue'])) {
    return `${text(current['averageValue'], UNKNOWN)}/${text(target['averageValue'], '0')} (avg)`;
  }
  const cur = status === undefined ? UNKNOWN : text(current['value'], UNKNOWN);
  return `${cur}/${text(target['value'], '0')}`;
}

function formatMetric(spec: JsonRecord, statusEntry: JsonRecord | undefined): string {
  const type = str(spec['type']);
  const field = SOURCE_FIELD[type];
  if (field === undefined) return '<unknown type>';
  const source = rec(spec[field]);
  const status = statusEntry !== undefined && present(statusEntry[field]) ? rec(statusEntry[field]) : undefined;
  switch (type) {
    case 'Resource':
    case 'ContainerResource':
      return resourceMetric(source, status);
    case 'Pods':
      return `${text(at(status, 'current', 'averageValue'), UNKNOWN)}/${text(at(source, 'target', 'averageValue'), '0')}`;
    default:
      return valueMetric(source, status);
  }
}

export function formatHpaTargets(hpa: unknown): string {
  const specs = recs(at(hpa, 'spec', 'metrics'));
  if (specs.length === 0) return '<none>';
  const statuses = recs(at(hpa, 'status', 'currentMetrics'));
  const list = specs.map((spec, i) => formatMetric(spec, statuses[i]));
  const shown = list.slice(0, MAX_SHOWN).join(', ');
  return list.length > MAX_SHOWN ? `${shown} + ${list.length - MAX_SHOWN} more...` : shown;
}
