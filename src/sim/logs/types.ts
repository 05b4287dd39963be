// SPDX-License-Identifier: Apache-2.0
// The public request shape of the log generator and the contract every log profile implements.
import type { Rng } from './rng.ts';

/** What kind of program the container runs, which decides what its logs look like. */
export type LogProfile =
  | 'web'
  | 'worker'
  | 'database'
  | 'batch'
  | 'crashloop'
  | 'oom'
  | 'json-service'
  | 'config-error';

export const LOG_PROFILES: readonly LogProfile[] = [
  'web',
  'worker',
  'database',
  'batch',
  'crashloop',
  'oom',
  'json-service',
  'config-error',
];

/** One `GET /api/v1/namespaces/{ns}/pods/{pod}/log` request, resolved to one container incarnation. */
export interface LogRequest {
  profile: LogProfile;
  /** Stable per container (for example a hash of the pod uid); restarts get different logs via startedAtMs. */
  seed: number;
  containerName: string;
  image: string;
  /** Start of this incarnation (state.running.startedAt, or lastState.terminated.startedAt for --previous). */
  startedAtMs: number;
  /**
   * Last moment with output: "now" for a running container, finishedAt for a terminated one. Status times have
   * second precision, so a terminated incarnation may print up to 999 ms past finishedAt.
   */
  endMs: number;
  /**
   * The incarnation has terminated at endMs (set for `--previous`, and for the current container when it is not
   * running), so its logs end the way the profile dies: a stack trace, an OOM, a config error, a job summary.
   */
  previous: boolean;
  /** Last N lines of the log file (counted before sinceSeconds is applied, as the kubelet does); < 0 means all. */
  tailLines?: number;
  /** Only lines stamped at or after nowMs - sinceSeconds. */
  sinceSeconds?: number;
  /** Only lines stamped at or after this time (the `sinceTime` parameter). */
  sinceTimeMs?: number;
  /** Prefix every line with its RFC 3339 nanosecond timestamp and a space. */
  timestamps?: boolean;
  /** Stop after this many bytes, even inside a line. */
  limitBytes?: number;
  /** Time of the request, for sinceSeconds; defaults to endMs. */
  nowMs?: number;
}

/** Runtime family, guessed from the image, that decides line formats and stack traces. */
export type Flavor = 'node' | 'go' | 'java' | 'python' | 'nginx' | 'postgres' | 'mysql' | 'redis' | 'generic';

export type Level = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** Deterministic facts about the container's world: who it talks to, what it is called. */
export interface LogEnv {
  flavor: Flavor;
  /** Application name used in log lines (the container name). */
  app: string;
  dbKind: 'postgres' | 'mysql';
  dbHost: string;
  dbPort: number;
  cacheHost: string;
  /** Other services this one calls, as `name:port`. */
  upstreams: readonly string[];
  /** Version string for the startup banner. */
  version: string;
}

export interface ProfileContext {
  /** Seed mixed with the container name, image and start time: one value per incarnation. */
  seed: number;
  env: LogEnv;
  startedAtMs: number;
  /** Effective end of output; for terminated incarnations at least finishedAt. */
  endMs: number;
  terminated: boolean;
}

/** Lines written together at one instant (a multi-line stack trace is one entry). */
export interface TimedEntry {
  ms: number;
  lines: string[];
}

/** Lines at a fixed offset from the container start. */
export interface StartupEntry {
  offsetMs: number;
  lines: (ms: number) => string[];
}

export interface ProfileImpl {
  /** Lines printed while starting, at small offsets from startedAtMs. */
  startup(ctx: ProfileContext): StartupEntry[];
  /** Mean steady-state entries per minute; 0 for programs that print nothing after starting. */
  readonly entriesPerMinute: number;
  /**
   * Times of the steady-state entries in [fromMs, toMs), for programs on a fixed schedule (retry back-off);
   * when absent, entries arrive at random at `entriesPerMinute`.
   */
  entryTimes?(ctx: ProfileContext, fromMs: number, toMs: number): number[];
  /** One steady-state entry at `ms`. */
  entry(ctx: ProfileContext, ms: number, rng: Rng): string[];
  /** Entries ending a terminated incarnation, each stamped by the engine just before its end. */
  ending(ctx: ProfileContext): ((ms: number) => string[])[];
}
