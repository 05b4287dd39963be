// SPDX-License-Identifier: Apache-2.0
// Raw samples folded into steps without a dense array of steps. Raw queries often ask for steps far finer than the
// samples (1 s steps to keep every 60 s sample as its own point): a dense grid then costs tens of empty slots per
// sample in four arrays, allocated and scanned per series. Here only the samples are kept, in step order, and each
// run of one step becomes a point with the same count, min, max, mean (summed in arrival order) and exact quantiles
// as the dense accumulator (step-accumulator.ts) gives.
import type { ColumnField, SeriesColumns, SeriesPoint } from '../domain/series.ts';
import type { DecodedChunk } from './chunk-codec.ts';
import { exactQuantile } from './sketch.ts';
import type { ColumnSlab, StepGrid } from './step-accumulator.ts';

/** Buffers reused by every call (synchronous, so never shared): step index and value per kept sample. */
let stepsBuf = new Float64Array(1024);
let valuesBuf = new Float64Array(1024);

function reserve(n: number): void {
  if (stepsBuf.length >= n) return;
  const size = Math.max(n, stepsBuf.length * 2);
  const steps = new Float64Array(size);
  const values = new Float64Array(size);
  steps.set(stepsBuf);
  values.set(valuesBuf);
  stepsBuf = steps;
  valuesBuf = values;
}

/** Keeps the samples inside the range and the grid, in arrival order; returns how many. */
function gather(grid: StepGrid, chunks: readonly DecodedChunk[]): number {
  let n = 0;
  for (const c of chunks) {
    reserve(n + c.values.length);
    for (let i = 0; i < c.values.length; i++) {
      const ts = c.timestampsMs[i] as number;
      if (ts < grid.fromMs || ts >= grid.toMs) continue;
      const step = Math.floor((ts - grid.alignedFromMs) / grid.stepMs);
      if (step < 0 || step >= grid.steps) continue;
      stepsBuf[n] = step;
      valuesBuf[n] = c.values[i] as number;
      n++;
    }
  }
  return n;
}

/** Sample positions in step order; stable, so that a step's samples keep their arrival order. */
function stepOrder(n: number): ArrayLike<number> | null {
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) sorted = (stepsBuf[i] as number) >= (stepsBuf[i - 1] as number);
  if (sorted) return null;
  const order = Array.from({ length: n }, (_, i) => i);
  return order.sort((a, b) => (stepsBuf[a] as number) - (stepsBuf[b] as number) || a - b);
}

/** One point from the samples at positions `[from, to)` of `order` (identity when null). */
function pointOf(grid: StepGrid, run: { order: ArrayLike<number> | null; from: number; to: number }, quantiles: readonly number[]): SeriesPoint {
  const { order, from, to } = run;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  const values = quantiles.length > 0 ? new Array<number>(to - from) : null;
  for (let k = from; k < to; k++) {
    const v = valuesBuf[order ? (order[k] as number) : k] as number;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    if (values) values[k - from] = v;
  }
  const count = to - from;
  const tsMs = grid.alignedFromMs + (stepsBuf[order ? (order[from] as number) : from] as number) * grid.stepMs;
  if (!values) return { tsMs, count, min, max, mean: sum / count };
  values.sort((a, b) => a - b);
  return { tsMs, count, min, max, mean: sum / count, quantiles: quantiles.map((q) => exactQuantile(values, q)) };
}

/** The points of raw samples (chunks in arrival order) on `grid`; exact quantiles when asked. */
export function rawPoints(grid: StepGrid, chunks: readonly DecodedChunk[], quantiles: readonly number[]): SeriesPoint[] {
  const n = gather(grid, chunks);
  const order = stepOrder(n);
  const stepAt = (k: number): number => stepsBuf[order ? (order[k] as number) : k] as number;
  const out: SeriesPoint[] = [];
  let from = 0;
  while (from < n) {
    const step = stepAt(from);
    let to = from + 1;
    while (to < n && stepAt(to) === step) to++;
    out.push(pointOf(grid, { order, from, to }, quantiles));
    from = to;
  }
  return out;
}

/** Points copied into columns (raw queries, whose windows are short): the asked fields and `quantiles` columns. */
export function pointColumns(
  points: readonly SeriesPoint[],
  o: { fields: readonly ColumnField[]; quantiles: number; slab?: ColumnSlab },
): Omit<SeriesColumns, 'series'> {
  const n = points.length;
  const take = (): Float64Array => (o.slab ? o.slab.take(n) : new Float64Array(n));
  const timestampsMs = take();
  const fields: Partial<Record<ColumnField, Float64Array>> = {};
  for (const f of o.fields) fields[f] = take();
  const quantiles = Array.from({ length: o.quantiles }, take);
  for (let k = 0; k < n; k++) {
    const p = points[k] as SeriesPoint;
    timestampsMs[k] = p.tsMs;
    for (const f of o.fields) (fields[f] as Float64Array)[k] = p[f];
    for (let j = 0; j < quantiles.length; j++) (quantiles[j] as Float64Array)[k] = p.quantiles?.[j] ?? NaN;
  }
  return { timestampsMs, fields, quantiles };
}
