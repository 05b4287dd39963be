// SPDX-License-Identifier: Apache-2.0
// `krm report --timings`: where the wall time of a report went, one line per phase on stderr, so that a slow report
// can be told apart as start-up, cluster sync, Prometheus reads, analyses or output without a profiler. Phases may
// overlap (the one-shot reads run alongside the sync): each line gives its own start and end since process start.

/** Records named phases; a no-op unless enabled. */
export class ReportTimings {
  private readonly phases: Array<{ name: string; startMs: number; endMs: number }> = [];

  constructor(readonly enabled: boolean) {}

  /** Runs `work` as phase `name`. */
  async time<T>(name: string, work: () => Promise<T>): Promise<T> {
    const startMs = performance.now();
    try {
      return await work();
    } finally {
      this.mark(name, startMs);
    }
  }

  /** Records phase `name` from `startMs` (performance.now()) to now. */
  mark(name: string, startMs: number): void {
    if (this.enabled) this.phases.push({ name, startMs, endMs: performance.now() });
  }

  /** The phases, start-up (process start to the command) first, as lines for stderr. */
  lines(): string[] {
    const s = (ms: number): string => (ms / 1000).toFixed(2).padStart(7);
    return this.phases.map((p) => `krm report: ${p.name.padEnd(22)} ${s(p.startMs)} s → ${s(p.endMs)} s (${s(p.endMs - p.startMs).trim()} s)`);
  }
}
