// SPDX-License-Identifier: Apache-2.0
// Keyset cursors for the list routes. A `continue` token carries the sort key of the last item returned plus a hash
// of the query's filters and sort, so the next page starts strictly after that key: objects added or removed between
// pages shift no offset, and nothing that exists throughout is skipped or repeated. A token replayed against another
// query (other filters or sort) is a 400 rather than a silently wrong page.
import { createHash } from 'node:crypto';
import { badRequest } from './query-params.ts';

/**
 * A position in a sorted list: a number (usage; sorted highest first), then `id`, the item's identifying strings
 * (e.g. namespace and name) joined by NUL, ascending by code point. Joined by NUL, one string comparison orders the
 * tuple exactly (NUL sorts below every character of a Kubernetes name), and comparing code points rather than with
 * `localeCompare` is several times faster over 150,000 items and gives the total order the binary search needs.
 */
export interface SortKey {
  readonly value: number;
  readonly id: string;
}

/** The `id` of a sort key from its parts (e.g. namespace, name). */
export function keyId(...parts: readonly string[]): string {
  return parts.join('\u0000');
}

/** Orders two keys: higher `value` first, then `id` ascending. */
export function compareKeys(a: SortKey, b: SortKey): number {
  if (a.value !== b.value) return b.value - a.value;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** A short, stable hash of the parameters that define a query's result set and order (not `limit`). */
export function queryHash(params: Readonly<Record<string, string | undefined>>): string {
  const canonical = JSON.stringify(Object.keys(params).sort().map((k) => [k, params[k] ?? null]));
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 16);
}

export function encodeCursor(key: SortKey, hash: string): string {
  return Buffer.from(JSON.stringify({ v: key.value, k: key.id, h: hash })).toString('base64url');
}

function isKey(v: { v?: unknown; k?: unknown }): v is { v: number; k: string } {
  return typeof v.v === 'number' && Number.isFinite(v.v) && typeof v.k === 'string';
}

/** The key a `continue` token resumes after; undefined for the first page. `hash` is the query's {@link queryHash}. */
export function decodeCursor(raw: string | undefined, hash: string): SortKey | undefined {
  if (raw === undefined) return undefined;
  let v: { v?: unknown; k?: unknown; h?: unknown } | undefined;
  try {
    v = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as typeof v;
  } catch {
    // Not JSON: reported as a bad cursor below, the same as a cursor of another query.
    v = undefined;
  }
  if (v !== undefined && v !== null && v.h === hash && isKey(v)) return { value: v.v, id: v.k };
  throw badRequest('continue is not a cursor of this query, or the usage it sorts by was collected again since: start again from the first page.', { parameter: 'continue' });
}

/** Index of the first item strictly after `after` in a list sorted by `compareKeys`. */
export function indexAfter<T extends SortKey>(sorted: readonly T[], after: SortKey | undefined): number {
  if (after === undefined) return 0;
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys(sorted[mid] as T, after) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A page of a sorted list after a cursor, with the token of the next page (null on the last one). */
export function pageAfter<T extends SortKey>(sorted: readonly T[], opts: { after: SortKey | undefined; limit: number; hash: string }): { page: T[]; next: string | null } {
  const start = indexAfter(sorted, opts.after);
  const page = sorted.slice(start, start + opts.limit);
  const last = page[page.length - 1];
  const more = start + opts.limit < sorted.length;
  return { page, next: more && last !== undefined ? encodeCursor(last, opts.hash) : null };
}
