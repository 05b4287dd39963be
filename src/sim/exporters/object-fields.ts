// SPDX-License-Identifier: Apache-2.0
// Typed reads of the fields the object model leaves untyped (`[field: string]: unknown`): workload specs and
// statuses, quotas, claims. A missing or mistyped field reads as undefined, as an absent field does in
// kube-state-metrics, instead of throwing in the middle of a scrape.
import type { Condition } from '../model/kube-types.ts';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value at `path` below `obj` (numeric steps index arrays), or undefined as soon as a step is missing. */
export function fieldAt(obj: unknown, ...path: string[]): unknown {
  let cur: unknown = obj;
  for (const key of path) {
    if (Array.isArray(cur)) cur = (cur as unknown[])[Number(key)];
    else if (isRecord(cur)) cur = cur[key];
    else return undefined;
  }
  return cur;
}

export function numberAt(obj: unknown, ...path: string[]): number | undefined {
  const v = fieldAt(obj, ...path);
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function stringAt(obj: unknown, ...path: string[]): string | undefined {
  const v = fieldAt(obj, ...path);
  return typeof v === 'string' ? v : undefined;
}

/** A string-to-string map (resource lists, labels); non-string entries are dropped. */
export function stringMapAt(obj: unknown, ...path: string[]): Record<string, string> {
  const v = fieldAt(obj, ...path);
  const out: Record<string, string> = {};
  if (!isRecord(v)) return out;
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

function isCondition(v: unknown): v is Condition {
  return isRecord(v) && typeof v['type'] === 'string' && typeof v['status'] === 'string';
}

/** `status.conditions` (or another path) as conditions; malformed entries are skipped. */
export function conditionsAt(obj: unknown, ...path: string[]): Condition[] {
  const v = fieldAt(obj, ...path);
  return Array.isArray(v) ? v.filter(isCondition) : [];
}
