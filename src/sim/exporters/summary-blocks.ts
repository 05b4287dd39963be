// SPDX-License-Identifier: Apache-2.0
// Builders for the repeated blocks of the kubelet's /stats/summary (cpu, memory, io, fs, network, swap). Values
// the usage model does not carry (page faults, inodes, pressure stall totals) are derived deterministically from
// the ones it does, so they move consistently with usage and stay integers as the kubelet's uint64 fields are.
import type { PodNetworkUsage } from '../usage/types.ts';
import type { CpuStats, FsStats, InterfaceStats, IoStats, MemoryStats, NetworkStats, PsiStats } from './kubelet-summary-types.ts';

/** ext4's default bytes-per-inode ratio, giving a filesystem's inode count from its size. */
const BYTES_PER_INODE = 16_384;
/** Average file size used to turn used bytes into used inodes. */
const BYTES_PER_USED_INODE = 32_768;
const PAGE_BYTES = 4096;
export const POD_INTERFACE = 'eth0';

const int = (v: number): number => Math.max(0, Math.round(v));

/** Pressure stall information; only `total` (microseconds) is derived, the moving averages stay 0. */
export function psiStats(someTotalMicros = 0): PsiStats {
  const some = int(someTotalMicros);
  return {
    full: { total: int(some * 0.95), avg10: 0, avg60: 0, avg300: 0 },
    some: { total: some, avg10: 0, avg60: 0, avg300: 0 },
  };
}

export interface CpuNumbers {
  cores: number;
  secondsTotal: number;
  throttledSecondsTotal?: number;
}

/**
 * CPU block; CPU pressure grows with CFS throttling, the usual cause of CPU stalls in a container. `psi` false leaves
 * the pressure block out, as the `only_cpu_and_memory` form here does (it keeps that answer small).
 */
export function cpuStats(time: string, cpu: CpuNumbers, psi = true): CpuStats {
  const out: CpuStats = { time, usageNanoCores: int(cpu.cores * 1e9), usageCoreNanoSeconds: int(cpu.secondsTotal * 1e9) };
  if (psi) out.psi = psiStats((cpu.throttledSecondsTotal ?? 0) * 1e6);
  return out;
}

export interface MemoryNumbers {
  workingSetBytes: number;
  rssBytes: number;
  usageBytes: number;
  /** Memory limit (or allocatable) the available figure is measured against; undefined means none. */
  limitBytes?: number;
  /** Node memory reports the model's available bytes directly. */
  availableBytes?: number;
}

export function memoryStats(time: string, m: MemoryNumbers, psi = true): MemoryStats {
  const available = m.availableBytes ?? (m.limitBytes === undefined ? undefined : m.limitBytes - m.workingSetBytes);
  // Written out in the kubelet's field order rather than spread together: a summary holds tens of thousands of these,
  // and building each from spreads was the largest cost of rendering one.
  const out: MemoryStats =
    available === undefined
      ? { time, usageBytes: int(m.usageBytes), workingSetBytes: int(m.workingSetBytes), rssBytes: int(m.rssBytes), pageFaults: int(m.usageBytes / PAGE_BYTES), majorPageFaults: 0 }
      : { time, availableBytes: int(available), usageBytes: int(m.usageBytes), workingSetBytes: int(m.workingSetBytes), rssBytes: int(m.rssBytes), pageFaults: int(m.usageBytes / PAGE_BYTES), majorPageFaults: 0 };
  if (psi) out.psi = psiStats();
  return out;
}

export function ioStats(time: string): IoStats {
  return { time, psi: psiStats() };
}

/** A filesystem's size figures; inodes are derived from the byte counts. */
export interface FsNumbers {
  capacityBytes: number;
  usedBytes: number;
}

/** A whole filesystem (the node's root fs, a volume). */
export function fsStats(time: string, fs: FsNumbers): FsStats {
  const inodes = int(fs.capacityBytes / BYTES_PER_INODE);
  const inodesUsed = Math.min(inodes, int(fs.usedBytes / BYTES_PER_USED_INODE) + 1);
  return {
    time,
    availableBytes: int(fs.capacityBytes - fs.usedBytes),
    capacityBytes: int(fs.capacityBytes),
    usedBytes: int(fs.usedBytes),
    inodesFree: inodes - inodesUsed,
    inodes,
    inodesUsed,
  };
}

/** Usage of something stored on a shared filesystem: the filesystem's free and total figures, its own use. */
export function usageOnFs(shared: FsStats, usedBytes: number): FsStats {
  return { ...shared, usedBytes: int(usedBytes), inodesUsed: int(usedBytes / BYTES_PER_USED_INODE) + 1 };
}

/** The summary's network block: one interface, repeated in `interfaces` as the kubelet does. */
export function networkStats(time: string, net: PodNetworkUsage | undefined): NetworkStats {
  const iface: InterfaceStats = {
    name: POD_INTERFACE,
    rxBytes: int(net?.rxBytesTotal ?? 0),
    rxErrors: int(net?.rxErrorsTotal ?? 0),
    txBytes: int(net?.txBytesTotal ?? 0),
    txErrors: int(net?.txErrorsTotal ?? 0),
  };
  return { time, ...iface, interfaces: [iface] };
}

/** Sum of several pods' network counters (the node's view of its bridge). */
export function sumNetwork(nets: readonly (PodNetworkUsage | undefined)[]): PodNetworkUsage {
  const total = { rxBytesTotal: 0, txBytesTotal: 0, rxErrorsTotal: 0, txErrorsTotal: 0 };
  for (const n of nets) {
    if (!n) continue;
    total.rxBytesTotal += n.rxBytesTotal;
    total.txBytesTotal += n.txBytesTotal;
    total.rxErrorsTotal += n.rxErrorsTotal;
    total.txErrorsTotal += n.txErrorsTotal;
  }
  return total;
}
