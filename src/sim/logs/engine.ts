// SPDX-License-Identifier: Apache-2.0
// The time model of a container's log. Output has three parts: start-up lines at fixed offsets after the start,
// steady-state entries, and, for a terminated incarnation, the ending (stack trace, summary) just before its end.
// Steady-state time is cut into 10-second slots; the entries of a slot depend only on the seed and the slot
// number, so a window is rendered by walking slots backwards from its end until enough lines are found, and a
// later, longer window renders the same lines for the same instants (what `kubectl logs -f` relies on).
import { createRng, mix } from './rng.ts';
import type { ProfileContext, ProfileImpl, TimedEntry } from './types.ts';

export const SLOT_MS = 10_000;
/** At most this many lines are ever rendered: the part of the log file the kubelet still has after rotation. */
export const MAX_LINES = 5000;
/** Bound on the backwards walk for quiet profiles (about 23 days of slots). */
const MAX_SLOTS = 200_000;
/** Gap between the last steady entry and the ending, and between ending entries. */
const ENDING_GUARD_MS = 200;
const ENDING_STEP_MS = 3;
const NANOS_STEP = 1000;

/** One output line with its kubelet timestamp: epoch milliseconds plus nanoseconds within that millisecond. */
export interface LogLine {
  ms: number;
  ns: number;
  text: string;
}

/** Lines with fromMs <= ms <= toMs, at most the last maxLines of them. */
export interface LineWindow {
  fromMs: number;
  toMs: number;
  maxLines: number;
}

interface Layout {
  startup: TimedEntry[];
  steadyStartMs: number;
  /** Steady entries stop before this instant. */
  steadyEndMs: number;
  ending: TimedEntry[];
}

function endingEntries(impl: ProfileImpl, ctx: ProfileContext): TimedEntry[] {
  if (!ctx.terminated) return [];
  const makers = impl.ending(ctx);
  return makers.map((make, i) => {
    const ms = ctx.endMs - (makers.length - 1 - i) * ENDING_STEP_MS;
    return { ms, lines: make(ms) };
  });
}

/** Places start-up, steady and ending parts; a short-lived incarnation gets its start-up squeezed to fit. */
function layout(impl: ProfileImpl, ctx: ProfileContext): Layout {
  const ending = endingEntries(impl, ctx);
  const startupSpec = impl.startup(ctx);
  const lastOffset = startupSpec.reduce((max, e) => Math.max(max, e.offsetMs), 0);
  const room = (ending[0]?.ms ?? Number.POSITIVE_INFINITY) - ctx.startedAtMs - ENDING_GUARD_MS;
  const scale = lastOffset > 0 && room < lastOffset ? Math.max(0, room) / lastOffset : 1;
  const startup = startupSpec.map((e) => {
    const ms = ctx.startedAtMs + Math.floor(e.offsetMs * scale);
    return { ms, lines: e.lines(ms) };
  });
  const steadyStartMs = ctx.startedAtMs + Math.floor(lastOffset * scale) + 500;
  const steadyEndMs = ending.length > 0 ? (ending[0]?.ms ?? ctx.endMs) - ENDING_GUARD_MS : ctx.endMs + 1;
  return { startup, steadyStartMs, steadyEndMs, ending };
}

/** Random arrival times in [fromMs, toMs): a mean rate with ±50 % jitter and occasional triple bursts. */
function randomTimes(ctx: ProfileContext, slot: number, perMinute: number): number[] {
  const rng = createRng(ctx.seed, slot, 0x7153);
  const mean = (perMinute * SLOT_MS) / 60_000;
  let count = Math.floor(mean * (0.5 + rng.next()) + rng.next());
  if (rng.chance(0.03)) count *= 3;
  const times: number[] = [];
  for (let i = 0; i < count; i++) times.push(rng.int(0, SLOT_MS - 1));
  return times.sort((a, b) => a - b);
}

/** A profile bound to one incarnation. */
interface Run {
  impl: ProfileImpl;
  ctx: ProfileContext;
}

function slotEntries({ impl, ctx }: Run, slot: number, steadyStartMs: number): TimedEntry[] {
  const slotStart = steadyStartMs + slot * SLOT_MS;
  const times =
    impl.entryTimes !== undefined
      ? impl.entryTimes(ctx, slotStart, slotStart + SLOT_MS)
      : randomTimes(ctx, slot, impl.entriesPerMinute).map((t) => slotStart + t);
  return times.map((ms, i) => ({ ms, lines: impl.entry(ctx, ms, createRng(ctx.seed, slot, i, 0x3e27)) }));
}

function toLines(ctx: ProfileContext, entries: readonly TimedEntry[], win: LineWindow): LogLine[] {
  const out: LogLine[] = [];
  for (const e of entries) {
    if (e.ms < win.fromMs || e.ms > win.toMs) continue;
    const base = mix(ctx.seed, e.ms) % 500_000;
    e.lines.forEach((text, i) => out.push({ ms: e.ms, ns: Math.min(999_999, base + i * NANOS_STEP), text }));
  }
  return out;
}

/** Steady lines in the window, newest slots first, until `win.maxLines` lines are found. */
function steadyLines(run: Run, lay: Layout, win: LineWindow): LogLine[] {
  const { impl, ctx } = run;
  if (impl.entriesPerMinute <= 0 && impl.entryTimes === undefined) return [];
  const budget = win.maxLines;
  const bounded: LineWindow = {
    fromMs: Math.max(win.fromMs, lay.steadyStartMs),
    toMs: Math.min(win.toMs, lay.steadyEndMs - 1),
    maxLines: budget,
  };
  if (bounded.toMs < bounded.fromMs) return [];
  const firstSlot = Math.floor((bounded.fromMs - lay.steadyStartMs) / SLOT_MS);
  const lastSlot = Math.floor((bounded.toMs - lay.steadyStartMs) / SLOT_MS);
  const chunks: LogLine[][] = [];
  let count = 0;
  for (let slot = lastSlot; slot >= firstSlot && count < budget && lastSlot - slot < MAX_SLOTS; slot--) {
    const lines = toLines(ctx, slotEntries(run, slot, lay.steadyStartMs), bounded);
    chunks.push(lines);
    count += lines.length;
  }
  return chunks.reverse().flat();
}

/** The lines of one incarnation inside the window, oldest first. */
export function collectLines(impl: ProfileImpl, ctx: ProfileContext, win: LineWindow): LogLine[] {
  if (win.maxLines <= 0) return [];
  const lay = layout(impl, ctx);
  const ending = toLines(ctx, lay.ending, win);
  const steady = steadyLines({ impl, ctx }, lay, { ...win, maxLines: win.maxLines - ending.length });
  const startup = toLines(ctx, lay.startup, win);
  const all = [...startup, ...steady, ...ending];
  return all.length > win.maxLines ? all.slice(all.length - win.maxLines) : all;
}
