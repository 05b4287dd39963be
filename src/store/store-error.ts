// SPDX-License-Identifier: Apache-2.0
// The store's typed error and the mapping from SQLite result codes to store conditions.
import type { StoreErrorCode } from '../domain/ports.ts';
import { AppError } from '../errors/app-error.ts';

/** A failure of the history store, with a stable `KRM_STORE_*` code. */
export class StoreError extends AppError {
  declare readonly code: StoreErrorCode;
  /** True when the same call may succeed later (disk space freed, lock released). */
  readonly retryable: boolean;

  constructor(
    code: StoreErrorCode,
    message: string,
    opts: { cause?: unknown; details?: Record<string, unknown>; retryable?: boolean } = {},
  ) {
    super(code, message, { cause: opts.cause, details: opts.details });
    this.retryable = opts.retryable ?? false;
  }
}

/** The SQLite extended result code of a thrown value (`SQLITE_FULL`, `SQLITE_IOERR_WRITE` …), if any. */
export function sqliteCode(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null || !('code' in e)) return undefined;
  const code = (e as { code: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

const PREFIXES: ReadonlyArray<readonly [string, StoreErrorCode]> = [
  ['SQLITE_CORRUPT', 'KRM_STORE_CORRUPT'],
  ['SQLITE_NOTADB', 'KRM_STORE_CORRUPT'],
  ['SQLITE_READONLY', 'KRM_STORE_READONLY'],
  ['SQLITE_FULL', 'KRM_STORE_FULL'],
  ['SQLITE_CANTOPEN', 'KRM_STORE_OPEN_FAILED'],
  ['SQLITE_PERM', 'KRM_STORE_READONLY'],
  ['SQLITE_IOERR', 'KRM_STORE_IO'],
  ['SQLITE_BUSY', 'KRM_STORE_IO'],
  ['SQLITE_LOCKED', 'KRM_STORE_IO'],
];

/** The store condition behind a SQLite error, or undefined for anything else (a programming error). */
export function classifySqliteError(e: unknown): StoreErrorCode | undefined {
  const code = sqliteCode(e);
  if (!code) return undefined;
  return PREFIXES.find(([prefix]) => code.startsWith(prefix))?.[1];
}

/** Wraps a classified SQLite error as a StoreError; returns undefined when it is not a store condition. */
export function toStoreError(e: unknown, message: string): StoreError | undefined {
  if (e instanceof StoreError) return e;
  const code = classifySqliteError(e);
  if (!code) return undefined;
  const retryable = code === 'KRM_STORE_FULL' || code === 'KRM_STORE_IO';
  return new StoreError(code, `${message}: ${(e as Error).message}`, {
    cause: e,
    retryable,
    details: { sqlite: sqliteCode(e) },
  });
}
