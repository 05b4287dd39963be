// SPDX-License-Identifier: Apache-2.0
// The registry's cache holds the series with an open head; keys missing from it are inserted without a lookup
// first, so an existing series must still resolve to its id: created by another connection, idle for a while, or
// on a database that cannot be written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { loadMigrations, migrate } from './migrate.ts';
import { SeriesRegistry } from './series-registry.ts';

const require = createRequire(import.meta.url);
const key = (entity: string) => ({ cluster: 'c', kind: 'container' as const, entity, metric: 'cpu_m' });

function withDb(run: (path: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'krm-registry-'));
  try {
    const path = join(dir, 'krm.db');
    const db = new Database(path);
    migrate(db, { migrations: loadMigrations(), nowMs: 0, readOnly: false });
    db.close();
    run(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a series created by another connection after the cache was loaded resolves to the same id', () => {
  withDb((path) => {
    const a = new SeriesRegistry(new Database(path));
    const b = new SeriesRegistry(new Database(path));
    const [first] = a.resolve([key('x')], 1);
    assert.deepEqual(b.resolve([key('x'), key('y')], 2).slice(0, 1), [first]);
    assert.deepEqual(a.resolve([key('y')], 3), b.resolve([key('y')], 3));
    assert.equal(new Set([...a.resolve([key('x'), key('y'), key('z')], 4)]).size, 3);
  });
});

test('on a read-only database existing series still resolve; a new one is the SQLite error', () => {
  withDb((path) => {
    const [id] = new SeriesRegistry(new Database(path)).resolve([key('x')], 1);
    const ro = new SeriesRegistry(new Database(path, { readonly: true }));
    assert.deepEqual(ro.resolve([key('x')], 2), [id]);
    assert.throws(() => ro.resolve([key('x'), key('new')], 3), (e: Error & { code?: string }) => /READONLY/.test(String(e.code)));
    assert.deepEqual(ro.resolve([key('x')], 4), [id], 'the failed call left the cache usable');
  });
});

test('many new series in one call, in any order and with repeats, each get the id the table holds for them', () => {
  withDb((path) => {
    const db = new Database(path);
    const registry = new SeriesRegistry(db);
    // More than one INSERT's worth of rows, out of key order, a repeated key, and one batch that meets rows created
    // by another connection (which the insert skips, so its ids must be read).
    const other = new SeriesRegistry(new Database(path));
    other.resolve([key('e-0500'), key('e-0017')], 1);
    const keys = Array.from({ length: 1234 }, (_, i) => key(`e-${String((i * 7919) % 1234).padStart(4, '0')}`));
    keys.push(key('e-0003'));
    const ids = registry.resolve(keys, 2);
    const byEntity = new Map((db.prepare('SELECT id, entity FROM series').all() as Array<{ id: number; entity: string }>).map((r) => [r.entity, r.id]));
    assert.equal(byEntity.size, 1234);
    keys.forEach((k, i) => assert.equal(ids[i], byEntity.get(k.entity), k.entity));
    assert.deepEqual(new SeriesRegistry(new Database(path)).resolve(keys.slice(0, 50), 3), ids.slice(0, 50));
    assert.equal(registry.info(ids[0] as number)?.entity, keys[0]?.entity);
  });
});

test('the identities of cached series come back whole: cluster, kind, entity and metric per id', () => {
  withDb((path) => {
    const registry = new SeriesRegistry(new Database(path));
    const keys = [
      { cluster: 'a', kind: 'container' as const, entity: 'ns/p/c', metric: 'cpu_m' },
      { cluster: 'a', kind: 'container' as const, entity: 'ns/p/c', metric: 'mem_b' },
      { cluster: 'b', kind: 'container' as const, entity: 'ns/p/c', metric: 'cpu_m' },
      { cluster: 'a', kind: 'node' as const, entity: 'n1', metric: 'cpu_m' },
    ];
    const ids = registry.resolve(keys, 1);
    const cold = new SeriesRegistry(new Database(path));
    ids.forEach((id, i) => {
      assert.deepEqual(registry.info(id), { id, ...keys[i] }, 'cached when created');
      assert.deepEqual(cold.info(id), { id, ...keys[i] }, 'read from the table, then cached');
      assert.deepEqual(cold.info(id), { id, ...keys[i] });
    });
    assert.deepEqual(
      registry.find({ cluster: 'a', entity: 'ns/p/c' }).map((s) => s.metric),
      ['cpu_m', 'mem_b'],
    );
    assert.equal(registry.info(999), undefined);
  });
});

test('another process holding the write lock: new series wait for it (busy_timeout) instead of failing at once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'krm-registry-busy-'));
  try {
    const path = join(dir, 'krm.db');
    const setup = new Database(path);
    setup.pragma('journal_mode = WAL');
    migrate(setup, { migrations: loadMigrations(), nowMs: 0, readOnly: false });
    setup.close();
    const db = new Database(path);
    db.pragma('busy_timeout = 5000');
    const registry = new SeriesRegistry(db);
    registry.resolve([key('warm')], 1);
    // A writer in another process: takes the write lock, says so, holds it for 400 ms.
    const holder = `const D = require(${JSON.stringify(require.resolve('better-sqlite3'))}); const d = new D(${JSON.stringify(path)}); d.exec('BEGIN IMMEDIATE'); process.stdout.write('locked'); setTimeout(() => { d.exec('COMMIT'); d.close(); }, 400);`;
    const child = spawn(process.execPath, ['-e', holder], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    const t0 = Date.now();
    const [id] = registry.resolve([key('new')], 2);
    assert.ok(Date.now() - t0 >= 200, 'waited for the other writer');
    assert.equal(id, 2);
    await new Promise((resolve) => child.once('exit', resolve));
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
