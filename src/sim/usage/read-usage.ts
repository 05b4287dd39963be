// SPDX-License-Identifier: Apache-2.0
// Builds the read-side objects of types.ts from the tables. Quantities not stored per slot (RSS, page cache, disk
// I/O, filesystem, network split and errors) are derived here from the stored ones and the entity's seed, so they
// stay consistent with the stored counters: monotonic where those are, reset when those reset.
import {
  cacheRatio,
  errorsPerByte,
  readBytesPerCpuSecond,
  rssRatio,
  rxShare,
  toPages,
  writableLayerBytes,
  writeBytesPerCpuSecond,
} from './derived.ts';
import { CFS_PERIOD_SEC } from './step-kernel.ts';
import type { ContainerTable } from './container-table.ts';
import type { NodeTable } from './node-table.ts';
import type { PodTable } from './pod-table.ts';
import type { ContainerUsage, NodeUsage, PodNetworkUsage } from './types.ts';

/** Slot of a pod's container by name, or −1 (pods have a handful of containers: a list walk is cheapest). */
export function findContainerSlot(containers: ContainerTable, firstSlot: number, name: string): number {
  for (let i = firstSlot; i >= 0; i = containers.nextInPod[i]!) {
    if (containers.name[i] === name) return i;
  }
  return -1;
}

/** Usage of the container in slot `i` at `nowMs` (the time of the last step). */
export function readContainer(c: ContainerTable, i: number, nowMs: number): ContainerUsage {
  const seed = c.seed[i]!;
  const ws = c.workingSetBytes[i]!;
  const cpuSecondsTotal = c.cpuSecondsTotal[i]!;
  const startedAtMs = c.startedAtMs[i]!;
  const ageMs = Math.max(0, nowMs - startedAtMs);
  // A limited container's cgroup sees one CFS period per 100 ms of its life (the model has no idle periods).
  const periods = c.cpuLimitCores[i]! > 0 ? Math.floor(ageMs / (CFS_PERIOD_SEC * 1000)) : 0;
  return {
    cpuCores: c.cpuCores[i]!,
    cpuSecondsTotal,
    memoryWorkingSetBytes: ws,
    memoryRssBytes: toPages(ws * rssRatio(seed)),
    memoryUsageBytes: ws + toPages(ws * cacheRatio(seed)),
    cfsPeriodsTotal: periods,
    cfsThrottledPeriodsTotal: Math.min(periods, Math.floor(c.cfsThrottledPeriodsTotal[i]!)),
    cfsThrottledSecondsTotal: c.cfsThrottledSecondsTotal[i]!,
    fsUsageBytes: writableLayerBytes(seed, ageMs / 1000),
    fsReadsBytesTotal: Math.floor(cpuSecondsTotal * readBytesPerCpuSecond(seed)),
    fsWritesBytesTotal: Math.floor(cpuSecondsTotal * writeBytesPerCpuSecond(seed)),
    startedAtMs,
  };
}

/** Network counters of the pod in slot `p`: rx is a fixed share of the pod's traffic, tx the rest. */
export function readPodNetwork(pods: PodTable, p: number): PodNetworkUsage {
  const seed = pods.seed[p]!;
  const total = pods.trafficBytes[p]!;
  const rxBytesTotal = Math.floor(total * rxShare(seed));
  const txBytesTotal = total - rxBytesTotal;
  const perByte = errorsPerByte(seed);
  return {
    rxBytesTotal,
    txBytesTotal,
    rxErrorsTotal: Math.floor(rxBytesTotal * perByte),
    txErrorsTotal: Math.floor(txBytesTotal * perByte),
  };
}

/** Usage of the node in slot `n` as of the last step. */
export function readNode(nodes: NodeTable, n: number): NodeUsage {
  const ws = nodes.workingSetBytes[n]!;
  return {
    cpuCores: nodes.cpuCores[n]!,
    cpuSecondsTotal: nodes.cpuSecondsTotal[n]!,
    memoryWorkingSetBytes: ws,
    memoryAvailableBytes: Math.max(0, nodes.memoryCapacity[n]! - ws),
    fsUsedBytes: nodes.fsUsedBytes[n]!,
    fsCapacityBytes: nodes.fsCapacity[n]!,
    bootTimeMs: nodes.bootTimeMs[n]!,
  };
}
