// SPDX-License-Identifier: Apache-2.0
// An open-loop load generator for `/api/v1/pods`: requests are sent on a fixed schedule (rate per second) whether
// or not earlier ones have answered, and each latency is counted from the request's scheduled time, so a slow
// server cannot slow the load down and hide its own queueing (coordinated omission). node:http, keep-alive.
import http from 'node:http';
import { measureLoopDelay } from './loop-delay.ts';

export interface LoadResult {
  readonly requests: number;
  readonly ok: number;
  /** Status codes other than 200, and transport errors (`error`). */
  readonly failures: Readonly<Record<string, number>>;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly achievedRps: number;
  readonly mix: Readonly<Record<string, number>>;
  /**
   * The generator's own event-loop delay during the load (p99 and max, ms). The generator shares its core with the
   * simulator; a latency outlier that it also shows here was the generator's late clock, not the monitor.
   */
  readonly driverLagP99Ms: number;
  readonly driverLagMaxMs: number;
  /**
   * Cursor walks refused with the documented 400 (`details.parameter` = continue) because a collection changed the
   * usage order they paged through; the walk starts again from the first page, as a client must. Not failures.
   */
  readonly restarts: number;
  /**
   * The p99 of each whole {@link WINDOW_MS} window of the load (by scheduled time), when the load lasts two windows
   * or more: one p99 over minutes can hide a window that misses, such as one holding a full garbage collection.
   */
  readonly windowP99Ms: readonly number[];
}

/** Length of the windows of {@link LoadResult.windowP99Ms} (the requests after the last whole window are in none). */
export const WINDOW_MS = 20_000;

interface Planned {
  readonly label: string;
  readonly path: string;
  /** Cursor chain the answer's `continue` token feeds. */
  readonly chain?: string;
}

/**
 * The query mix: first pages by name, a namespace filter, sort by CPU, and cursor walks (sorted by name and by
 * CPU) that follow each answer's `continue` token and start over at the last page.
 */
export class PodQueryMix {
  private readonly cursors = new Map<string, string | undefined>();
  private i = 0;

  constructor(private readonly namespaces: readonly string[]) {}

  next(): Planned {
    const n = this.i++;
    const ns = this.namespaces[(n * 7919) % Math.max(1, this.namespaces.length)] ?? 'default';
    switch (n % 5) {
      case 0:
        return { label: 'first page', path: '/api/v1/pods?limit=100' };
      case 1:
        return { label: 'namespace', path: `/api/v1/pods?namespace=${encodeURIComponent(ns)}&limit=100` };
      case 2:
        return { label: 'sort=cpu', path: '/api/v1/pods?sort=cpu&limit=100' };
      case 3:
        return this.walk('cursor sort=cpu', '/api/v1/pods?sort=cpu&limit=100');
      default:
        return this.walk('cursor by name', '/api/v1/pods?limit=100');
    }
  }

  /** Records the `continue` token of a cursor walk's answer. */
  answered(chain: string, body: string): void {
    const token = (JSON.parse(body) as { continue?: string }).continue;
    this.cursors.set(chain, token);
  }

  private walk(label: string, base: string): Planned {
    const token = this.cursors.get(label);
    // One request per walk in flight at a time would be closed-loop; a missing token restarts at the first page.
    this.cursors.set(label, undefined);
    return { label, chain: label, path: token ? `${base}&continue=${encodeURIComponent(token)}` : base };
  }
}

function get(agent: http.Agent, url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Tally {
  latencies: number[];
  /** Per answered request, its scheduled time after the load's start (ms), beside its latency. */
  dueAtMs: number[];
  failures: Record<string, number>;
  mix: Record<string, number>;
  restarts: number;
}

/**
 * The API's answer to a cursor of a usage order that a collection has replaced (src/api/routes/keyset.ts). Only the
 * usage sorts' cursors expire so; a refused cursor of the name order is a failure.
 */
function isExpiredCursor(plan: Planned, res: { status: number; body: string }): boolean {
  if (res.status !== 400 || plan.chain === undefined || !plan.path.includes('sort=cpu')) return false;
  try {
    return (JSON.parse(res.body) as { error?: { details?: { parameter?: string } } }).error?.details?.parameter === 'continue';
  } catch {
    return false;
  }
}

async function fire(req: { agent: http.Agent; base: string; plan: Planned; dueMs: number; t0: number }, mix: PodQueryMix, tally: Tally): Promise<void> {
  tally.mix[req.plan.label] = (tally.mix[req.plan.label] ?? 0) + 1;
  try {
    const res = await get(req.agent, req.base + req.plan.path);
    tally.latencies.push(performance.now() - req.dueMs);
    tally.dueAtMs.push(req.dueMs - req.t0);
    if (isExpiredCursor(req.plan, res)) tally.restarts++;
    else if (res.status !== 200) tally.failures[res.status] = (tally.failures[res.status] ?? 0) + 1;
    else if (req.plan.chain) mix.answered(req.plan.chain, res.body);
  } catch {
    tally.failures.error = (tally.failures.error ?? 0) + 1;
  }
}

/** Length of the unmeasured first load on the API (its figures are reported apart). */
export const WARMUP_MS = 3000;

/**
 * The first requests after start build the cached orders (a sort of 150,000 pods, once): a {@link WARMUP_MS} load is
 * measured apart, then the load of `durationMs`, so that the steady figure is the service's, not its first second's.
 * `measuring` is called between the two.
 */
export async function warmedPodsLoad(opts: { base: string; rate: number; durationMs: number; namespaces: readonly string[] }, measuring?: () => void): Promise<{ warmup: LoadResult; load: LoadResult }> {
  const warmup = await podsLoad({ ...opts, durationMs: WARMUP_MS });
  measuring?.();
  return { warmup, load: await podsLoad(opts) };
}

/** Sends `rate` requests per second for `durationMs` to `base`, then waits for the stragglers. */
export async function podsLoad(opts: { base: string; rate: number; durationMs: number; namespaces: readonly string[] }): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64, noDelay: true });
  const mix = new PodQueryMix(opts.namespaces);
  const tally: Tally = { latencies: [], dueAtMs: [], failures: {}, mix: {}, restarts: 0 };
  const total = Math.round((opts.rate * opts.durationMs) / 1000);
  const interval = 1000 / opts.rate;
  const inflight: Promise<void>[] = [];
  const stopLag = measureLoopDelay();
  const t0 = performance.now();
  for (let sent = 0; sent < total; sent++) {
    const dueMs = t0 + sent * interval;
    const wait = dueMs - performance.now();
    if (wait > 1) await sleep(wait);
    inflight.push(fire({ agent, base: opts.base, plan: mix.next(), dueMs, t0 }, mix, tally));
  }
  await Promise.all(inflight);
  const lag = stopLag();
  const elapsedS = (performance.now() - t0) / 1000;
  agent.destroy();
  const sorted = [...tally.latencies].sort((a, b) => a - b);
  const ok = total - Object.values(tally.failures).reduce((a, b) => a + b, 0);
  return {
    requests: total,
    ok,
    failures: tally.failures,
    p50Ms: percentile(sorted, 0.5),
    p90Ms: percentile(sorted, 0.9),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.at(-1) ?? NaN,
    achievedRps: total / elapsedS,
    mix: tally.mix,
    driverLagP99Ms: lag.p99Ms,
    driverLagMaxMs: lag.maxMs,
    restarts: tally.restarts,
    windowP99Ms: windowP99s(tally, opts.durationMs),
  };
}

/** The p99 of each whole window of the load (none when it lasts less than two). */
function windowP99s(tally: Tally, durationMs: number): number[] {
  const count = Math.floor(durationMs / WINDOW_MS);
  if (count < 2) return [];
  const windows = Array.from({ length: count }, () => [] as number[]);
  tally.latencies.forEach((ms, i) => windows[Math.floor((tally.dueAtMs[i] ?? 0) / WINDOW_MS)]?.push(ms));
  return windows.map((w) => percentile(w.sort((a, b) => a - b), 0.99));
}
