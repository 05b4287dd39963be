// SPDX-License-Identifier: Apache-2.0
// Forward-only schema migrations from numbered SQL files (`0001_init.sql`, `0002_….sql`), each applied once inside
// its own transaction and recorded in `schema_migrations` with a checksum, plus `meta.schema_version` (§2.7).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './db.ts';
import { StoreError, toStoreError } from './store-error.ts';

/** One migration file. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  /** sha256 of the SQL text, hex. */
  readonly checksum: string;
}

/** The repository's `migrations/` folder. */
export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** Reads the migration files of a folder, ordered by version. Throws on a duplicate version. */
export function loadMigrations(dir: string = DEFAULT_MIGRATIONS_DIR): Migration[] {
  const out: Migration[] = [];
  for (const file of readdirSync(dir).sort()) {
    const m = FILE_PATTERN.exec(file);
    if (!m) continue;
    const sql = readFileSync(join(dir, file), 'utf8');
    out.push({
      version: Number(m[1]),
      name: m[2] ?? file,
      sql,
      checksum: createHash('sha256').update(sql).digest('hex'),
    });
  }
  for (let i = 1; i < out.length; i++) {
    if (out[i]?.version === out[i - 1]?.version) {
      throw new StoreError('KRM_STORE_MIGRATION_FAILED', `duplicate migration version ${out[i]?.version} in ${dir}`);
    }
  }
  return out;
}

interface AppliedRow {
  version: number;
  checksum: string;
}

function applied(db: Db): Map<number, string> {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!exists) return new Map();
  const rows = db.prepare('SELECT version, checksum FROM schema_migrations').all() as AppliedRow[];
  return new Map(rows.map((r) => [r.version, r.checksum]));
}

function verify(done: Map<number, string>, migrations: readonly Migration[]): void {
  const known = new Map(migrations.map((m) => [m.version, m]));
  for (const [version, checksum] of done) {
    const m = known.get(version);
    if (!m) {
      throw new StoreError('KRM_STORE_MIGRATION_FAILED', `database schema version ${version} is newer than this build`, {
        details: { version },
      });
    }
    if (m.checksum !== checksum) {
      throw new StoreError('KRM_STORE_MIGRATION_FAILED', `migration ${version}_${m.name} changed after it was applied`, {
        details: { version },
      });
    }
  }
}

function applyOne(db: Db, m: Migration, nowMs: number): void {
  db.transaction(() => {
    db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, ' +
        'checksum TEXT NOT NULL, applied_ms INTEGER NOT NULL)',
    );
    db.exec(m.sql);
    db.prepare('INSERT INTO schema_migrations (version, name, checksum, applied_ms) VALUES (?, ?, ?, ?)').run(
      m.version,
      m.name,
      m.checksum,
      nowMs,
    );
    db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)").run(String(m.version));
  })();
}

/**
 * Applies pending migrations in order; returns the versions applied (empty when up to date). Throws StoreError
 * `KRM_STORE_MIGRATION_FAILED` on a failed, edited or unknown migration, `KRM_STORE_READONLY` when migrations are
 * pending on a read-only connection.
 */
export function migrate(db: Db, opts: { migrations: readonly Migration[]; nowMs: number; readOnly: boolean }): number[] {
  const done = applied(db);
  verify(done, opts.migrations);
  const pending = opts.migrations.filter((m) => !done.has(m.version));
  if (pending.length > 0 && opts.readOnly) {
    throw new StoreError('KRM_STORE_READONLY', 'the database is read-only and its schema needs migrations', {
      details: { pending: pending.map((m) => m.version) },
    });
  }
  for (const m of pending) {
    try {
      applyOne(db, m, opts.nowMs);
    } catch (e) {
      const cause = toStoreError(e, `migration ${m.version}_${m.name}`) ?? e;
      throw new StoreError('KRM_STORE_MIGRATION_FAILED', `migration ${m.version}_${m.name} failed`, {
        cause,
        details: { version: m.version },
      });
    }
  }
  return pending.map((m) => m.version);
}
