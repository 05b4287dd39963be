// SPDX-License-Identifier: Apache-2.0
// Text helpers the printers share, with the exact output of their apimachinery counterparts: label maps
// (`labels.FormatLabels`), label selectors (`LabelSelectorAsSelector(...).String()` and
// `metav1.FormatLabelSelector`), container lists and persistent volume access modes.
import { at, rec, recs, str, strs, stringMap } from './fields.ts';

const NONE = '<none>';

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `k1=v1,k2=v2` sorted by key, or `<none>` for an empty map. */
export function formatLabels(labels: unknown): string {
  const map = stringMap(labels);
  const keys = Object.keys(map).sort(byCodePoint);
  if (keys.length === 0) return NONE;
  return keys.map((k) => `${k}=${map[k] ?? ''}`).join(',');
}

interface Requirement {
  key: string;
  text: string;
}

function expressionText(expr: Record<string, unknown>): Requirement | undefined {
  const key = str(expr['key']);
  const values = strs(expr['values']).sort(byCodePoint).join(',');
  switch (str(expr['operator'])) {
    case 'In':
      return { key, text: `${key} in (${values})` };
    case 'NotIn':
      return { key, text: `${key} notin (${values})` };
    case 'Exists':
      return { key, text: key };
    case 'DoesNotExist':
      return { key, text: `!${key}` };
    default:
      return undefined;
  }
}

/**
 * A LabelSelector as `labels.Selector.String()` writes it: requirements sorted by key, matchLabels as `k=v`,
 * expressions as `k in (a,b)`, `k notin (a,b)`, `k`, `!k`. Nil and empty selectors give the empty string.
 */
export function labelSelectorString(selector: unknown): string {
  const sel = rec(selector);
  const reqs: Requirement[] = Object.entries(stringMap(sel['matchLabels'])).map(([k, v]) => ({
    key: k,
    text: `${k}=${v}`,
  }));
  for (const expr of recs(sel['matchExpressions'])) {
    const r = expressionText(expr);
    if (r === undefined) return '<error>';
    reqs.push(r);
  }
  return reqs
    .sort((a, b) => byCodePoint(a.key, b.key))
    .map((r) => r.text)
    .join(',');
}

/** `metav1.FormatLabelSelector`: like `labelSelectorString`, with `<none>` for an empty selector. */
export function formatLabelSelector(selector: unknown): string {
  const text = labelSelectorString(selector);
  return text === '' ? NONE : text;
}

/** CONTAINERS and IMAGES cells of a pod template spec: names and images joined with commas. */
export function containerCells(podSpec: unknown): [string, string] {
  const containers = recs(at(podSpec, 'containers'));
  return [containers.map((c) => str(c['name'])).join(','), containers.map((c) => str(c['image'])).join(',')];
}

const ACCESS_MODES: readonly [string, string][] = [
  ['ReadWriteOnce', 'RWO'],
  ['ReadOnlyMany', 'ROX'],
  ['ReadWriteMany', 'RWX'],
  ['ReadWriteOncePod', 'RWOP'],
];

/** `GetAccessModesAsString`: short names in a fixed order (RWO, ROX, RWX, RWOP), duplicates dropped. */
export function accessModesString(modes: unknown): string {
  const present = new Set(strs(modes));
  return ACCESS_MODES.filter(([mode]) => present.has(mode))
    .map(([, short]) => short)
    .join(',');
}

/** `a,b,c + 2 more...` once `max` items are shown, as the endpoint printers do. */
export function listWithMore(items: readonly string[], total: number, max: number): string {
  const shown = items.slice(0, max).join(',');
  return total > max ? `${shown} + ${total - max} more...` : shown;
}

/** A quantity cell: Go prints a missing quantity as its zero value, `0`. Stored quantities print as stored. */
export function quantity(v: unknown): string {
  const s = str(v);
  return s === '' ? '0' : s;
}
