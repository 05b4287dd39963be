// SPDX-License-Identifier: Apache-2.0
// The order of the series table's unique index, in which new series are inserted (series-registry.ts).
import type { SeriesKey } from '../domain/series.ts';

/** Orders keys as the series table's UNIQUE (cluster, kind, entity, metric) index does (for ASCII keys). */
export function compareKeys(a: SeriesKey, b: SeriesKey): number {
  if (a.cluster !== b.cluster) return a.cluster < b.cluster ? -1 : 1;
  if (a.kind !== b.kind) return a.kind < b.kind ? -1 : 1;
  if (a.entity !== b.entity) return a.entity < b.entity ? -1 : 1;
  if (a.metric !== b.metric) return a.metric < b.metric ? -1 : 1;
  return 0;
}
