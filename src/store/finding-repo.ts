// SPDX-License-Identifier: Apache-2.0
// The SQLite implementation of the FindingStore port, on the sample store's connection and write queue (one
// database, one health; see SqliteSampleStore.findings). A run's findings are matched to the open rows by
// fingerprint in one transaction; a row missing from two consecutive runs of its analysis is resolved (§3.0), so a
// single flaky run does not close and reopen a finding.
import { fingerprintOf, type AnalysisName, type Finding, type RightsizingRecommendation } from '../analysis/findings.ts';
import { SEVERITIES, severityRank } from '../analysis/severity.ts';
import type { HistoryPage } from '../domain/history.ts';
import type {
  FindingCursor,
  FindingQuery,
  FindingRunReport,
  FindingStore,
  RecommendationCursor,
  RecommendationQuery,
  StoredFinding,
} from '../domain/ports.ts';
import type { Db } from './db.ts';
import { StoreError } from './store-error.ts';
import type { WriteQueue } from './write-queue.ts';

/** Runs a finding may be missing from before it is resolved. */
export const RESOLVE_AFTER_MISSED_RUNS = 2;

interface FindingRow {
  id: number;
  fingerprint: string;
  state: 'open' | 'resolved';
  severity: number;
  first_ms: number;
  last_ms: number;
  resolved_ms: number | null;
  body: string;
}

interface OpenRow {
  id: number;
  fingerprint: string;
  missed_runs: number;
  first_ms: number;
}

function toStored(r: FindingRow): StoredFinding {
  const f = JSON.parse(r.body) as Finding;
  return {
    ...f,
    id: r.id,
    fingerprint: r.fingerprint,
    state: r.state,
    firstSeenMs: r.first_ms,
    lastSeenMs: r.last_ms,
    ...(r.resolved_ms === null ? {} : { resolvedAtMs: r.resolved_ms }),
  };
}

function where(q: FindingQuery): { sql: string[]; args: (string | number)[] } {
  const sql: string[] = [];
  const args: (string | number)[] = [];
  const eq = (col: string, v: string | undefined): void => {
    if (v === undefined) return;
    sql.push(`${col} = ?`);
    args.push(v);
  };
  eq('cluster', q.cluster);
  eq('namespace', q.namespace);
  eq('analysis', q.analysis);
  eq('entity_kind', q.entityKind);
  eq('state', q.state);
  if (q.minSeverity !== undefined) {
    sql.push('severity >= ?');
    args.push(severityRank(q.minSeverity));
  }
  return { sql, args };
}

function cursorClause(q: FindingQuery): { sql?: string; args: number[] } {
  const a = q.after;
  if (a === undefined) return { args: [] };
  if (q.order === 'severity') return { sql: '(severity, last_ms, id) < (?, ?, ?)', args: [a.rank ?? SEVERITIES.length, a.atMs, a.id] };
  return { sql: '(last_ms, id) < (?, ?)', args: [a.atMs, a.id] };
}

/** FindingStore on the sample store's SQLite connection. Build it through SqliteSampleStore. */
export class SqliteFindingStore implements FindingStore {
  constructor(private readonly deps: { readonly db: Db; readonly queue: WriteQueue }) {}

  async saveRun(run: { readonly cluster: string; readonly analysis: AnalysisName }, findings: readonly Finding[], nowMs: number): Promise<FindingRunReport> {
    return this.write(() => this.applyRun(run, findings, nowMs), 'findings write');
  }

  async saveRecommendations(cluster: string, recommendations: readonly RightsizingRecommendation[]): Promise<void> {
    this.write(() => {
      const db = this.deps.db;
      db.prepare('DELETE FROM recommendations WHERE cluster = ?').run(cluster);
      const insert = db.prepare(
        'INSERT OR REPLACE INTO recommendations (cluster, key, namespace, workload_kind, workload_name, container, strategy, detected_ms, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      for (const r of recommendations) {
        const key = [r.namespace, r.workload.kind, r.workload.name, r.container, r.strategy].join('/');
        insert.run(cluster, key, r.namespace, r.workload.kind, r.workload.name, r.container, r.strategy, r.detectedAtMs, JSON.stringify(r));
      }
    }, 'recommendations write');
    return Promise.resolve();
  }

  async listFindings(q: FindingQuery): Promise<HistoryPage<StoredFinding, FindingCursor>> {
    const w = where(q);
    const c = cursorClause(q);
    const clauses = c.sql === undefined ? w.sql : [...w.sql, c.sql];
    const order = q.order === 'severity' ? 'severity DESC, last_ms DESC, id DESC' : 'last_ms DESC, id DESC';
    const sql = `SELECT id, fingerprint, state, severity, first_ms, last_ms, resolved_ms, body FROM findings${clauses.length > 0 ? ` WHERE ${clauses.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ?`;
    const rows = this.deps.db.prepare(sql).all(...w.args, ...c.args, q.limit + 1) as FindingRow[];
    const items = rows.slice(0, q.limit).map(toStored);
    const last = rows.length > q.limit ? rows[q.limit - 1] : undefined;
    const next = last === undefined ? undefined : { ...(q.order === 'severity' ? { rank: last.severity } : {}), atMs: last.last_ms, id: last.id };
    return Promise.resolve({ items, ...(next === undefined ? {} : { next }) });
  }

  async listRecommendations(q: RecommendationQuery): Promise<HistoryPage<RightsizingRecommendation, RecommendationCursor>> {
    const sql: string[] = [];
    const args: (string | number)[] = [];
    for (const [col, v] of [['cluster', q.cluster], ['namespace', q.namespace], ['workload_name', q.workload], ['strategy', q.strategy]] as const) {
      if (v === undefined) continue;
      sql.push(`${col} = ?`);
      args.push(v);
    }
    if (q.after !== undefined) {
      sql.push('key > ?');
      args.push(q.after.key);
    }
    const text = `SELECT key, body FROM recommendations${sql.length > 0 ? ` WHERE ${sql.join(' AND ')}` : ''} ORDER BY key LIMIT ?`;
    const rows = this.deps.db.prepare(text).all(...args, q.limit + 1) as { key: string; body: string }[];
    const items = rows.slice(0, q.limit).map((r) => JSON.parse(r.body) as RightsizingRecommendation);
    const last = rows.length > q.limit ? rows[q.limit - 1] : undefined;
    return Promise.resolve({ items, ...(last === undefined ? {} : { next: { key: last.key } }) });
  }

  private applyRun(run: { cluster: string; analysis: AnalysisName }, findings: readonly Finding[], nowMs: number): FindingRunReport {
    const db = this.deps.db;
    const open = db.prepare("SELECT id, fingerprint, missed_runs, first_ms FROM findings WHERE cluster = ? AND analysis = ? AND state = 'open'").all(run.cluster, run.analysis) as OpenRow[];
    const byFp = new Map(open.map((r) => [r.fingerprint, r]));
    const seen = new Set<string>();
    const report = { opened: 0, continued: 0, resolved: 0 };
    const update = db.prepare('UPDATE findings SET severity = ?, missed_runs = 0, last_ms = ?, body = ? WHERE id = ?');
    const insert = db.prepare(
      "INSERT INTO findings (cluster, fingerprint, analysis, rule, entity_kind, namespace, name, container, severity, state, first_ms, last_ms, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)",
    );
    for (const f of findings) {
      const fp = fingerprintOf(f);
      // Two findings of one run with one fingerprint are one problem; the first (most specific) wins.
      if (seen.has(fp)) continue;
      seen.add(fp);
      const row = byFp.get(fp);
      if (row !== undefined) {
        update.run(severityRank(f.severity), nowMs, JSON.stringify(f), row.id);
        report.continued++;
        continue;
      }
      const e = f.entity;
      insert.run(f.cluster, fp, f.analysis, f.rule, e.kind, e.namespace ?? '', e.name, e.container ?? null, severityRank(f.severity), nowMs, nowMs, JSON.stringify(f));
      report.opened++;
    }
    report.resolved = this.missed(open.filter((r) => !seen.has(r.fingerprint)), nowMs);
    return report;
  }

  /** Counts a missed run for each row; rows missing from enough runs are resolved. Returns the rows resolved. */
  private missed(rows: readonly OpenRow[], nowMs: number): number {
    const db = this.deps.db;
    const bump = db.prepare('UPDATE findings SET missed_runs = missed_runs + 1 WHERE id = ?');
    const resolve = db.prepare("UPDATE findings SET state = 'resolved', missed_runs = missed_runs + 1, resolved_ms = ? WHERE id = ?");
    let resolved = 0;
    for (const r of rows) {
      if (r.missed_runs + 1 >= RESOLVE_AFTER_MISSED_RUNS) {
        resolve.run(nowMs, r.id);
        resolved++;
      } else bump.run(r.id);
    }
    return resolved;
  }

  /** Runs a write transaction through the shared queue; a store condition is recorded in the status and thrown. */
  private write<T>(work: () => T, what: string): T {
    const result = this.deps.queue.run(work, what);
    if (result instanceof StoreError) throw result;
    return result;
  }
}
