// SPDX-License-Identifier: Apache-2.0
// A real Prometheus serving a scenario's past: `krm sim history` writes OpenMetrics ending now, promtool turns them
// into TSDB blocks, and Prometheus (test/support/prometheus.ts) serves those blocks. The backfill and report e2e
// tests and the report benchmark share it.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPrometheus, type RunningPrometheus } from './prometheus.ts';
import { promtoolPath, repoRoot } from './tools.ts';

/** The families `krm report` reads: container usage and throttling, and volume fill. */
export const REPORT_FAMILIES = [
  'container_cpu_usage_seconds_total',
  'container_memory_working_set_bytes',
  'container_memory_rss',
  'container_cpu_cfs_periods_total',
  'container_cpu_cfs_throttled_periods_total',
  'kubelet_volume_stats_used_bytes',
  'kubelet_volume_stats_capacity_bytes',
] as const;

export interface HistoryPrometheusOptions {
  readonly scenario?: string;
  readonly days: number;
  readonly stepSec: number;
  /** Families to write (default: every family with history). */
  readonly families?: readonly string[];
  /** Called with a line per phase (the benchmark prints them). */
  readonly progress?: (line: string) => void;
  /**
   * A directory kept after `stop()`: its TSDB is built there the first time and served as it is by later calls
   * (the benchmark's `--tsdb`, since building two weeks takes minutes). A reused history ends when it was built.
   */
  readonly keepDir?: string;
}

export interface HistoryPrometheus extends RunningPrometheus {
  /** Time to write the OpenMetrics and to build the blocks, ms. */
  readonly buildMs: { readonly history: number; readonly blocks: number };
}

/** Writes the scenario's history and builds its blocks into `dataDir`; returns the time of each phase. */
function buildBlocks(o: HistoryPrometheusOptions, dir: string, dataDir: string): { history: number; blocks: number } {
  const file = join(dir, 'history.om');
  const args = [join(repoRoot, 'bin', 'krm.js'), 'sim', 'history', '--scenario', o.scenario ?? 'demo', '--days', String(o.days), '--step', String(o.stepSec), '--output', file];
  if (o.families) args.push('--families', o.families.join(','));
  let t = Date.now();
  // Run first, report after: an optional call would skip evaluating its argument.
  const written = execFileSync(process.execPath, args, { encoding: 'utf8' }).trim();
  o.progress?.(written);
  const history = Date.now() - t;
  t = Date.now();
  // Day-long blocks: a two-week history in 14 blocks rather than 168, as a compacted Prometheus holds it.
  const built = spawnSync(promtoolPath(), ['tsdb', 'create-blocks-from', 'openmetrics', '--max-block-duration=24h', file, dataDir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (built.status !== 0) throw new Error(`promtool failed (${built.status}): ${built.stderr.slice(-2000)}`);
  const blocks = Date.now() - t;
  o.progress?.(`promtool built the blocks in ${blocks} ms`);
  rmSync(file);
  return { history, blocks };
}

/** Builds the TSDB of `days` of the scenario's past (or reuses `keepDir`'s) and serves it; `stop()` removes what it built. */
export async function startHistoryPrometheus(o: HistoryPrometheusOptions): Promise<HistoryPrometheus> {
  const keep = o.keepDir;
  if (keep !== undefined) mkdirSync(keep, { recursive: true });
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'krm-history-prom-'));
  const remove = (): void => {
    if (keep === undefined) rmSync(dir, { recursive: true, force: true });
  };
  try {
    const dataDir = join(dir, 'data');
    const reuse = keep !== undefined && existsSync(dataDir) && readdirSync(dataDir).length > 0;
    if (reuse) o.progress?.(`reusing the TSDB in ${dataDir} (its history ends when it was built)`);
    const buildMs = reuse ? { history: 0, blocks: 0 } : buildBlocks(o, dir, dataDir);
    const prom = await startPrometheus({ config: 'global:\n  scrape_interval: 1h\nscrape_configs: []\n', dataDir });
    return {
      ...prom,
      buildMs,
      async stop() {
        await prom.stop();
        remove();
      },
    };
  } catch (err) {
    remove();
    throw err;
  }
}
