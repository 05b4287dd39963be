// SPDX-License-Identifier: Apache-2.0
// Usage from each kubelet's /stats/summary through the API server's node proxy: per container CPU
// (`usageNanoCores`), working set and RSS; per node CPU, working set and the node filesystem; per PVC the volume
// stats of volumes with a `pvcRef`. The summary has no CFS counters, so each node's /metrics/cadvisor is read too
// for the containers' throttling ratio (kubelet-cadvisor.ts). Nodes are asked concurrently, each request with its
// own timeout, and a node that fails is an error value in the snapshot rather than a failed collect; a node whose
// summary answers but whose cAdvisor endpoint fails keeps its usage without throttling.
import type { KubeHttp } from '../kube/kube-http.ts';
import { KubeApiError } from '../kube/kube-errors.ts';
import { inlineDecoder, type UsageDecoder } from './decoder.ts';
import { cadvisorPath, ThrottleTracker } from './kubelet-cadvisor.ts';
import { ContainerParts } from './container-parts.ts';
import { collectErrorOf, getKubeBytes } from './kube-json.ts';
import type { NodeSummaryUsage } from './summary-decode.ts';
import type { CollectError, CollectRequest, ContainerUsage, MetricsSource, NodeUsage, UsageSnapshot, VolumeUsage } from './types.ts';

// Kubelets answer in parallel on their own machines; the per-second budget (collection.kubeletQps) is the bound.
export const KUBELET_CONCURRENCY = 32;
export const KUBELET_TIMEOUT_MS = 10_000;
/**
 * Nodes per cycle whose full summary and cAdvisor counters are read. A full summary is about four times the
 * `only_cpu_and_memory` form and /metrics/cadvisor several times more again: asking 5,000 nodes for both every
 * minute is most of the cycle, and load on the API server's proxy. Up to this many nodes, every node is read in full
 * every cycle; beyond it the nodes take turns (5,000 nodes: each every 20 cycles), and the others answer the cheap
 * form, which has all CPU and memory figures. Volumes, filesystems and throttling change slowly, and the throttling
 * ratio is taken between two reads of the same node, so it covers the turn's whole interval.
 */
export const KUBELET_FULL_NODES_PER_CYCLE = 250;

export interface KubeletSummarySourceOptions {
  readonly http: KubeHttp;
  /** The node names to ask (the cluster cache's nodes). */
  readonly nodes: () => readonly string[];
  readonly concurrency?: number;
  readonly timeoutMs?: number;
  /** Read /metrics/cadvisor for the throttling ratio (default true; one more request per fully read node). */
  readonly throttling?: boolean;
  /** Nodes read in full per cycle (default {@link KUBELET_FULL_NODES_PER_CYCLE}). */
  readonly fullNodesPerCycle?: number;
  /** Where the bodies are parsed (default: the calling thread). */
  readonly decoder?: UsageDecoder;
}

/** The node's summary path; `full` false asks for the CPU-and-memory form (`only_cpu_and_memory=true`). */
export function summaryPath(node: string, full = true): string {
  const path = `/api/v1/nodes/${encodeURIComponent(node)}/proxy/stats/summary`;
  return full ? path : `${path}?only_cpu_and_memory=true`;
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Sets each container's throttling ratio from the node's cAdvisor counters (containers without one keep none). */
function withThrottling(containers: readonly ContainerUsage[], ratios: ReadonlyMap<string, number>): ContainerUsage[] {
  return containers.map((c) => {
    const ratio = ratios.get(`${c.namespace}/${c.pod}/${c.container}`);
    return ratio === undefined ? c : { ...c, throttledRatio: ratio };
  });
}

interface NodeRead {
  readonly http: KubeHttp;
  readonly req: CollectRequest;
  readonly timeoutMs: number;
  readonly tracker?: ThrottleTracker;
  readonly decoder: UsageDecoder;
}

/** One node's summary, decoded; a body that is not JSON is KRM_KUBE_BAD_RESPONSE. */
async function summaryOf(name: string, r: NodeRead & { full: boolean }): Promise<NodeSummaryUsage> {
  const path = summaryPath(name, r.full);
  const body = await getKubeBytes(r.http, { path, signal: r.req.signal, timeoutMs: r.timeoutMs });
  try {
    return await r.decoder.summary(body, name, r.req.nowMs);
  } catch (cause) {
    if (!(cause instanceof SyntaxError)) throw cause;
    throw new KubeApiError('KRM_KUBE_BAD_RESPONSE', `${path}: the body is not JSON`, { status: 200, cause });
  }
}

/**
 * One node's summary (`full`: the whole document and its throttling when tracked; otherwise the CPU-and-memory form).
 * A cAdvisor failure is returned as an error value.
 */
async function readNode(name: string, r: NodeRead & { full: boolean }): Promise<NodeSummaryUsage & { error?: CollectError }> {
  const part = await summaryOf(name, r);
  if (r.tracker === undefined || !r.full) return part;
  try {
    const body = await getKubeBytes(r.http, { path: cadvisorPath(name), signal: r.req.signal, timeoutMs: r.timeoutMs });
    return { ...part, containers: withThrottling(part.containers, r.tracker.update(name, await r.decoder.cfsCounters(body))) };
  } catch (err) {
    r.req.signal.throwIfAborted();
    return { ...part, error: collectErrorOf(err, `node/${name}/cadvisor`) };
  }
}

/** A MetricsSource over the kubelets' summaries. Resolves with per-node errors; rejects only when aborted. */
export function createKubeletSummarySource(opts: KubeletSummarySourceOptions): MetricsSource {
  const limit = opts.concurrency ?? KUBELET_CONCURRENCY;
  const timeoutMs = opts.timeoutMs ?? KUBELET_TIMEOUT_MS;
  const tracker = opts.throttling === false ? undefined : new ThrottleTracker();
  const decoder = opts.decoder ?? inlineDecoder();
  const perCycle = Math.max(1, opts.fullNodesPerCycle ?? KUBELET_FULL_NODES_PER_CYCLE);
  let round = 0;
  return {
    name: 'kubelet',
    async collect(req: CollectRequest): Promise<UsageSnapshot> {
      const nodes: NodeUsage[] = [];
      const containers = new ContainerParts(req.onContainers);
      const volumes: VolumeUsage[] = [];
      const errors: CollectError[] = [];
      const names = opts.nodes();
      tracker?.retain(new Set(names));
      const read: NodeRead = { http: opts.http, req, timeoutMs, decoder, ...(tracker === undefined ? {} : { tracker }) };
      // Node i is read in full when its turn comes: every `turns` cycles, in the order the cluster lists nodes.
      const turns = Math.max(1, Math.ceil(names.length / perCycle));
      const turn = round++ % turns;
      const work = names.map((name, i) => ({ name, full: i % turns === turn }));
      await forEachLimited(work, limit, async ({ name, full }) => {
        try {
          const part = await readNode(name, { ...read, full });
          if (part.node) nodes.push(part.node);
          containers.add(part.containers);
          volumes.push(...part.volumes);
          if (part.error) errors.push(part.error);
        } catch (err) {
          req.signal.throwIfAborted();
          errors.push(collectErrorOf(err, `node/${name}`));
        }
      });
      return { source: 'kubelet', collectedAtMs: req.nowMs, ...containers.snapshot(), nodes, volumes, errors };
    },
  };
}
