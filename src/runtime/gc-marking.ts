// SPDX-License-Identifier: Apache-2.0
// Where V8 marks the heap for a full garbage collection, chosen once at start-up from the CPUs the process may use.
// V8 paces a full collection's marking to end about half a second after it starts. With a second CPU, helper
// threads do much of it beside the main thread; on one CPU those helpers only take the core from the main thread
// (and the API's requests wait), so there the marking is better done on the main thread alone, in steps between
// requests: `--no-concurrent-marking`. Measured both ways at 150,000 pods in BENCHMARKS.md ("Marking on the main
// thread", "Where the marking runs"). A `--(no-)concurrent-marking` given to Node by hand wins.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';

/** The marking chosen for this process, with the CPUs it was chosen for and why. */
export interface MarkingChoice {
  readonly cpus: number;
  readonly concurrent: boolean;
  /** `cpus`: chosen by the CPU count; `flag`: Node was started with the flag, which is left as it is. */
  readonly by: 'cpus' | 'flag';
}

type ReadText = (path: string) => string | undefined;

const readText: ReadText = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

function quotaOf(quota: string | undefined, period: string | undefined): number | undefined {
  const q = Number(quota);
  const p = Number(period);
  return Number.isFinite(q) && q > 0 && Number.isFinite(p) && p > 0 ? q / p : undefined;
}

/** The process's cgroup path and its ancestors, innermost first ("/a/b" → "/a/b", "/a", ""). */
function withParents(path: string): string[] {
  const parts = path.split('/').filter((p) => p !== '');
  return parts.map((_, i) => `/${parts.slice(0, parts.length - i).join('/')}`).concat('');
}

/** The cgroup path of a controller in /proc/self/cgroup: the v2 line ("0::/path") or a v1 line naming `controller`. */
function cgroupPath(procCgroup: string, controller: string | undefined): string | undefined {
  for (const line of procCgroup.split('\n')) {
    const [id, controllers, path] = line.split(':');
    if (path === undefined) continue;
    if (controller === undefined ? id === '0' && controllers === '' : controllers?.split(',').includes(controller)) return path;
  }
  return undefined;
}

/**
 * CPUs of the tightest cgroup quota over the process's cgroup and its parents, if any: cgroup v2 `cpu.max` ("max
 * 100000" or "150000 100000"), else v1's `cpu.cfs_quota_us` (-1 for none) over `cpu.cfs_period_us`. A container
 * limited to 1.5 CPUs gets 1.5; so does a systemd unit with `CPUQuota=150%`.
 */
export function cgroupCpuQuota(read: ReadText = readText): number | undefined {
  const proc = read('/proc/self/cgroup') ?? '';
  const quotas = [
    ...withParents(cgroupPath(proc, undefined) ?? '').map((dir) => {
      const max = read(`/sys/fs/cgroup${dir}/cpu.max`)?.trim().split(/\s+/);
      return quotaOf(max?.[0], max?.[1]);
    }),
    ...withParents(cgroupPath(proc, 'cpu') ?? '').map((dir) =>
      quotaOf(read(`/sys/fs/cgroup/cpu${dir}/cpu.cfs_quota_us`)?.trim(), read(`/sys/fs/cgroup/cpu${dir}/cpu.cfs_period_us`)?.trim()),
    ),
  ].filter((q): q is number => q !== undefined);
  return quotas.length === 0 ? undefined : Math.min(...quotas);
}

/** The CPUs this process may use: its affinity (taskset, cpuset), lowered by a cgroup quota. */
export function usableCpus(affinity: number = availableParallelism(), quota: number | undefined = cgroupCpuQuota()): number {
  return quota === undefined ? affinity : Math.min(affinity, quota);
}

/** The concurrent-marking flag Node was given (on its command line or in NODE_OPTIONS; the last one wins), if any. */
export function explicitMarking(execArgv: readonly string[], nodeOptions: string | undefined): boolean | undefined {
  let given: boolean | undefined;
  for (const arg of [...(nodeOptions ?? '').split(/\s+/), ...execArgv]) {
    const flag = arg.replaceAll('_', '-');
    if (flag === '--concurrent-marking') given = true;
    else if (flag === '--no-concurrent-marking') given = false;
  }
  return given;
}

/** Concurrent marking only with at least two CPUs to use, unless Node was told otherwise by hand. */
export function chooseMarking(cpus: number, given?: boolean): MarkingChoice {
  return given === undefined ? { cpus, concurrent: cpus >= 2, by: 'cpus' } : { cpus, concurrent: given, by: 'flag' };
}

let chosen: MarkingChoice | undefined;

/**
 * Applies the choice to this process's V8 (before the heap is large: at start-up). Node starts with concurrent
 * marking on; turning it off at run time takes effect from the next full collection.
 */
export function configureMarking(cpus: number = usableCpus()): MarkingChoice {
  chosen = chooseMarking(cpus, explicitMarking(process.execArgv, process.env.NODE_OPTIONS));
  if (chosen.by === 'cpus' && !chosen.concurrent) setFlagsFromString('--no-concurrent-marking');
  return chosen;
}

/** The choice as fields of the start-up log line (none when configureMarking did not run, as in tests). */
export function markingLogFields(): Record<string, string | number> {
  if (chosen === undefined) return {};
  return { cpus: chosen.cpus, gcMarking: chosen.concurrent ? 'concurrent' : 'main thread', gcMarkingBy: chosen.by === 'flag' ? 'node flag' : 'cpu count' };
}
