// SPDX-License-Identifier: Apache-2.0
// metrics.k8s.io objects projected to usage: the PodMetrics list read item by item as its body arrives (json-items.ts
// says why), and NodeMetrics. Pure, so that it runs in the decode worker (decode-worker.ts) as well as in the calling
// thread. metrics-server knows CPU and the memory working set only.
import { parseBytes, parseQuantity } from '../../domain/quantity.ts';
import { arr, obj, str } from '../kube/raw-access.ts';
import { JsonItemStream } from './json-items.ts';
import type { ContainerUsage, NodeUsage } from './types.ts';

/** One PodMetrics item: its namespace and name, its sample time and its containers' usage. */
export interface PodMetricsItem {
  readonly namespace: string;
  readonly pod: string;
  readonly tsMs: number;
  readonly containers: ContainerUsage[];
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

/** A PodMetrics item (`nowMs` stands in for a missing or bad timestamp). */
export function podMetricsItem(raw: unknown, nowMs: number): PodMetricsItem {
  const item = obj(raw);
  const meta = obj(item.metadata);
  const namespace = str(meta.namespace) ?? '';
  const pod = str(meta.name) ?? '';
  const tsMs = timestampMs(item, nowMs);
  const containers: ContainerUsage[] = [];
  for (const c of arr(item.containers)) {
    const container = str(obj(c).name);
    const usage = usageOf(obj(c).usage);
    if (container !== undefined && usage !== undefined) containers.push({ namespace, pod, container, tsMs, ...usage });
  }
  return { namespace, pod, tsMs, containers };
}

/** A NodeMetrics item, or undefined without a name or usage. */
export function nodeMetricsItem(item: unknown, nowMs: number): NodeUsage | undefined {
  const o = obj(item);
  const node = str(obj(o.metadata).name);
  const usage = usageOf(o.usage);
  if (node === undefined || usage === undefined) return undefined;
  return { node, tsMs: timestampMs(o, nowMs), ...usage };
}

/**
 * A PodMetrics list read chunk by chunk: `push` returns the items each chunk completed. `push` and `end` throw a
 * SyntaxError on a body that is not such a list or ends early.
 */
export class PodMetricsReader {
  private done: PodMetricsItem[] = [];
  private readonly stream: JsonItemStream;

  constructor(nowMs: number) {
    this.stream = new JsonItemStream((raw) => this.done.push(podMetricsItem(raw, nowMs)));
  }

  push(chunk: Uint8Array): PodMetricsItem[] {
    this.stream.push(chunk);
    const out = this.done;
    this.done = [];
    return out;
  }

  end(): void {
    this.stream.end();
  }
}
