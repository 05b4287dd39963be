// SPDX-License-Identifier: Apache-2.0
// Test helpers of the API: a fake health provider and an app built around it with a captured log.
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { createLogger } from '../logging/logger.ts';
import { createSelfMetrics, type SelfMetrics } from '../metrics/registry.ts';
import { buildApp, type AppDeps } from './build-app.ts';
import type { HealthProvider, HealthReport, ReadinessState } from './contract.ts';

/** A health provider whose answers the test sets. */
export class FakeHealthProvider implements HealthProvider {
  report: HealthReport = { database: 'ok', kubernetes: 'healthy', prometheus: 'disabled', usageSource: 'metrics-server' };
  state: ReadinessState = { initialSyncDone: true, databaseOpen: true };
  async check(): Promise<HealthReport> {
    return this.report;
  }
  readiness(): ReadinessState {
    return this.state;
  }
}

/** An app under test with its fakes and the log lines it wrote. */
export interface TestApp {
  readonly app: FastifyInstance;
  readonly health: FakeHealthProvider;
  readonly metrics: SelfMetrics;
  readonly logLines: string[];
}

/** Builds an app with a fake health provider, fresh metrics and a debug-level log captured in memory. */
export function buildTestApp(overrides: Partial<AppDeps> = {}): TestApp {
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString('utf8'));
      done();
    },
  });
  const health = new FakeHealthProvider();
  const metrics = createSelfMetrics();
  const log = createLogger({ level: 'debug', destination, now: () => 0 });
  const app = buildApp({ health, metrics, log, config: {}, now: () => Date.UTC(2024, 0, 15, 10, 30), eventLoopLagMs: () => 1, ...overrides });
  return { app, health, metrics, logLines };
}
