// SPDX-License-Identifier: Apache-2.0
// Forecast inputs and results as they cross between the analysis pass and a forecast worker thread: columns of
// doubles whose buffers are transferred (no copy, no object per sample to clone), and a result's path as its parts.
// Inputs are copied into buffers of their own first: the caller keeps its series (a regular series may be a view of a
// larger array, whose buffer a transfer would take away from everything else that reads it).
import { ForecastPath, type Forecast, type ForecastInput, type PathParts } from '../../analysis/forecast/index.ts';
import { columnSamples } from '../../domain/series.ts';

/** A forecast input on the wire: its samples as columns, or a regular series' values. */
export type WireInput = Omit<ForecastInput, 'samples'> & {
  readonly samples: { readonly kind: 'samples'; readonly tsMs: Float64Array; readonly values: Float64Array } | { readonly kind: 'regular'; readonly startMs: number; readonly stepMs: number; readonly values: Float64Array };
};

/** A forecast on the wire: everything as it is but the path, as its parts. */
export type WireForecast = Omit<Forecast, 'points'> & { readonly points: PathParts };

/** A message and the buffers to transfer with it. */
export interface Packed<T> {
  readonly message: T;
  readonly transfer: ArrayBuffer[];
}

function isSamples(s: ForecastInput['samples']): s is readonly { tsMs: number; value: number }[] {
  return Array.isArray(s);
}

/** The input with its samples copied into columns of its own (transferable). */
export function packInput(input: ForecastInput): Packed<WireInput> {
  const s = input.samples;
  if (isSamples(s)) {
    const tsMs = new Float64Array(s.length);
    const values = new Float64Array(s.length);
    for (let i = 0; i < s.length; i++) {
      tsMs[i] = (s[i] as { tsMs: number }).tsMs;
      values[i] = (s[i] as { value: number }).value;
    }
    return { message: { ...input, samples: { kind: 'samples', tsMs, values } }, transfer: [tsMs.buffer, values.buffer] };
  }
  const r = s as { startMs: number; stepMs: number; values: ArrayLike<number> };
  // A copy in one move when the values are a typed array (the requests grid's views); Float64Array.from() would walk
  // them through the iterator protocol, which was most of the pass's thread time spent on 40,000 forecasts.
  const values = copyOf(r.values);
  return { message: { ...input, samples: { kind: 'regular', startMs: r.startMs, stepMs: r.stepMs, values } }, transfer: [values.buffer] };
}

function copyOf(values: ArrayLike<number>): Float64Array<ArrayBuffer> {
  const out = new Float64Array(values.length);
  if (values instanceof Float64Array) out.set(values);
  else for (let i = 0; i < out.length; i++) out[i] = values[i] as number;
  return out;
}

/** The input as {@link forecastSeries} takes it. */
export function unpackInput(w: WireInput): ForecastInput {
  const s = w.samples;
  if (s.kind === 'regular') return { ...w, samples: { startMs: s.startMs, stepMs: s.stepMs, values: s.values } };
  return { ...w, samples: columnSamples({ timestampsMs: s.tsMs, values: s.values }) };
}

/** A forecast with its path as parts; the path's means are transferred when they fill a buffer of their own. */
export function packForecast(f: Forecast): Packed<WireForecast> {
  const points = f.points.toParts();
  const v = points.model?.means;
  const own = v !== undefined && v.byteOffset === 0 && v.byteLength === v.buffer.byteLength && v.buffer instanceof ArrayBuffer;
  return { message: { ...f, points }, transfer: own ? [v.buffer as ArrayBuffer] : [] };
}

/** The forecast back with its path. */
export function unpackForecast(w: WireForecast): Forecast {
  return { ...w, points: ForecastPath.fromParts(w.points) };
}

/** Forecasts to make in a worker, in order. */
export interface ForecastJob {
  readonly id: number;
  readonly inputs: readonly WireInput[];
}

/** A worker's answer to a job: the forecasts in the job's order, or what was thrown. */
export type ForecastReply = { readonly id: number; readonly forecasts: readonly WireForecast[] } | { readonly id: number; readonly error: { readonly name: string; readonly message: string } };
