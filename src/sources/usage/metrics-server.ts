// SPDX-License-Identifier: Apache-2.0
// Usage from metrics-server (`metrics.k8s.io/v1beta1`): one cluster-wide GET of PodMetrics (metrics-server does not
// paginate; its items are parsed one at a time as the body streams in, json-items.ts says why) and one of
// NodeMetrics. metrics-server knows CPU and the memory working set only; RSS, throttling, filesystems and volumes
// stay absent. A pod whose `timestamp` has not moved since the last collect is the same
// scrape again, and is skipped rather than stored twice.
import { parseBytes, parseQuantity } from '../../domain/quantity.ts';
import type { KubeHttp } from '../kube/kube-http.ts';
import { arr, obj, str } from '../kube/raw-access.ts';
import { KubeApiError } from '../kube/kube-errors.ts';
import { JsonItemStream } from './json-items.ts';
import { getKubeChunks, getKubeJson } from './kube-json.ts';
import type { CollectRequest, ContainerUsage, MetricsSource, NodeUsage, UsageSnapshot } from './types.ts';

export const METRICS_SERVER_PODS_PATH = '/apis/metrics.k8s.io/v1beta1/pods';
export const METRICS_SERVER_NODES_PATH = '/apis/metrics.k8s.io/v1beta1/nodes';

export interface MetricsServerSourceOptions {
  readonly http: KubeHttp;
  /** Per-request timeout (default 30 s). */
  readonly timeoutMs?: number;
}

interface ParsedUsage {
  readonly cpuCores: number;
  readonly memoryWorkingSetBytes: number;
}

function usageOf(value: unknown): ParsedUsage | undefined {
  const u = obj(value);
  const cpuCores = parseQuantity(str(u.cpu));
  const memoryWorkingSetBytes = parseBytes(str(u.memory));
  if (cpuCores === undefined || memoryWorkingSetBytes === undefined) return undefined;
  return { cpuCores, memoryWorkingSetBytes };
}

function timestampMs(item: Readonly<Record<string, unknown>>, fallbackMs: number): number {
  const ms = Date.parse(str(item.timestamp) ?? '');
  return Number.isFinite(ms) ? ms : fallbackMs;
}

function podContainers(item: Readonly<Record<string, unknown>>, tsMs: number): ContainerUsage[] {
  const meta = obj(item.metadata);
  const namespace = str(meta.namespace) ?? '';
  const pod = str(meta.name) ?? '';
  const out: ContainerUsage[] = [];
  for (const c of arr(item.containers)) {
    const container = str(obj(c).name);
    const usage = usageOf(obj(c).usage);
    if (container !== undefined && usage !== undefined) out.push({ namespace, pod, container, tsMs, ...usage });
  }
  return out;
}

function nodeOf(item: unknown, nowMs: number): NodeUsage | undefined {
  const o = obj(item);
  const node = str(obj(o.metadata).name);
  const usage = usageOf(o.usage);
  if (node === undefined || usage === undefined) return undefined;
  return { node, tsMs: timestampMs(o, nowMs), ...usage };
}

/** A MetricsSource over metrics.k8s.io. Rejects (a KubeApiError) when the pods or nodes GET fails. */
export function createMetricsServerSource(opts: MetricsServerSourceOptions): MetricsSource {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  /** `namespace/pod` → the timestamp of its last accepted sample. */
  let lastSeen = new Map<string, number>();

  /** Reads the PodMetrics list as it streams in, one pod at a time; rejects KRM_KUBE_BAD_RESPONSE on a bad body. */
  async function readContainers(req: CollectRequest): Promise<{ containers: ContainerUsage[]; seen: Map<string, number> }> {
    const { signal, nowMs } = req;
    const seen = new Map<string, number>();
    const out: ContainerUsage[] = [];
    const stream = new JsonItemStream((raw) => {
      const item = obj(raw);
      const meta = obj(item.metadata);
      const key = `${str(meta.namespace) ?? ''}/${str(meta.name) ?? ''}`;
      const tsMs = timestampMs(item, nowMs);
      seen.set(key, tsMs);
      if (lastSeen.get(key) !== tsMs) out.push(...podContainers(item, tsMs));
    });
    try {
      // Each chunk's pods are reported as they are parsed, so that the caller stores them while the body still
      // streams in (CollectRequest.onContainers), as it does with the kubelets' answers.
      let reported = 0;
      await getKubeChunks(opts.http, { path: METRICS_SERVER_PODS_PATH, signal, timeoutMs }, (chunk) => {
        stream.push(chunk);
        if (req.onContainers && out.length > reported) req.onContainers(out.slice(reported));
        reported = out.length;
      });
      stream.end();
    } catch (cause) {
      if (!(cause instanceof SyntaxError)) throw cause;
      throw new KubeApiError('KRM_KUBE_BAD_RESPONSE', `${METRICS_SERVER_PODS_PATH}: the body is not a JSON list (${cause.message})`, { status: 200, cause });
    }
    return { containers: out, seen };
  }

  return {
    name: 'metrics-server',
    async collect(req: CollectRequest): Promise<UsageSnapshot> {
      const [pods, nodes] = await Promise.all([
        readContainers(req),
        getKubeJson(opts.http, { path: METRICS_SERVER_NODES_PATH, signal: req.signal, timeoutMs }),
      ]);
      const nodeUsage = arr(obj(nodes).items)
        .map((n) => nodeOf(n, req.nowMs))
        .filter((n): n is NodeUsage => n !== undefined);
      // Taken as seen only once the whole collect succeeds: a failed one may have stored only part of its pods (those
      // reported early), so the next one must not skip any.
      lastSeen = pods.seen;
      return { source: 'metrics-server', collectedAtMs: req.nowMs, containers: pods.containers, nodes: nodeUsage, volumes: [], errors: [] };
    },
  };
}
