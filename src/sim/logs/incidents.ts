// SPDX-License-Identifier: Apache-2.0
// Errors in real services cluster in time (a dependency goes down for a few minutes) rather than being spread
// evenly. Each 5-minute window of a container's life is an incident window with a small, seeded probability,
// during which error-type entries become several times more likely.
import { unit } from './rng.ts';
import type { ProfileContext } from './types.ts';

const WINDOW_MS = 5 * 60_000;
const INCIDENT_PROBABILITY = 0.08;
const INCIDENT_BOOST = 8;

/** Weight multiplier of error entries at `ms`: 1 normally, larger inside an incident window. */
export function errorBoost(ctx: ProfileContext, ms: number): number {
  const window = Math.floor((ms - ctx.startedAtMs) / WINDOW_MS);
  return unit(ctx.seed, window, 0x1dc1) < INCIDENT_PROBABILITY ? INCIDENT_BOOST : 1;
}

/** `[2026-06-26T10:14:14.123+0000][info][gc]`: the decorations of JVM unified logging on stdout. */
function jvmDecorations(ms: number): string {
  return `[${new Date(ms).toISOString().replace('Z', '+0000')}][info][gc]`;
}

/**
 * A JVM GC log line (`-Xlog:gc`, printed by the JVM itself whatever the application's log format).
 * `heapUsedMb` is the heap after the pause; a heap close to `heapMaxMb` produces full collections.
 */
export function jvmGcLine(ms: number, seq: number, heap: { usedMb: number; maxMb: number; pauseMs: number }): string {
  const full = heap.usedMb > heap.maxMb * 0.85;
  const kind = full ? 'Pause Full (G1 Compaction Pause)' : 'Pause Young (Normal) (G1 Evacuation Pause)';
  const before = Math.min(heap.maxMb, Math.round(heap.usedMb * (full ? 1.02 : 1.6)));
  return `${jvmDecorations(ms)} GC(${seq}) ${kind} ${before}M->${Math.round(heap.usedMb)}M(${heap.maxMb}M) ${heap.pauseMs.toFixed(3)}ms`;
}
