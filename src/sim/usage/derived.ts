// SPDX-License-Identifier: Apache-2.0
// Per-entity constants derived from a seed instead of stored: each costs one hash, and not storing them keeps the
// engine's memory per container small. They are pure, so the step kernel and the readers agree on them (the
// container table caches the two filesystem ones the step loop needs for node totals).
import { mix32, unitFromHash } from './random.ts';

const MIB = 1024 * 1024;
const PAGE_BYTES = 4096;
const SALT_MEMORY = 0x3c6ef372;
const SALT_FS = 0x1b873593;
const SALT_IO = 0x68e31da4;
const SALT_NET = 0x2545f491;

/** Rounds bytes down to whole 4 KiB pages, as the kernel accounts memory. */
export function toPages(bytes: number): number {
  return Math.floor(bytes / PAGE_BYTES) * PAGE_BYTES;
}

/** RSS as a fraction of the working set, 0.6 … 0.9 (the rest is active page cache, tmpfs, kernel memory). */
export function rssRatio(seed: number): number {
  return 0.6 + 0.3 * unitFromHash(mix32(seed, SALT_MEMORY));
}

/** Inactive page cache as a fraction of the working set, 0.05 … 0.5: `usage = working set + cache`. */
export function cacheRatio(seed: number): number {
  return 0.05 + 0.45 * unitFromHash(mix32(seed, SALT_MEMORY + 1));
}

/** Size of the container image on the node's disk, 40 … 840 MiB. */
export function imageBytes(seed: number): number {
  return toPages(40 * MIB + 800 * MIB * unitFromHash(mix32(seed, SALT_FS)));
}

/** Writable layer and logs of a fresh container, 64 KiB … 32 MiB. */
export function writableLayerStartBytes(seed: number): number {
  const h = mix32(seed, SALT_FS + 1);
  return toPages(64 * 1024 + 32 * MIB * ((h & 0xffff) / 65536));
}

/** Growth of the writable layer and logs, 0 … 64 MiB a day, in bytes per second. */
export function writableLayerBytesPerSec(seed: number): number {
  const h = mix32(seed, SALT_FS + 1);
  return (64 * MIB * ((h >>> 16) / 65536)) / 86400;
}

/** Cap of the writable layer and logs (log rotation keeps it bounded), bytes. */
export const WRITABLE_LAYER_MAX_BYTES = 2048 * MIB;

/**
 * Bytes in the container's writable layer and logs: {@link writableLayerStartBytes} growing at
 * {@link writableLayerBytesPerSec} up to {@link WRITABLE_LAYER_MAX_BYTES}. Restarts start a fresh layer.
 * @param ageSec seconds since this incarnation started
 */
export function writableLayerBytes(seed: number, ageSec: number): number {
  const grown = writableLayerStartBytes(seed) + writableLayerBytesPerSec(seed) * Math.max(0, ageSec);
  return toPages(Math.min(WRITABLE_LAYER_MAX_BYTES, grown));
}

/** Bytes read from disk per CPU second, 0 … 4 MiB: reads are counted as CPU work times this factor. */
export function readBytesPerCpuSecond(seed: number): number {
  const u = unitFromHash(mix32(seed, SALT_IO));
  return 4 * MIB * u * u;
}

/** Bytes written to disk per CPU second, 0 … 2 MiB. */
export function writeBytesPerCpuSecond(seed: number): number {
  const u = unitFromHash(mix32(seed, SALT_IO + 1));
  return 2 * MIB * u * u;
}

/**
 * Network bytes (both directions) per CPU second of a pod's containers, 0.5 … 24.5 MiB, skewed low: a service
 * answering small requests moves a few MiB per core-second.
 */
export function networkBytesPerCpuSecond(podSeed: number): number {
  const u = unitFromHash(mix32(podSeed, SALT_NET));
  return 0.5 * MIB + 24 * MIB * u * u * u;
}

/** Background traffic per container (probes, DNS, metrics scrapes) in bytes per second. */
export const BASELINE_NETWORK_BYTES_PER_SEC = 300;

/** Share of a pod's traffic that is received, 0.35 … 0.75. */
export function rxShare(podSeed: number): number {
  return 0.35 + 0.4 * unitFromHash(mix32(podSeed, SALT_NET + 1));
}

/** Network errors per byte, 0 … 1e-8 (most interfaces see almost none). */
export function errorsPerByte(podSeed: number): number {
  const u = unitFromHash(mix32(podSeed, SALT_NET + 2));
  return 1e-8 * u * u * u * u;
}
