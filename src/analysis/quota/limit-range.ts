// SPDX-License-Identifier: Apache-2.0
// LimitRange audit (REQUIREMENTS §3.10): namespaces without a LimitRange, containers outside a Container item's
// min/max, limit ÷ request ratios above maxLimitRequestRatio, and the defaults a container without requests or
// limits would get. Containers are checked against what they declare; a value the LimitRange would default is
// reported as a default, not as a violation.
import type { ContainerSpec, LimitRange, Pod, ResourceValues } from '../../domain/resources.ts';
import type { Severity } from '../severity.ts';

export interface LimitRangeFinding {
  readonly namespace: string;
  /** `namespace/pod/container`, or the namespace for namespace-level findings. */
  readonly entity: string;
  readonly rule: 'no-limitrange' | 'below-min' | 'above-max' | 'ratio-above-max';
  readonly severity: Severity;
  readonly text: string;
}

export interface LimitRangeDefaults {
  readonly namespace: string;
  readonly limitRange: string;
  /** `cpu` in millicores, `memory` in bytes. */
  readonly defaultLimits: ResourceValues;
  readonly defaultRequests: ResourceValues;
}

type Res = 'cpu' | 'memory';

const amount = (r: ContainerSpec['requests'], res: Res): number | undefined => (res === 'cpu' ? r.cpuMillicores : r.memoryBytes);

type Item = LimitRange['limits'][number];
type Violation = Pick<LimitRangeFinding, 'rule' | 'severity' | 'text'>;

/** The violations of one resource of one container (absent values are never violations). */
function violations(res: Res, c: ContainerSpec, item: Item): Violation[] {
  const request = amount(c.requests, res) ?? Number.NaN;
  const limit = amount(c.limits, res) ?? Number.NaN;
  const out: Violation[] = [];
  if (request < (item.min[res] ?? -Infinity)) out.push({ rule: 'below-min', severity: 'medium', text: `${res} request is below the LimitRange minimum; the API server rejects such pods.` });
  if (limit > (item.max[res] ?? Infinity)) out.push({ rule: 'above-max', severity: 'medium', text: `${res} limit is above the LimitRange maximum; the API server rejects such pods.` });
  const ratio = item.maxLimitRequestRatio[res] ?? Infinity;
  if (request > 0 && limit / request > ratio) {
    out.push({ rule: 'ratio-above-max', severity: 'low', text: `${res} limit ÷ request is ${(limit / request).toFixed(1)}, above maxLimitRequestRatio ${ratio} (2–4× is the usual range).` });
  }
  return out;
}

function containerFindings(pod: Pod, c: ContainerSpec, item: Item): LimitRangeFinding[] {
  const base = { namespace: pod.namespace, entity: `${pod.namespace}/${pod.name}/${c.name}` };
  return (['cpu', 'memory'] as const).flatMap((res) => violations(res, c, item).map((v) => ({ ...base, ...v })));
}

/** Audits every namespace in `namespaces` against its LimitRanges and pods. */
export function auditLimitRanges(input: { readonly namespaces: readonly string[]; readonly limitRanges: readonly LimitRange[]; readonly pods: readonly Pod[] }): {
  findings: LimitRangeFinding[];
  defaults: LimitRangeDefaults[];
} {
  const findings: LimitRangeFinding[] = [];
  const defaults: LimitRangeDefaults[] = [];
  for (const ns of input.namespaces) {
    const ranges = input.limitRanges.filter((l) => l.namespace === ns);
    if (ranges.length === 0) {
      findings.push({ namespace: ns, entity: ns, rule: 'no-limitrange', severity: 'info', text: 'No LimitRange: containers without requests get none (BestEffort) and are evicted first.' });
      continue;
    }
    const containers = input.pods.filter((p) => p.namespace === ns).flatMap((pod) => pod.containers.map((c) => ({ pod, c })));
    const items = ranges.flatMap((lr) => lr.limits.filter((i) => i.type === 'Container').map((item) => ({ lr, item })));
    for (const { lr, item } of items) {
      defaults.push({ namespace: ns, limitRange: lr.name, defaultLimits: item.default, defaultRequests: item.defaultRequest });
      findings.push(...containers.flatMap(({ pod, c }) => containerFindings(pod, c, item)));
    }
  }
  return { findings, defaults };
}
