// SPDX-License-Identifier: Apache-2.0
// The decode worker's answers as they cross back to the thread that serves the API (decode-pool.ts). Cloned as they
// are, a cycle's 225,000 containers arrive as 225,000 objects and 675,000 strings, every namespace, pod and container
// name a string of its own, all kept until the cycle ends, so promoted: about 60 MB of the main heap's growth a cycle,
// and with it a full collection whose marking holds that thread. Here each answer carries its distinct strings once
// and the numbers as columns; the containers are rebuilt on arrival, sharing one string per name.
import type { DecodeReply, DecodeRequest } from './decoder.ts';
import type { PodMetricsItem } from './pod-metrics-decode.ts';
import type { NodeSummaryUsage } from './summary-decode.ts';
import type { ContainerUsage } from './types.ts';

/** Containers as columns: per container three string references (namespace, pod, container) and five numbers. */
export interface WireContainers {
  readonly strings: readonly string[];
  /** namespace, pod, container: indexes into `strings`. */
  readonly refs: Uint32Array<ArrayBuffer>;
  /** tsMs, cpuCores, memoryWorkingSetBytes, memoryRssBytes, throttledRatio (NaN: absent). */
  readonly nums: Float64Array<ArrayBuffer>;
}

/** The wire form of a PodMetrics chunk's items: their containers, and per item its names, time and last container. */
export interface WirePods {
  readonly containers: WireContainers;
  /** namespace, pod: indexes into `containers.strings`. */
  readonly names: Uint32Array<ArrayBuffer>;
  readonly tsMs: Float64Array<ArrayBuffer>;
  /** Per item, the index after its last container. */
  readonly ends: Uint32Array<ArrayBuffer>;
}

export type WireSummary = Omit<NodeSummaryUsage, 'containers'> & { readonly containers: WireContainers };

/** A string table built as values are added. */
class Strings {
  readonly list: string[] = [];
  private readonly index = new Map<string, number>();

  ref(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}

const NUMS = 5;

function packContainers(list: readonly ContainerUsage[], strings = new Strings()): WireContainers {
  const refs = new Uint32Array(3 * list.length);
  const nums = new Float64Array(NUMS * list.length);
  list.forEach((c, i) => {
    refs.set([strings.ref(c.namespace), strings.ref(c.pod), strings.ref(c.container)], 3 * i);
    nums.set([c.tsMs, c.cpuCores, c.memoryWorkingSetBytes, c.memoryRssBytes ?? Number.NaN, c.throttledRatio ?? Number.NaN], NUMS * i);
  });
  return { strings: strings.list, refs, nums };
}

/**
 * A container's usage as rebuilt from the wire, made by a constructor rather than an object literal. V8 pretenures an
 * object literal's allocation site once most of the objects it made outlived a scavenge, as a cycle's containers did
 * while they waited for their batch, and from then on allocates them straight into the old generation, where only a
 * full collection frees them: measured in the sampling bench, 28 MB of the literal's containers a cycle in the old
 * generation against 3 MB made this way (BENCHMARKS.md, "What a cycle promotes"). The optional figures are set only
 * when known, so that they stay absent as in every other source's containers.
 */
class WireContainer {
  /**
   * Container `i` of the wire's columns. No closures here: run through tsx, each nested function made per call is
   * also named by a helper call (`__name`), a tenth of a second per cycle of 225,000 containers.
   */
  constructor(w: WireContainers, i: number) {
    const { strings, refs, nums } = w;
    const r = 3 * i;
    const n = NUMS * i;
    // The fields are ContainerUsage's, set in one order (one hidden class); the class declares none of its own.
    const self = this as unknown as { -readonly [K in keyof ContainerUsage]: ContainerUsage[K] };
    self.namespace = strings[refs[r] as number] as string;
    self.pod = strings[refs[r + 1] as number] as string;
    self.container = strings[refs[r + 2] as number] as string;
    self.tsMs = nums[n] as number;
    self.cpuCores = nums[n + 1] as number;
    self.memoryWorkingSetBytes = nums[n + 2] as number;
    const rss = nums[n + 3] as number;
    const throttle = nums[n + 4] as number;
    if (!Number.isNaN(rss)) self.memoryRssBytes = rss;
    if (!Number.isNaN(throttle)) self.throttledRatio = throttle;
  }
}

function unpackContainers(w: WireContainers, from = 0, to = w.refs.length / 3): ContainerUsage[] {
  const out = new Array<ContainerUsage>(to - from);
  for (let i = from; i < to; i++) out[i - from] = new WireContainer(w, i) as unknown as ContainerUsage;
  return out;
}

function packPods(items: readonly PodMetricsItem[]): WirePods {
  const strings = new Strings();
  const names = new Uint32Array(2 * items.length);
  const tsMs = new Float64Array(items.length);
  const ends = new Uint32Array(items.length);
  const all: ContainerUsage[] = [];
  items.forEach((item, i) => {
    names.set([strings.ref(item.namespace), strings.ref(item.pod)], 2 * i);
    tsMs[i] = item.tsMs;
    for (const c of item.containers) all.push(c);
    ends[i] = all.length;
  });
  return { containers: packContainers(all, strings), names, tsMs, ends };
}

function unpackPods(w: WirePods): PodMetricsItem[] {
  const { strings } = w.containers;
  let from = 0;
  return Array.from(w.tsMs, (tsMs, i) => {
    const end = w.ends[i] as number;
    const item = { namespace: strings[w.names[2 * i] as number] as string, pod: strings[w.names[2 * i + 1] as number] as string, tsMs, containers: unpackContainers(w.containers, from, end) };
    from = end;
    return item;
  });
}

export type WireReply = WireSummary | WirePods | DecodeReply;

/** A reply in its wire form, and the buffers to move with it (worker side). */
export function toWire(op: DecodeRequest['op'], reply: DecodeReply): { reply: WireReply; transfer: ArrayBuffer[] } {
  if (op === 'summary') {
    const s = reply as NodeSummaryUsage;
    const containers = packContainers(s.containers);
    return { reply: { ...s, containers }, transfer: [containers.refs.buffer, containers.nums.buffer] };
  }
  if (op === 'pods-chunk') {
    const w = packPods(reply as PodMetricsItem[]);
    return { reply: w, transfer: [w.containers.refs.buffer, w.containers.nums.buffer, w.names.buffer, w.tsMs.buffer, w.ends.buffer] };
  }
  return { reply: reply, transfer: [] };
}

/** A reply rebuilt from its wire form (calling side). */
export function fromWire(op: DecodeRequest['op'], wire: WireReply): DecodeReply {
  if (op === 'summary') {
    const s = wire as WireSummary;
    return { ...s, containers: unpackContainers(s.containers) };
  }
  if (op === 'pods-chunk') return unpackPods(wire as WirePods);
  return wire as DecodeReply;
}
