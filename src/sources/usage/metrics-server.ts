// SPDX-License-Identifier: Apache-2.0
// Usage from metrics-server (`metrics.k8s.io/v1beta1`): one cluster-wide GET of PodMetrics (metrics-server does not
// paginate; its items are parsed one at a time as the body streams in, json-items.ts says why) and one of
// NodeMetrics. metrics-server knows CPU and the memory working set only; RSS, throttling, filesystems and volumes
// stay absent. A pod whose `timestamp` has not moved since the last collect is the same
// scrape again, and is skipped rather than stored twice.
import { PodSlots } from '../../domain/pod-slots.ts';
import type { KubeHttp } from '../kube/kube-http.ts';
import { arr, obj } from '../kube/raw-access.ts';
import { KubeApiError } from '../kube/kube-errors.ts';
import { inlineDecoder, type UsageDecoder } from './decoder.ts';
import { getKubeChunks, getKubeJson } from './kube-json.ts';
import { whenAborted } from '../../runtime/when-aborted.ts';
import { ContainerParts } from './container-parts.ts';
import { nodeMetricsItem } from './pod-metrics-decode.ts';
import type { CollectRequest, ContainerUsage, MetricsSource, NodeUsage, UsageSnapshot } from './types.ts';

export const METRICS_SERVER_PODS_PATH = '/apis/metrics.k8s.io/v1beta1/pods';
export const METRICS_SERVER_NODES_PATH = '/apis/metrics.k8s.io/v1beta1/nodes';

export interface MetricsServerSourceOptions {
  readonly http: KubeHttp;
  /** Per-request timeout (default 30 s). */
  readonly timeoutMs?: number;
  /** Where the PodMetrics list is parsed (default: the calling thread). */
  readonly decoder?: UsageDecoder;
}

/**
 * The sample time of each pod, kept from collect to collect (by namespace and name, no key string per pod, and one
 * slot per pod for its life rather than a new map of 150,000 entries a minute; numbers as columns: pod-slots.ts):
 * the one the last successful collect stored, and the one the collect in progress read. A collect's reads count as
 * stored only once it succeeds: a failed one may have stored only part of its pods (those reported early), so the
 * next one must not skip any.
 */
class SeenPods {
  private readonly pods = new PodSlots(['stored', 'read', 'collect'] as const);
  private collect = 0;

  /** Starts a collect; its number goes with its reads and its commit. */
  begin(): number {
    return ++this.collect;
  }

  /**
   * Notes the pod's sample time; true unless the last successful collect stored that same sample. A read of an
   * earlier collect that is still streaming (it failed on the nodes list, its body still arrives) is new to it and
   * noted nowhere, so that it cannot mark pods for the collect that has begun since.
   */
  isNew(collect: number, pod: { readonly namespace: string; readonly pod: string; readonly tsMs: number }): boolean {
    if (collect !== this.collect) return true;
    const before = this.pods.size;
    const s = this.pods.slot(pod.namespace, pod.pod);
    const fresh = this.pods.size > before;
    const stored = this.pods.column('stored');
    if (fresh) stored[s] = Number.NaN;
    this.pods.column('read')[s] = pod.tsMs;
    this.pods.column('collect')[s] = this.collect;
    return stored[s] !== pod.tsMs;
  }

  /** The collect succeeded: its reads are stored, and the pods it did not see are forgotten (not by a stale one). */
  commit(collect: number): void {
    if (collect !== this.collect) return;
    const [stored, read, collects] = [this.pods.column('stored'), this.pods.column('read'), this.pods.column('collect')];
    this.pods.sweep((s) => {
      if (collects[s] !== this.collect) return false;
      stored[s] = read[s] ?? Number.NaN;
      return true;
    });
  }
}

/** A MetricsSource over metrics.k8s.io. Rejects (a KubeApiError) when the pods or nodes GET fails. */
export function createMetricsServerSource(opts: MetricsServerSourceOptions): MetricsSource {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const decoder = opts.decoder ?? inlineDecoder();
  const seen = new SeenPods();

  /** Reads the PodMetrics list as it streams in; rejects KRM_KUBE_BAD_RESPONSE on a bad body. */
  async function readContainers(req: CollectRequest, collect: number): Promise<ContainerParts> {
    const { signal, nowMs } = req;
    const parts = new ContainerParts(req.onContainers);
    const stream = decoder.podMetrics(nowMs);
    try {
      // Each chunk's pods are reported as they are parsed, so that the caller stores them while the body still
      // streams in (CollectRequest.onContainers), as it does with the kubelets' answers. The chunk is copied: the
      // decoder may move its buffer to another thread, and the HTTP stream's buffers are not ours to give.
      await getKubeChunks(opts.http, { path: METRICS_SERVER_PODS_PATH, signal, timeoutMs }, async (chunk) => {
        const fresh: ContainerUsage[] = [];
        for (const pod of await stream.push(new Uint8Array(chunk))) {
          if (seen.isNew(collect, pod)) for (const c of pod.containers) fresh.push(c);
        }
        parts.add(fresh);
      });
      await stream.end();
    } catch (cause) {
      stream.close();
      if (!(cause instanceof SyntaxError)) throw cause;
      throw new KubeApiError('KRM_KUBE_BAD_RESPONSE', `${METRICS_SERVER_PODS_PATH}: the body is not a JSON list (${cause.message})`, { status: 200, cause });
    }
    return parts;
  }

  return {
    name: 'metrics-server',
    async collect(req: CollectRequest): Promise<UsageSnapshot> {
      const collect = seen.begin();
      // Either request failing ends the other: the collect has failed, and the pods list would stream on for nothing.
      const own = new AbortController();
      const forget = whenAborted(req.signal, () => own.abort(req.signal.reason));
      const both = Promise.all([readContainers({ ...req, signal: own.signal }, collect), getKubeJson(opts.http, { path: METRICS_SERVER_NODES_PATH, signal: own.signal, timeoutMs })]);
      const [parts, nodes] = await both.catch((err: unknown) => {
        own.abort(err);
        throw err;
      }).finally(forget);
      const nodeUsage = arr(obj(nodes).items)
        .map((n) => nodeMetricsItem(n, req.nowMs))
        .filter((n): n is NodeUsage => n !== undefined);
      // Taken as seen only once the whole collect succeeds: a failed one may have stored only part of its pods (those
      // reported early), so the next one must not skip any.
      seen.commit(collect);
      return { source: 'metrics-server', collectedAtMs: req.nowMs, ...parts.snapshot(), nodes: nodeUsage, volumes: [], errors: [] };
    },
  };
}
