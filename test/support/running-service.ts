// SPDX-License-Identifier: Apache-2.0
// The real service (`startService`) in-process for the fault tests: a configuration built as `krm serve` builds
// it (flags and environment through loadConfig), a temporary database, a quiet logger, a lifecycle the test shuts
// down, short watch-loop tuning so that faults show within a second, and small HTTP and polling helpers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { createLifecycle, type Lifecycle } from '../../src/runtime/lifecycle.ts';
import { startService, type RunningService } from '../../src/service.ts';
import type { WatchTuning } from '../../src/sources/kube/index.ts';

/**
 * Backoff of 50–300 ms, a 3 s watchdog, 1 s list pages: faults show and heal within seconds. The API server of a
 * test must then send bookmarks more often than the watchdog's limit (`bookmarkIntervalMs` of the simulator).
 */
export const FAST_TUNING: Partial<WatchTuning> = {
  backoffInitialMs: 50,
  backoffMaxMs: 300,
  watchdogMs: 3000,
  pageTimeoutMs: 1000,
  minWatchMs: 0,
};

export interface TestService {
  readonly service: RunningService;
  readonly lifecycle: Lifecycle;
  readonly dir: string;
  readonly dbPath: string;
  get(path: string, headers?: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }>;
  metricsText(): Promise<string>;
  stop(): Promise<void>;
}

/** A kubeconfig for a plain-HTTP API server at `url` without credentials. */
export function kubeconfigForUrl(url: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    `clusters: [{ name: t, cluster: { server: "${url}" } }]`,
    'users: [{ name: t, user: {} }]',
    'contexts: [{ name: t, context: { cluster: t, user: t } }]',
    'current-context: t',
  ].join('\n');
}

export async function startTestService(opts: {
  kubeconfigYaml: string;
  flags?: Record<string, string>;
  env?: Record<string, string>;
  tuning?: Partial<WatchTuning>;
}): Promise<TestService> {
  const dir = mkdtempSync(join(tmpdir(), 'krm-fault-'));
  const dbPath = join(dir, 'k8s_metrics.db');
  const config = loadConfig({ flags: { port: '0', host: '127.0.0.1', db: dbPath, ...opts.flags }, env: opts.env ?? {}, cwd: dir, readFile: () => undefined });
  const log = createLogger({ level: 'fatal', destination: { write: () => undefined } });
  const lifecycle = createLifecycle({ process: { on: () => undefined, removeListener: () => undefined, exit: () => undefined }, log });
  const service = await startService({ config, log, lifecycle, kubeconfigYaml: opts.kubeconfigYaml, kubeTuning: opts.tuning ?? FAST_TUNING });
  return {
    service,
    lifecycle,
    dir,
    dbPath,
    async get(path, headers) {
      const res = await fetch(service.url + path, { headers });
      const text = await res.text();
      return { status: res.status, body: (text.startsWith('{') ? JSON.parse(text) : { text }) as Record<string, unknown> };
    },
    async metricsText() {
      return (await fetch(`${service.url}/metrics`)).text();
    },
    async stop() {
      await lifecycle.shutdown('test end');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `probe` every 50 ms until it returns a value other than undefined; rejects after `ms` naming `what`. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}${last === undefined ? '' : `: ${String(last)}`}`);
}

/** The value of one sample line of the exposition text (`name{labels} value`), or undefined. */
export function sampleValue(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}
