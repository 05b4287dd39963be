// SPDX-License-Identifier: Apache-2.0
// Query-string parsing shared by the list routes: every rejection is a 400 `KRM_API_BAD_REQUEST` whose
// `details.parameter` names the parameter, so a client can point at the field it got wrong.
import { AppError } from '../../errors/app-error.ts';

/** The raw query object fastify parses (a repeated parameter arrives as an array). */
export type RawQuery = Readonly<Record<string, unknown>>;

/** List pages: `limit` defaults to 100 and is capped at 1000 (REQUIREMENTS §6.4). */
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

/** A 400 `KRM_API_BAD_REQUEST`; `details.parameter` names the query parameter at fault. */
export function badRequest(message: string, details: Record<string, unknown>): AppError {
  return new AppError('KRM_API_BAD_REQUEST', message, { details });
}

/** A parameter given at most once; empty reads as absent. */
export function stringParam(query: RawQuery, name: string): string | undefined {
  const v = query[name];
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string') throw badRequest(`${name} must be given once.`, { parameter: name });
  return v;
}

export function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_LIMIT;
  const n = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_LIMIT) {
    throw badRequest(`limit must be an integer from 1 to ${MAX_LIMIT}.`, { parameter: 'limit', value: raw });
  }
  return n;
}

/** One of `allowed`, or `fallback` when absent. */
export function enumParam<T extends string>(query: RawQuery, name: string, opts: { allowed: readonly T[]; fallback?: T }): T | undefined {
  const raw = stringParam(query, name);
  if (raw === undefined) return opts.fallback;
  if ((opts.allowed as readonly string[]).includes(raw)) return raw as T;
  throw badRequest(`${name} must be one of ${opts.allowed.join(', ')}.`, { parameter: name, value: raw });
}

/** RFC 3339 UTC, or null. */
export function isoOrNull(ms: number | undefined): string | null {
  return ms === undefined ? null : new Date(ms).toISOString();
}
