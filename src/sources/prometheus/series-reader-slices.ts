// SPDX-License-Identifier: Apache-2.0
// Time slices of the reader's range queries: one job's grid cut into consecutive parts, each its own request, and
// the parts' series joined back under their labels. Prometheus walks every series a query selects over every step
// of the query's range, so a slice of two days never walks the pods that lived on other days; the slices also run
// side by side, where one long query would run on a single core.
import type { MatrixSeries } from './range-query.ts';

/** The grid points `[startMs, endMs]` at `stepMs`, cut into at most `slices` consecutive parts of whole steps. */
export function sliceGrid(o: { startMs: number; endMs: number; stepMs: number; slices: number }): Array<{ startMs: number; endMs: number }> {
  if (o.startMs > o.endMs) return [];
  const points = Math.floor((o.endMs - o.startMs) / o.stepMs) + 1;
  const count = Math.max(1, Math.min(Math.floor(o.slices), points));
  const out: Array<{ startMs: number; endMs: number }> = [];
  for (let i = 0; i < count; i++) {
    const first = Math.floor((i * points) / count);
    const last = Math.floor(((i + 1) * points) / count) - 1;
    out.push({ startMs: o.startMs + first * o.stepMs, endMs: o.startMs + last * o.stepMs });
  }
  return out;
}

const keyOf = (labels: Readonly<Record<string, string>>): string =>
  Object.keys(labels)
    .sort()
    .map((k) => `${k}\u0000${labels[k]}`)
    .join('\u0001');

function concat(parts: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The series of consecutive slices (in time order) joined by label set; a series absent from a slice is skipped. */
export function joinSlices(slices: readonly (readonly MatrixSeries[])[]): MatrixSeries[] {
  if (slices.length === 1) return [...(slices[0] ?? [])];
  const byKey = new Map<string, MatrixSeries[]>();
  for (const slice of slices) {
    for (const m of slice) {
      const key = keyOf(m.labels);
      const list = byKey.get(key);
      if (list === undefined) byKey.set(key, [m]);
      else list.push(m);
    }
  }
  return [...byKey.values()].map((parts) => ({
    labels: (parts[0] as MatrixSeries).labels,
    timestampsMs: concat(parts.map((p) => p.timestampsMs)),
    values: concat(parts.map((p) => p.values)),
  }));
}

/** A limit on concurrent async work: at most `n` callbacks run at once, the rest wait in call order. */
export function limiter(n: number): <T>(work: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  const release = (): void => {
    running--;
    waiting.shift()?.();
  };
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (running >= Math.max(1, n)) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await work();
    } finally {
      release();
    }
  };
}
