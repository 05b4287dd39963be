// SPDX-License-Identifier: Apache-2.0
// `GET /api/v1/pods`: the watched pods with their requests, limits and the latest usage of the last collection.
// Filters: namespace, node, phase, labelSelector (equality, inequality, existence, `in`, `notin`); sort by name
// (default), cpu or memory usage (highest first); cursor pagination with `limit` and an opaque `continue` token.
import type { FastifyInstance } from 'fastify';
import type { ClusterView } from '../../domain/kube-ports.ts';
import type { Pod } from '../../domain/resources.ts';
import { AppError } from '../../errors/app-error.ts';

/** Usage of a pod or node at the last collection. */
export interface UsageNow {
  readonly cpuMillicores: number;
  /** Memory working set in bytes. */
  readonly memoryBytes: number;
}

/** The last collection's usage, kept in memory by the collector. */
export interface LatestUsage {
  pod(namespace: string, name: string): UsageNow | undefined;
  node(name: string): UsageNow | undefined;
  /** When the last successful collection ended (epoch ms); undefined before one. */
  collectedAtMs(): number | undefined;
}

/** What the usage routes read. */
export interface UsageRouteDeps {
  readonly cluster: ClusterView;
  readonly usage: LatestUsage;
}

/** Summed container requests and limits of a pod (init containers not counted). */
export interface PodTotals {
  readonly cpuRequest: number;
  readonly cpuLimit: number;
  readonly memoryRequest: number;
  readonly memoryLimit: number;
}

export const POD_PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'] as const;
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

export function podTotals(pod: Pod): PodTotals {
  let cpuRequest = 0;
  let cpuLimit = 0;
  let memoryRequest = 0;
  let memoryLimit = 0;
  for (const c of pod.containers) {
    cpuRequest += c.requests.cpuMillicores ?? 0;
    cpuLimit += c.limits.cpuMillicores ?? 0;
    memoryRequest += c.requests.memoryBytes ?? 0;
    memoryLimit += c.limits.memoryBytes ?? 0;
  }
  return { cpuRequest, cpuLimit, memoryRequest, memoryLimit };
}

/** Pods that hold node resources (not finished). */
export function isActivePod(pod: Pod): boolean {
  return pod.phase !== 'Succeeded' && pod.phase !== 'Failed';
}

export function badRequest(message: string, details: Record<string, unknown>): AppError {
  return new AppError('KRM_API_BAD_REQUEST', message, { details });
}

type Requirement = (labels: Readonly<Record<string, string>>) => boolean;

const SET_RE = /^([A-Za-z0-9./_-]+)\s+(in|notin)\s+\(([^)]*)\)$/;
const EQ_RE = /^([A-Za-z0-9./_-]+)\s*(==|=|!=)\s*([A-Za-z0-9._-]*)$/;
const EXISTS_RE = /^(!?)([A-Za-z0-9./_-]+)$/;

function setRequirement(term: string): Requirement | undefined {
  const m = SET_RE.exec(term);
  if (!m) return undefined;
  const [, key = '', op, list = ''] = m;
  const values = new Set(list.split(',').map((v) => v.trim()));
  return op === 'in' ? (l) => values.has(l[key] ?? '\u0000') : (l) => !values.has(l[key] ?? '\u0000');
}

function equalityRequirement(term: string): Requirement | undefined {
  const m = EQ_RE.exec(term);
  if (!m) return undefined;
  const [, key = '', op, value] = m;
  return op === '!=' ? (l) => l[key] !== value : (l) => l[key] === value;
}

function existsRequirement(term: string): Requirement | undefined {
  const m = EXISTS_RE.exec(term);
  if (!m) return undefined;
  const [, not, key = ''] = m;
  return not === '!' ? (l) => !(key in l) : (l) => key in l;
}

function parseRequirement(term: string): Requirement {
  const r = setRequirement(term) ?? equalityRequirement(term) ?? existsRequirement(term);
  if (r === undefined) throw badRequest('labelSelector is not a valid label selector.', { parameter: 'labelSelector', term });
  return r;
}

/** Splits on commas outside parentheses. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(current.trim());
      current = '';
    } else current += ch;
  }
  terms.push(current.trim());
  return terms.filter((t) => t.length > 0);
}

/** Parses a Kubernetes label selector; throws KRM_API_BAD_REQUEST when malformed. */
export function parseLabelSelector(selector: string): Requirement {
  const requirements = splitTerms(selector).map(parseRequirement);
  return (labels) => requirements.every((r) => r(labels));
}

type SortKey = 'name' | 'cpu' | 'memory';

interface PodQuery {
  readonly namespace?: string;
  readonly node?: string;
  readonly phase?: string;
  readonly selector?: Requirement;
  readonly sort: SortKey;
  readonly limit: number;
  readonly offset: number;
}

type RawQuery = Readonly<Record<string, unknown>>;

function stringParam(query: RawQuery, name: string): string | undefined {
  const v = query[name];
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string') throw badRequest(`${name} must be given once.`, { parameter: name });
  return v;
}

function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_LIMIT;
  const n = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_LIMIT) {
    throw badRequest(`limit must be an integer from 1 to ${MAX_LIMIT}.`, { parameter: 'limit', value: raw });
  }
  return n;
}

function parseSort(raw: string | undefined): SortKey {
  if (raw === undefined || raw === 'name' || raw === 'cpu' || raw === 'memory') return raw ?? 'name';
  throw badRequest('sort must be one of name, cpu, memory.', { parameter: 'sort', value: raw });
}

function parsePhase(raw: string | undefined): string | undefined {
  if (raw === undefined || (POD_PHASES as readonly string[]).includes(raw)) return raw;
  throw badRequest(`phase must be one of ${POD_PHASES.join(', ')}.`, { parameter: 'phase', value: raw });
}

/** The cursor carries the offset and the sort it belongs to. */
export function encodeCursor(offset: number, sort: string): string {
  return Buffer.from(JSON.stringify({ o: offset, s: sort })).toString('base64url');
}

function decodeCursor(raw: string | undefined, sort: SortKey): number {
  if (raw === undefined) return 0;
  try {
    const v = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { o?: unknown; s?: unknown };
    if (typeof v.o === 'number' && Number.isInteger(v.o) && v.o >= 0 && v.s === sort) return v.o;
  } catch {
    // fall through to the error below
  }
  throw badRequest('continue is not a cursor of this query.', { parameter: 'continue' });
}

function parsePodQuery(query: RawQuery): PodQuery {
  const sort = parseSort(stringParam(query, 'sort'));
  const selectorText = stringParam(query, 'labelSelector');
  return {
    namespace: stringParam(query, 'namespace'),
    node: stringParam(query, 'node'),
    phase: parsePhase(stringParam(query, 'phase')),
    ...(selectorText === undefined ? {} : { selector: parseLabelSelector(selectorText) }),
    sort,
    limit: parseLimit(stringParam(query, 'limit')),
    offset: decodeCursor(stringParam(query, 'continue'), sort),
  };
}

function matches(pod: Pod, q: PodQuery): boolean {
  if (q.node !== undefined && pod.nodeName !== q.node) return false;
  if (q.phase !== undefined && pod.phase !== q.phase) return false;
  return q.selector === undefined || q.selector(pod.labels);
}

function restarts(pod: Pod): number {
  return pod.containerStatuses.reduce((sum, s) => sum + s.restartCount, 0);
}

function podItem(pod: Pod, deps: UsageRouteDeps) {
  const t = podTotals(pod);
  const u = deps.usage.pod(pod.namespace, pod.name);
  const workload = deps.cluster.workloadOf(pod);
  return {
    namespace: pod.namespace,
    name: pod.name,
    node: pod.nodeName ?? null,
    phase: pod.phase,
    qos_class: pod.qosClass ?? null,
    workload: { kind: workload.kind, name: workload.name },
    containers: pod.containers.length,
    restarts: restarts(pod),
    created_at: pod.createdAtMs === undefined ? null : new Date(pod.createdAtMs).toISOString(),
    cpu: { usage_millicores: u?.cpuMillicores ?? null, request_millicores: t.cpuRequest, limit_millicores: t.cpuLimit },
    memory: { usage_bytes: u?.memoryBytes ?? null, request_bytes: t.memoryRequest, limit_bytes: t.memoryLimit },
  };
}

type PodItem = ReturnType<typeof podItem>;

function compareItems(sort: SortKey): (a: PodItem, b: PodItem) => number {
  const byName = (a: PodItem, b: PodItem): number => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name);
  if (sort === 'name') return byName;
  const value = (i: PodItem): number => (sort === 'cpu' ? i.cpu.usage_millicores : i.memory.usage_bytes) ?? -1;
  return (a, b) => value(b) - value(a) || byName(a, b);
}

/** Registers `GET /api/v1/pods`. */
export function podRoutes(app: FastifyInstance, deps: UsageRouteDeps): void {
  app.get('/api/v1/pods', async (request) => {
    const q = parsePodQuery(request.query as RawQuery);
    const items = deps.cluster
      .list('pods', q.namespace)
      .filter((p) => matches(p, q))
      .map((p) => podItem(p, deps))
      .sort(compareItems(q.sort));
    const page = items.slice(q.offset, q.offset + q.limit);
    const next = q.offset + q.limit;
    const collectedAt = deps.usage.collectedAtMs();
    return {
      items: page,
      total: items.length,
      continue: next < items.length ? encodeCursor(next, q.sort) : null,
      collected_at: collectedAt === undefined ? null : new Date(collectedAt).toISOString(),
    };
  });
}
