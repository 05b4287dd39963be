// SPDX-License-Identifier: Apache-2.0
// The one series model behind every metrics renderer. A family collector knows a metric's name, HELP, TYPE and how
// to produce its samples from some source; binding it to a source gives a MetricFamily, which the Prometheus text
// renderer (scrapes) and the OpenMetrics writer (history backfill) both consume. Series are defined only here, in
// the *-families.ts files, never in a renderer.

export type MetricType = 'counter' | 'gauge';

/** Label pairs in exposition order (exporters differ: cAdvisor sorts them, kube-state-metrics does not). */
export type Labels = readonly (readonly [name: string, value: string])[];

export interface Sample {
  readonly labels: Labels;
  readonly value: number;
}

export interface FamilyDef {
  /** The sample name; counters keep their `_total` suffix here (OpenMetrics drops it from the family name). */
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  /**
   * Whether the real exporter stamps this family's samples with the collection time (cAdvisor and the kubelet
   * resource endpoint do for usage, not for spec or start-time series). Only the per-node kubelet renderers print it.
   */
  readonly stamped?: boolean;
}

/** A family definition plus how to collect its samples from a source `S`. */
export interface FamilyCollector<S> extends FamilyDef {
  collect(source: S): Iterable<Sample>;
}

/** A family bound to its data: what the renderers consume. `samples()` may be iterated more than once. */
export interface MetricFamily extends FamilyDef {
  samples(): Iterable<Sample>;
}

export function defineFamily<S>(def: FamilyDef, collect: (source: S) => Iterable<Sample>): FamilyCollector<S> {
  if (def.type === 'counter' && !def.name.endsWith('_total')) {
    // OpenMetrics requires the `_total` suffix on counter samples; catching it here keeps both renderers valid.
    throw new TypeError(`counter family ${def.name} must end in _total`);
  }
  return { ...def, collect };
}

export function bindFamilies<S>(collectors: readonly FamilyCollector<S>[], source: S): MetricFamily[] {
  return collectors.map((c) => ({
    name: c.name,
    help: c.help,
    type: c.type,
    stamped: c.stamped,
    samples: () => c.collect(source),
  }));
}

/** A copy of `labels` with one more pair inserted at its alphabetical place (for exporters that sort labels). */
export function withSortedLabel(labels: Labels, name: string, value: string): Labels {
  const out = [...labels];
  const at = out.findIndex(([n]) => n > name);
  out.splice(at === -1 ? out.length : at, 0, [name, value]);
  return out;
}
