// SPDX-License-Identifier: Apache-2.0
// A one-line progress bar on a terminal (stderr), redrawn in place with a carriage return. Only for a TTY: when
// stderr is a file or a pipe (containers, CI) the structured log lines carry the progress and nothing is drawn.
import type { BackfillProgress } from '../service/backfill.ts';

/** The slice of a stream the bar needs; `process.stderr` satisfies it. */
export interface BarStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): boolean;
}

export interface ProgressBar {
  /** Redraws the bar (at most every `minIntervalMs`, always on the last step). */
  update(p: { done: number; total: number; detail: string }): void;
  /** Ends the line so that later output starts on a fresh one. */
  finish(): void;
}

const WIDTH = 30;

/** `1h02m`, `3m20s`, `45s`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/** `950`, `12.3k`, `4.5M`. */
export function formatCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}

/** The bar's text for a fraction done, e.g. `[#########---------------------]  30%`. */
export function renderBar(done: number, total: number): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(ratio * WIDTH);
  return `[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${String(Math.floor(ratio * 100)).padStart(3)}%`;
}

/** A bar on `stream`, or undefined when the stream is not a terminal. */
export function createProgressBar(opts: { stream: BarStream; label: string; minIntervalMs?: number; now?: () => number }): ProgressBar | undefined {
  const { stream, label } = opts;
  if (stream.isTTY !== true) return undefined;
  const now = opts.now ?? Date.now;
  const minIntervalMs = opts.minIntervalMs ?? 100;
  let drawnAt = -Infinity;
  let drawn = false;
  return {
    update(p) {
      const t = now();
      if (t - drawnAt < minIntervalMs && p.done < p.total) return;
      drawnAt = t;
      drawn = true;
      const line = `${label} ${renderBar(p.done, p.total)} ${p.done}/${p.total} ${p.detail}`;
      stream.write(`\r${line.slice(0, Math.max(20, (stream.columns ?? 120) - 1))}\u001b[K`);
    },
    finish() {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}

/** Adapts a bar to the backfill's progress callback. */
export function backfillProgressBar(stream: BarStream): { onProgress: (p: BackfillProgress) => void; finish: () => void } | undefined {
  const bar = createProgressBar({ stream, label: 'backfill' });
  if (!bar) return undefined;
  return {
    onProgress: (p) => {
      const eta = p.etaMs === null ? '' : `, ETA ${formatDuration(p.etaMs)}`;
      bar.update({ done: p.doneWindows, total: p.totalWindows, detail: `windows, ${formatCount(p.samples)} samples, ${formatCount(p.samplesPerSec)}/s${eta}` });
    },
    finish: () => bar.finish(),
  };
}
