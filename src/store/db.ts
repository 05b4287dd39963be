// SPDX-License-Identifier: Apache-2.0
// Opening the SQLite file: pragmas (REQUIREMENTS §2.1), the start-up integrity check (§2.6) and the fall-back to a
// read-only handle when the file cannot be written, so that a read-only volume still serves reads.
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { sqliteCode, StoreError, toStoreError } from './store-error.ts';

/** The better-sqlite3 connection type, re-exported so that other store files need no SDK import for types. */
export type Db = Database.Database;

/** Options of {@link openDatabase}. */
export interface OpenDbOptions {
  /** Database file; its directory is created when missing. */
  readonly path: string;
  /** Open read-only even if the file is writable. */
  readonly readonly?: boolean;
  /** How long a statement waits for a lock, ms (default 5000). */
  readonly busyTimeoutMs?: number;
  /** Page cache size in KiB (default 65536, i.e. 64 MiB). */
  readonly cacheSizeKiB?: number;
  /** `quick` runs `PRAGMA quick_check` (default); `off` skips it. */
  readonly integrityCheck?: 'quick' | 'off';
}

/** An open connection and whether it can write. */
export interface OpenedDb {
  readonly db: Db;
  readonly readOnly: boolean;
  /** Why the connection is read-only. */
  readonly readOnlyCause?: StoreError;
}

const CORRUPT_HINT = 'the database file is damaged; stop the service and restore the latest backup (docs/store.md)';

function commonPragmas(db: Db, opts: OpenDbOptions): void {
  db.pragma(`busy_timeout = ${Math.trunc(opts.busyTimeoutMs ?? 5000)}`);
  db.pragma(`cache_size = ${-Math.trunc(opts.cacheSizeKiB ?? 65536)}`);
  db.pragma('temp_store = MEMORY');
  db.pragma('foreign_keys = ON');
}

function writablePragmas(db: Db): void {
  // auto_vacuum only takes effect before the first table exists (REQUIREMENTS §2.1).
  if (db.pragma('page_count', { simple: true }) === 0) db.pragma('auto_vacuum = INCREMENTAL');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
}

function quickCheck(db: Db, path: string): void {
  const rows = db.pragma('quick_check') as Array<Record<string, unknown>>;
  const problems = rows.map((r) => String(Object.values(r)[0])).filter((m) => m !== 'ok');
  if (problems.length > 0) {
    throw new StoreError('KRM_STORE_CORRUPT', `integrity check failed for ${path}: ${CORRUPT_HINT}`, {
      details: { path, problems: problems.slice(0, 10) },
    });
  }
}

function fail(e: unknown, path: string, what: string): never {
  const err = toStoreError(e, `${what} ${path}`);
  if (err?.code === 'KRM_STORE_CORRUPT') {
    throw new StoreError('KRM_STORE_CORRUPT', `${path} is not a valid database: ${CORRUPT_HINT}`, {
      cause: e,
      details: { path },
    });
  }
  throw err ?? e;
}

/**
 * A read-only connection. In WAL mode even a reader needs the `-shm` file, so a read-only file is readable only in
 * a folder where SQLite can create `-shm` (or where it exists). better-sqlite3 is built without URI filenames, so
 * `immutable=1` is not available: a fully read-only folder fails with KRM_STORE_OPEN_FAILED and a hint.
 */
function readOnlyHandle(path: string): Db {
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    db.pragma('schema_version');
    return db;
  } catch (e) {
    const code = sqliteCode(e) ?? '';
    if (code !== 'SQLITE_READONLY_DIRECTORY' && !code.startsWith('SQLITE_CANTOPEN')) throw e;
    throw new StoreError('KRM_STORE_OPEN_FAILED', `cannot read ${path}: its folder must be writable for the WAL index (-shm)`, {
      cause: e,
      details: { path },
    });
  }
}

function openReadOnly(opts: OpenDbOptions): Db {
  let db: Db | undefined;
  try {
    db = readOnlyHandle(opts.path);
    commonPragmas(db, opts);
    if (opts.integrityCheck !== 'off') quickCheck(db, opts.path);
    return db;
  } catch (e) {
    db?.close();
    if (e instanceof StoreError) throw e;
    return fail(e, opts.path, 'cannot open read-only');
  }
}

/** True when the file exists and this process may not write it (always false for root). */
function isWriteProtected(path: string): boolean {
  if (!existsSync(path)) return false;
  try {
    accessSync(path, constants.W_OK);
    return false;
  } catch {
    // EACCES/EROFS: expected on a read-only volume or file; the caller opens read-only and reports it.
    return true;
  }
}

function openWritable(opts: OpenDbOptions): { db: Db } | { readOnlyCause: StoreError } {
  if (isWriteProtected(opts.path)) {
    return { readOnlyCause: new StoreError('KRM_STORE_READONLY', `${opts.path} is not writable by this process`) };
  }
  let db: Db | undefined;
  try {
    if (!existsSync(dirname(opts.path))) mkdirSync(dirname(opts.path), { recursive: true });
    db = new Database(opts.path);
    commonPragmas(db, opts);
    writablePragmas(db);
    return { db };
  } catch (e) {
    db?.close();
    const err = toStoreError(e, `cannot open ${opts.path} for writing`);
    if (err?.code === 'KRM_STORE_READONLY' && existsSync(opts.path)) return { readOnlyCause: err };
    return fail(e, opts.path, 'cannot open');
  }
}

/**
 * Opens the database. Throws StoreError `KRM_STORE_CORRUPT` when the file is not a database or fails the quick
 * check, `KRM_STORE_OPEN_FAILED` when it cannot be opened at all. A file that cannot be written is opened read-only
 * (`readOnly: true`) instead of failing.
 */
export function openDatabase(opts: OpenDbOptions): OpenedDb {
  if (opts.readonly) {
    const cause = new StoreError('KRM_STORE_READONLY', `${opts.path} is opened read-only by configuration`);
    return { db: openReadOnly(opts), readOnly: true, readOnlyCause: cause };
  }
  const writable = openWritable(opts);
  if ('readOnlyCause' in writable) return { db: openReadOnly(opts), readOnly: true, readOnlyCause: writable.readOnlyCause };
  const { db } = writable;
  try {
    if (opts.integrityCheck !== 'off') quickCheck(db, opts.path);
  } catch (e) {
    db.close();
    if (e instanceof StoreError) throw e;
    return fail(e, opts.path, 'cannot check');
  }
  return { db, readOnly: false };
}
