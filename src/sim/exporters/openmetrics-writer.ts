// SPDX-License-Identifier: Apache-2.0
// OpenMetrics 1.0 text with timestamps, for backfilling a Prometheus with history through
// `promtool tsdb create-blocks-from openmetrics FILE OUTDIR`. It renders the same MetricFamily values the /metrics
// endpoint does, collected once per simulated instant.
//
// Ordering, and why the writer buffers: OpenMetrics says MetricFamilies MUST NOT be interleaved and Metrics (series)
// MUST NOT be interleaved, and a series' points must have increasing timestamps. Snapshots arrive time-major (every
// series at t0, then at t1, ...), so the output (family by family, series by series, points in time order) can only
// be written once every snapshot is in. promtool 2.42 itself is laxer: it accepts repeated and interleaved families
// but silently drops a series' sample that is older than one it already appended, and it fails without `# EOF`.
// Memory grows with series × snapshots, so long histories are best written as one file per window (for example two
// hours, aligned to Prometheus' 2 h block boundaries so blocks do not overlap), each fed to promtool separately
// into the same output directory.
import { formatGoFloat, formatSecondsTimestamp } from './number-format.ts';
import { renderLabels } from './prometheus-text.ts';
import type { FamilyDef, MetricFamily } from './series.ts';

export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

const CHUNK_CHARS = 64 * 1024;

export interface OpenMetricsWriter {
  /** Buffers every sample of `families` at `timestampMs`; instants must strictly increase from call to call. */
  add(timestampMs: number, families: Iterable<MetricFamily>): void;
  /** Writes everything buffered, then `# EOF`. Call once; the writer accepts nothing afterwards. */
  end(): void;
  /** Samples buffered so far. */
  readonly sampleCount: number;
}

interface SeriesBuffer {
  /** `name{labels}`, rendered once. */
  readonly prefix: string;
  readonly times: number[];
  readonly values: number[];
}

interface FamilyBuffer {
  readonly def: FamilyDef;
  readonly series: Map<string, SeriesBuffer>;
}

/** HELP escaping of OpenMetrics: backslash, line feed and (unlike format 0.0.4) the double quote. */
function escapeOpenMetricsHelp(help: string): string {
  return help.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/** A counter's MetricFamily name is its sample name without `_total` (`# TYPE foo counter` / `foo_total 1`). */
function familyName(def: FamilyDef): string {
  return def.type === 'counter' ? def.name.slice(0, -'_total'.length) : def.name;
}

class BufferingOpenMetricsWriter implements OpenMetricsWriter {
  private readonly families = new Map<string, FamilyBuffer>();
  private lastMs = -Infinity;
  private ended = false;
  private samples = 0;

  constructor(private readonly write: (chunk: string) => void) {}

  get sampleCount(): number {
    return this.samples;
  }

  add(timestampMs: number, families: Iterable<MetricFamily>): void {
    if (this.ended) throw new Error('OpenMetrics writer already ended');
    if (!(timestampMs > this.lastMs)) throw new RangeError(`snapshot at ${timestampMs} ms is not after the previous one at ${this.lastMs} ms`);
    this.lastMs = timestampMs;
    for (const family of families) this.addFamily(timestampMs, family);
  }

  private addFamily(timestampMs: number, family: MetricFamily): void {
    let buf = this.families.get(family.name);
    if (buf === undefined) {
      buf = { def: { name: family.name, help: family.help, type: family.type }, series: new Map() };
      this.families.set(family.name, buf);
    } else if (buf.def.type !== family.type) {
      throw new TypeError(`family ${family.name} changed type from ${buf.def.type} to ${family.type}`);
    }
    for (const sample of family.samples()) {
      const labels = renderLabels(sample.labels);
      let series = buf.series.get(labels);
      if (series === undefined) {
        series = { prefix: `${family.name}${labels}`, times: [], values: [] };
        buf.series.set(labels, series);
      }
      // A family listing the same label set twice in one snapshot would break the increasing-time rule.
      if (series.times[series.times.length - 1] === timestampMs) throw new Error(`duplicate series ${series.prefix} at ${timestampMs} ms`);
      series.times.push(timestampMs);
      series.values.push(sample.value);
      this.samples++;
    }
  }

  end(): void {
    if (this.ended) throw new Error('OpenMetrics writer already ended');
    this.ended = true;
    const out = new ChunkedOutput(this.write);
    for (const { def, series } of this.families.values()) {
      const name = familyName(def);
      out.push(`# TYPE ${name} ${def.type}\n# HELP ${name} ${escapeOpenMetricsHelp(def.help)}\n`);
      for (const s of series.values()) writeSeries(out, s);
    }
    out.push('# EOF\n');
    out.flush();
    this.families.clear();
  }
}

/** Batches small strings into ~64 KiB writes. */
class ChunkedOutput {
  private buf = '';

  constructor(private readonly write: (chunk: string) => void) {}

  push(text: string): void {
    this.buf += text;
    if (this.buf.length >= CHUNK_CHARS) this.flush();
  }

  flush(): void {
    if (this.buf.length > 0) this.write(this.buf);
    this.buf = '';
  }
}

function writeSeries(out: ChunkedOutput, s: SeriesBuffer): void {
  for (let i = 0; i < s.times.length; i++) {
    out.push(`${s.prefix} ${formatGoFloat(s.values[i] ?? NaN)} ${formatSecondsTimestamp(s.times[i] ?? 0)}\n`);
  }
}

/** A writer that buffers snapshots and emits them as one OpenMetrics exposition through `write` on `end()`. */
export function createOpenMetricsWriter(write: (chunk: string) => void): OpenMetricsWriter {
  return new BufferingOpenMetricsWriter(write);
}
