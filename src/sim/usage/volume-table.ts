// SPDX-License-Identifier: Apache-2.0
// Persistent volume usage. Volumes are few (one per claim) and fill linearly until full, so their usage is a
// closed-form function of time: nothing to integrate, and any time can be read directly.
import { hashSeed, mix32, unitFromHash } from './random.ts';
import type { VolumeUsage } from './types.ts';
import { HOUR_MS } from '../../domain/time.ts';

/** A claim's volume as declared by the model. Bytes, bytes per hour. */
export interface VolumeSpec {
  namespace: string;
  claim: string;
  capacityBytes: number;
  fillBytesPerHour: number;
  initialUsedBytes: number;
}

interface VolumeState {
  capacityBytes: number;
  fillBytesPerHour: number;
  initialUsedBytes: number;
  addedAtMs: number;
  /** Mean file size, 32 KiB … 1 MiB: turns bytes into inodes. */
  bytesPerInode: number;
}

/** ext4's default inode ratio: one inode per 16 KiB of capacity. */
const BYTES_PER_INODE_CAPACITY = 16_384;
/** Inodes a fresh ext4 filesystem already uses (root, lost+found, reserved). */
const FRESH_FS_INODES = 11;

/** Volumes by namespace and claim. */
export class VolumeTable {
  private readonly byNamespace = new Map<string, Map<string, VolumeState>>();

  constructor(private readonly seed: number) {}

  /** Declares (or replaces) a volume; filling starts at `nowMs`. */
  add(spec: VolumeSpec, nowMs: number): void {
    let claims = this.byNamespace.get(spec.namespace);
    if (claims === undefined) {
      claims = new Map();
      this.byNamespace.set(spec.namespace, claims);
    }
    const u = unitFromHash(mix32(hashSeed(this.seed, 'volume', spec.namespace, spec.claim), 1));
    claims.set(spec.claim, {
      capacityBytes: spec.capacityBytes,
      fillBytesPerHour: spec.fillBytesPerHour,
      initialUsedBytes: spec.initialUsedBytes,
      addedAtMs: nowMs,
      bytesPerInode: 32_768 * Math.pow(32, u),
    });
  }

  /** Removes a volume; returns whether it existed. */
  remove(namespace: string, claim: string): boolean {
    const claims = this.byNamespace.get(namespace);
    const existed = claims?.delete(claim) ?? false;
    if (claims?.size === 0) this.byNamespace.delete(namespace);
    return existed;
  }

  /** Usage at `nowMs`: linear fill from the initial bytes, capped at capacity. */
  read(namespace: string, claim: string, nowMs: number): VolumeUsage | undefined {
    const v = this.byNamespace.get(namespace)?.get(claim);
    if (v === undefined) return undefined;
    const filled = v.initialUsedBytes + (v.fillBytesPerHour * Math.max(0, nowMs - v.addedAtMs)) / HOUR_MS;
    const usedBytes = Math.floor(Math.max(0, Math.min(v.capacityBytes, filled)));
    const inodes = Math.floor(v.capacityBytes / BYTES_PER_INODE_CAPACITY);
    return {
      usedBytes,
      capacityBytes: v.capacityBytes,
      inodesUsed: Math.min(inodes, FRESH_FS_INODES + Math.floor(usedBytes / v.bytesPerInode)),
      inodes,
    };
  }
}
