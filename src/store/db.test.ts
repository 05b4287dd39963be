// SPDX-License-Identifier: Apache-2.0
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, cpSync, openSync, readFileSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase } from './db.ts';
import { DEFAULT_MIGRATIONS_DIR, loadMigrations, migrate } from './migrate.ts';
import { SqliteSampleStore } from './sample-store.ts';
import { StoreError } from './store-error.ts';
import { containerKeys, manualClock, openTestStore, tempDir } from './testing.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2024, 4, 6);

function isStoreError(code: string) {
  return (e: unknown): boolean => e instanceof StoreError && e.code === code;
}

/** A store file holding one day of history for 4 series, closed. */
async function seededFile(t: Parameters<typeof tempDir>[0]): Promise<{ path: string; ids: number[] }> {
  const path = join(tempDir(t), 'seed.db');
  const store = await SqliteSampleStore.open({ path, clock: manualClock(T0 + DAY) });
  const ids = await store.resolveSeries(containerKeys(2));
  const series = ids.map((seriesId) => ({
    seriesId,
    timestampsMs: Array.from({ length: 1440 }, (_, i) => T0 + i * MINUTE),
    values: Array.from({ length: 1440 }, (_, i) => 1000 + seriesId * 10 + (i % 17)),
  }));
  await store.writeHistory({ series });
  await store.flush();
  await store.close();
  return { path, ids };
}

void describe('migrations', () => {
  void it('apply once, in order, with PRAGMAs set, and are idempotent on reopen', (t) => {
    const path = join(tempDir(t), 'm.db');
    const first = openDatabase({ path });
    const migrations = loadMigrations();
    assert.deepEqual(migrate(first.db, { migrations, nowMs: T0, readOnly: false }), [1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual(migrate(first.db, { migrations, nowMs: T0, readOnly: false }), []);
    assert.equal(first.db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(first.db.pragma('foreign_keys', { simple: true }), 1);
    assert.equal(first.db.pragma('auto_vacuum', { simple: true }), 2, 'incremental');
    first.db.close();
    const again = openDatabase({ path });
    assert.deepEqual(migrate(again.db, { migrations, nowMs: T0, readOnly: false }), []);
    const versions = again.db.prepare('SELECT version FROM schema_migrations').pluck().all();
    assert.deepEqual(versions, [1, 2, 3, 4, 5, 6, 7]);
    assert.equal(again.db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get(), '7');
    again.db.close();
  });

  void it('refuse an edited migration, a database newer than the build, and a failing migration', (t) => {
    const dir = tempDir(t);
    const migDir = join(dir, 'migrations');
    cpSync(DEFAULT_MIGRATIONS_DIR, migDir, { recursive: true });
    const { db } = openDatabase({ path: join(dir, 'e.db') });
    t.after(() => db.close());
    migrate(db, { migrations: loadMigrations(migDir), nowMs: T0, readOnly: false });
    const file = join(migDir, '0001_init.sql');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n-- edited\n`);
    assert.throws(() => migrate(db, { migrations: loadMigrations(migDir), nowMs: T0, readOnly: false }), isStoreError('KRM_STORE_MIGRATION_FAILED'));
    assert.throws(() => migrate(db, { migrations: [], nowMs: T0, readOnly: false }), /newer than this build/);
    const broken = [...loadMigrations(), { version: 999, name: 'broken', sql: 'CREATE TABLE series (x);', checksum: 'x' }];
    assert.throws(() => migrate(db, { migrations: broken, nowMs: T0, readOnly: false }), isStoreError('KRM_STORE_MIGRATION_FAILED'));
    assert.equal(db.prepare('SELECT COUNT(*) FROM schema_migrations').pluck().get(), loadMigrations().length, 'failed migration rolled back');
  });
});

void describe('integrity at open', () => {
  void it('rejects a file of garbage with KRM_STORE_CORRUPT', async (t) => {
    const path = join(tempDir(t), 'garbage.db');
    writeFileSync(path, Buffer.alloc(64 * 1024, 'not a database '));
    await assert.rejects(SqliteSampleStore.open({ path }), isStoreError('KRM_STORE_CORRUPT'));
  });

  void it('rejects a database whose pages were overwritten with KRM_STORE_CORRUPT', async (t) => {
    const { path } = await seededFile(t);
    const fd = openSync(path, 'r+');
    // Page 1 keeps the header; garbage over pages 2.. damages the schema and table b-trees.
    writeSync(fd, Buffer.alloc(8 * 4096, 0xa5), 0, 8 * 4096, 4096);
    closeSync(fd);
    await assert.rejects(SqliteSampleStore.open({ path }), isStoreError('KRM_STORE_CORRUPT'));
  });
});

void describe('read-only and full databases degrade instead of crashing', () => {
  void it('serves reads from a read-only copy and reports writes as not possible', async (t) => {
    const { path, ids } = await seededFile(t);
    const copy = join(tempDir(t), 'ro.db');
    copyFileSync(path, copy);
    chmodSync(copy, 0o444);
    // Tests run as root, for whom mode 0444 does not stop writes: the store is told to open read-only, which is
    // what the service does when the file is not writable for its user (a non-root run also falls back by itself).
    const store = await openTestStore(t, { path: copy, readonly: true, clock: manualClock(T0 + DAY) });
    const res = await store.query({ seriesIds: ids, fromMs: T0, toMs: T0 + DAY, stepMs: 60 * MINUTE });
    assert.equal(res.series.length, 4);
    assert.ok(res.series.every((s) => s.points.length === 24));
    assert.equal(store.status().writable, false);
    assert.equal(store.status().lastError?.code, 'KRM_STORE_READONLY');
    await store.append({ seriesIds: [ids[0] ?? 0], timestampsMs: [T0 + DAY], values: [5] });
    await assert.rejects(store.flush(), isStoreError('KRM_STORE_READONLY'));
    await assert.rejects(store.resolveSeries(containerKeys(3)), isStoreError('KRM_STORE_READONLY'));
    const rotated = await store.rotate();
    assert.equal(rotated.compactedRows, 0);
  });

  void it('falls back to read-only by itself when the file cannot be written (non-root only)', async (t) => {
    if (process.getuid?.() === 0) return t.skip('root ignores file modes');
    const { path } = await seededFile(t);
    chmodSync(path, 0o444);
    const store = await openTestStore(t, { path });
    assert.equal(store.status().writable, false);
  });

  void it('keeps rows queued and visible when a write hits PRAGMA query_only (a read-only file at run time)', async (t) => {
    const { path, ids } = await seededFile(t);
    const clock = manualClock(T0 + DAY);
    const store = await openTestStore(t, { path, clock, pragmas: ['query_only = ON'] });
    for (let i = 0; i < 200; i++) {
      await store.append({ seriesIds: ids, timestampsMs: ids.map(() => T0 + DAY + i * MINUTE), values: ids.map(() => i) });
    }
    const status = store.status();
    assert.equal(status.writable, false);
    assert.equal(status.lastError?.code, 'KRM_STORE_READONLY');
    assert.ok(status.pendingChunks > 0);
    const res = await store.query({ seriesIds: ids, fromMs: T0 + DAY, toMs: T0 + 2 * DAY, stepMs: MINUTE });
    assert.ok(res.series.every((s) => s.points.length === 200), 'pending chunks and heads are served');
  });

  void it('reports SQLITE_FULL as KRM_STORE_FULL, keeps serving reads and recovers when space is freed', async (t) => {
    const { path, ids } = await seededFile(t);
    const pages = (() => {
      const db = new Database(path, { readonly: true });
      const n = db.pragma('page_count', { simple: true }) as number;
      db.close();
      return n;
    })();
    const clock = manualClock(T0 + 2 * DAY);
    const store = await openTestStore(t, { path, clock, pragmas: [`max_page_count = ${pages + 2}`], retentionMs: { raw: DAY / 2 } });
    const n = 1440;
    const series = ids.map((seriesId) => ({
      seriesId,
      timestampsMs: Array.from({ length: n }, (_, i) => T0 + DAY + i * MINUTE),
      values: Array.from({ length: n }, (_, i) => Math.sin(i) * 1e6),
    }));
    await assert.rejects(store.writeHistory({ series }), isStoreError('KRM_STORE_FULL'));
    assert.equal(store.status().writable, false);
    assert.equal(store.status().lastError?.code, 'KRM_STORE_FULL');
    const res = await store.query({ seriesIds: ids, fromMs: T0, toMs: T0 + DAY, stepMs: DAY });
    assert.equal(res.series[0]?.points[0]?.count, 1440, 'reads still work');
    // Retention frees pages inside the file; the next write succeeds and the store is writable again.
    await store.rotate();
    await store.append({ seriesIds: [ids[0] ?? 0], timestampsMs: [T0 + 3 * DAY], values: [1] });
    await store.flush();
    assert.equal(store.status().writable, true);
    assert.equal(store.status().lastError?.code, 'KRM_STORE_FULL', 'the last error stays for diagnostics');
  });
});
