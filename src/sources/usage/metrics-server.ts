// SPDX-License-Identifier: Apache-2.0
// Usage from metrics-server (`metrics.k8s.io/v1beta1`): one cluster-wide GET of PodMetrics (metrics-server does not
// paginate) and one of NodeMetrics. metrics-server knows CPU and the memory working set only; RSS, throttling,
// filesystems and volumes stay absent. A pod whose `timestamp` has not moved since the last collect is the same
// scrape again, and is skipped rather than stored twice.
import { parseBytes, parseQuantity } from '../../domain/quantity.ts';
import type { KubeHttp } from '../kube/kube-http.ts';
import { arr, obj, str } from '../kube/raw-access.ts';
import { getKubeJson, getKubeText, parseKubeJson, type KubeJsonRequest } from './kube-json.ts';
import { JsonCursor, NotScanned } from './json-cursor.ts';
import type { CollectRequest, ContainerUsage, MetricsSource, NodeUsage, UsageSnapshot } from './types.ts';

export const METRICS_SERVER_PODS_PATH = '/apis/metrics.k8s.io/v1beta1/pods';
export const METRICS_SERVER_NODES_PATH = '/apis/metrics.k8s.io/v1beta1/nodes';

export interface MetricsServerSourceOptions {
  readonly http: KubeHttp;
  /** Per-request timeout (default 30 s). */
  readonly timeoutMs?: number;
}

/** What the collector reads of one PodMetrics: the rest of the item (labels, window, …) is not read at all. */
interface PodMetricsItem {
  namespace?: string;
  name?: string;
  timestamp?: string;
  readonly containers: { name?: string; cpu?: string; memory?: string }[];
}

interface ParsedUsage {
  readonly cpuCores: number;
  readonly memoryWorkingSetBytes: number;
}

function parsedUsage(cpu: string | undefined, memory: string | undefined): ParsedUsage | undefined {
  const cpuCores = parseQuantity(cpu);
  const memoryWorkingSetBytes = parseBytes(memory);
  if (cpuCores === undefined || memoryWorkingSetBytes === undefined) return undefined;
  return { cpuCores, memoryWorkingSetBytes };
}

function usageOf(value: unknown): ParsedUsage | undefined {
  const u = obj(value);
  return parsedUsage(str(u.cpu), str(u.memory));
}

function timeOrFallback(timestamp: string | undefined, fallbackMs: number): number {
  const ms = Date.parse(timestamp ?? '');
  return Number.isFinite(ms) ? ms : fallbackMs;
}

/** A parsed item (the JSON.parse path) in the shape the scan makes. */
function itemOf(raw: unknown): PodMetricsItem {
  const item = obj(raw);
  const meta = obj(item.metadata);
  const containers = arr(item.containers).map((c) => ({ name: str(obj(c).name), cpu: str(obj(obj(c).usage).cpu), memory: str(obj(obj(c).usage).memory) }));
  return { namespace: str(meta.namespace), name: str(meta.name), timestamp: str(item.timestamp), containers };
}

function scanContainer(cur: JsonCursor): PodMetricsItem['containers'][number] {
  const c: PodMetricsItem['containers'][number] = {};
  cur.object((key) => {
    if (key === 'name') c.name = cur.stringOrSkip();
    else if (key === 'usage') cur.object((k) => (k === 'cpu' ? (c.cpu = cur.stringOrSkip()) : k === 'memory' ? (c.memory = cur.stringOrSkip()) : cur.skip()));
    else cur.skip();
  });
  return c;
}

function scanItem(cur: JsonCursor): PodMetricsItem {
  const item: PodMetricsItem = { containers: [] };
  cur.object((key) => {
    if (key === 'metadata') cur.object((k) => (k === 'name' ? (item.name = cur.stringOrSkip()) : k === 'namespace' ? (item.namespace = cur.stringOrSkip()) : cur.skip()));
    else if (key === 'timestamp') item.timestamp = cur.stringOrSkip();
    else if (key === 'containers') cur.array(() => item.containers.push(scanContainer(cur)));
    else cur.skip();
  });
  return item;
}

/** The items of a PodMetricsList, read by the cursor; undefined when it cannot (JSON.parse then decides). */
function scanPodMetrics(text: string): PodMetricsItem[] | undefined {
  const items: PodMetricsItem[] = [];
  const cur = new JsonCursor(text);
  try {
    cur.object((key) => (key === 'items' ? cur.array(() => items.push(scanItem(cur))) : cur.skip()));
    cur.end();
    return items;
  } catch (err) {
    if (err instanceof NotScanned) return undefined;
    throw err;
  }
}

/** The PodMetrics of the answer: scanned, or parsed when the scan cannot read it (the parse reports bad JSON). */
async function podMetricsItems(http: KubeHttp, req: KubeJsonRequest): Promise<PodMetricsItem[]> {
  const { text } = await getKubeText(http, req);
  const scanned = scanPodMetrics(text);
  if (scanned !== undefined) return scanned;
  return arr(obj(parseKubeJson(text, req.path)).items).map(itemOf);
}

function podContainers(item: PodMetricsItem, tsMs: number): ContainerUsage[] {
  const namespace = item.namespace ?? '';
  const pod = item.name ?? '';
  const out: ContainerUsage[] = [];
  for (const c of item.containers) {
    const usage = parsedUsage(c.cpu, c.memory);
    if (c.name !== undefined && usage !== undefined) out.push({ namespace, pod, container: c.name, tsMs, ...usage });
  }
  return out;
}

function nodeOf(item: unknown, nowMs: number): NodeUsage | undefined {
  const o = obj(item);
  const node = str(obj(o.metadata).name);
  const usage = usageOf(o.usage);
  if (node === undefined || usage === undefined) return undefined;
  return { node, tsMs: timeOrFallback(str(o.timestamp), nowMs), ...usage };
}

/** A MetricsSource over metrics.k8s.io. Rejects (a KubeApiError) when the pods or nodes GET fails. */
export function createMetricsServerSource(opts: MetricsServerSourceOptions): MetricsSource {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  /** `namespace/pod` → the timestamp of its last accepted sample. */
  let lastSeen = new Map<string, number>();

  function containersOf(items: readonly PodMetricsItem[], nowMs: number): ContainerUsage[] {
    const seen = new Map<string, number>();
    const out: ContainerUsage[] = [];
    for (const item of items) {
      const key = `${item.namespace ?? ''}/${item.name ?? ''}`;
      const tsMs = timeOrFallback(item.timestamp, nowMs);
      seen.set(key, tsMs);
      if (lastSeen.get(key) === tsMs) continue;
      for (const c of podContainers(item, tsMs)) out.push(c);
    }
    lastSeen = seen;
    return out;
  }

  return {
    name: 'metrics-server',
    async collect(req: CollectRequest): Promise<UsageSnapshot> {
      const [pods, nodes] = await Promise.all([
        podMetricsItems(opts.http, { path: METRICS_SERVER_PODS_PATH, signal: req.signal, timeoutMs }),
        getKubeJson(opts.http, { path: METRICS_SERVER_NODES_PATH, signal: req.signal, timeoutMs }),
      ]);
      const nodeUsage = arr(obj(nodes).items)
        .map((n) => nodeOf(n, req.nowMs))
        .filter((n): n is NodeUsage => n !== undefined);
      const containers = containersOf(pods, req.nowMs);
      return { source: 'metrics-server', collectedAtMs: req.nowMs, containers, nodes: nodeUsage, volumes: [], errors: [] };
    },
  };
}
