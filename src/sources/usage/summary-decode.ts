// SPDX-License-Identifier: Apache-2.0
// One kubelet /stats/summary document projected to usage: per container CPU (`usageNanoCores`), working set and RSS;
// the node's CPU, working set and filesystem; the volume stats of volumes with a `pvcRef`. Pure, so that it runs in
// the decode worker (decode-worker.ts) as well as in the calling thread.
import { arr, num, obj, str, type RawObject } from '../kube/raw-access.ts';
import type { ContainerUsage, NodeUsage, VolumeUsage } from './types.ts';

/** What one node's summary contributes to the snapshot. */
export interface NodeSummaryUsage {
  readonly node?: NodeUsage;
  readonly containers: ContainerUsage[];
  readonly volumes: VolumeUsage[];
}

function timeOf(block: RawObject, fallbackMs: number): number {
  const ms = Date.parse(str(block.time) ?? '');
  return Number.isFinite(ms) ? ms : fallbackMs;
}

function containerOf(raw: unknown, podRef: RawObject, nowMs: number): ContainerUsage | undefined {
  const c = obj(raw);
  const cpu = obj(c.cpu);
  const mem = obj(c.memory);
  const nanoCores = num(cpu.usageNanoCores);
  const ws = num(mem.workingSetBytes);
  const container = str(c.name);
  if (container === undefined || nanoCores === undefined || ws === undefined) return undefined;
  const rss = num(mem.rssBytes);
  return {
    namespace: str(podRef.namespace) ?? '',
    pod: str(podRef.name) ?? '',
    container,
    tsMs: timeOf(cpu, nowMs),
    cpuCores: nanoCores / 1e9,
    memoryWorkingSetBytes: ws,
    ...(rss !== undefined ? { memoryRssBytes: rss } : {}),
  };
}

function volumesOf(pod: RawObject, nowMs: number): VolumeUsage[] {
  const out: VolumeUsage[] = [];
  for (const raw of arr(pod.volume)) {
    const v = obj(raw);
    const ref = obj(v.pvcRef);
    const pvc = str(ref.name);
    if (pvc === undefined) continue;
    out.push({ namespace: str(ref.namespace) ?? '', pvc, tsMs: timeOf(v, nowMs), usedBytes: num(v.usedBytes), capacityBytes: num(v.capacityBytes) });
  }
  return out;
}

function nodeOf(summaryNode: RawObject, name: string, nowMs: number): NodeUsage | undefined {
  const cpu = obj(summaryNode.cpu);
  const nanoCores = num(cpu.usageNanoCores);
  const ws = num(obj(summaryNode.memory).workingSetBytes);
  if (nanoCores === undefined || ws === undefined) return undefined;
  const fs = obj(summaryNode.fs);
  return {
    node: str(summaryNode.nodeName) ?? name,
    tsMs: timeOf(cpu, nowMs),
    cpuCores: nanoCores / 1e9,
    memoryWorkingSetBytes: ws,
    fsUsedBytes: num(fs.usedBytes),
    fsCapacityBytes: num(fs.capacityBytes),
  };
}

/** Projects one /stats/summary document. */
export function parseSummary(body: unknown, node: string, nowMs: number): NodeSummaryUsage {
  const doc = obj(body);
  const containers: ContainerUsage[] = [];
  const volumes: VolumeUsage[] = [];
  for (const raw of arr(doc.pods)) {
    const pod = obj(raw);
    const ref = obj(pod.podRef);
    for (const c of arr(pod.containers)) {
      const usage = containerOf(c, ref, nowMs);
      if (usage) containers.push(usage);
    }
    volumes.push(...volumesOf(pod, nowMs));
  }
  return { node: nodeOf(obj(doc.node), node, nowMs), containers, volumes };
}

