// SPDX-License-Identifier: Apache-2.0
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openDatabase } from './db.ts';
import { StatementCache } from './statement-cache.ts';
import { tempDir } from './testing.ts';

describe('statement cache', () => {
  it('prepares a shape once and reuses it; when full it starts again and still answers', (t) => {
    const { db } = openDatabase({ path: join(tempDir(t), 's.db') });
    t.after(() => db.close());
    const cache = new StatementCache(db, 2);
    const a = cache.get('SELECT 1 AS v');
    assert.equal(cache.get('SELECT 1 AS v'), a);
    cache.get('SELECT 2 AS v');
    // A third shape empties the cache: the first is prepared anew, and every statement still runs.
    const c = cache.get('SELECT 3 AS v');
    assert.deepEqual(c.get(), { v: 3 });
    const again = cache.get('SELECT 1 AS v');
    assert.notEqual(again, a);
    assert.deepEqual(again.get(), { v: 1 });
  });
});
