// SPDX-License-Identifier: Apache-2.0
// Prepared statements by SQL text, for queries built from a filter: a handful of shapes asked thousands of times (an
// analysis pass asks each namespace's series and pods), where preparing each again costs more than running it.
import type { Statement } from 'better-sqlite3';
import type { Db } from './db.ts';

export class StatementCache {
  private readonly statements = new Map<string, Statement>();

  /** `max`: statements kept; the cache is emptied when full (the shapes in use come back at once). */
  constructor(
    private readonly db: Db,
    private readonly max = 64,
  ) {}

  get(sql: string): Statement {
    let st = this.statements.get(sql);
    if (st === undefined) {
      if (this.statements.size >= this.max) this.statements.clear();
      st = this.db.prepare(sql);
      this.statements.set(sql, st);
    }
    return st;
  }
}
