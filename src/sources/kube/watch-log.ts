// SPDX-License-Identifier: Apache-2.0
// Kube-specific operational events of the list/watch loops, in the style of `src/logging/events.ts` (a closed
// union on `event`, fixed level, constant message). The loops log the shared events `watch.synced`,
// `watch.relist` and `watch.backoff`-like `loop.*` events through that module; these are the extra ones.
// TODO(#4, kube adapter owner): move these members into src/logging/events.ts (owned by the logging engineer).
import type { EventLogger } from '../../logging/events.ts';

/** Extra events of a kube list/watch loop. `kind` is the plural resource name (`pods`, `deployments`). */
export type KubeWatchLogEntry =
  | { event: 'kube.list.completed'; kind: string; objects: number; pages: number; durationMs: number; relist: boolean }
  | { event: 'kube.list.restarted'; kind: string; reason: 'continue-expired'; attempt: number }
  | { event: 'kube.watch.ended'; kind: string; lines: number; durationMs: number }
  | { event: 'kube.watch.watchdog'; kind: string; silentMs: number; consecutive: number }
  | { event: 'kube.watch.invalid-object'; kind: string; type: string };

type Level = keyof EventLogger;

const LEVEL_AND_MESSAGE: { readonly [E in KubeWatchLogEntry['event']]: readonly [Level, string] } = {
  'kube.list.completed': ['debug', 'list completed'],
  'kube.list.restarted': ['warn', 'list restarted after its continue token expired'],
  'kube.watch.ended': ['debug', 'watch ended by the server'],
  'kube.watch.watchdog': ['warn', 'watch silent too long, reconnecting'],
  'kube.watch.invalid-object': ['warn', 'object without name skipped'],
};

/** Logs one kube event at its fixed level with its fixed message. */
export function logKubeEvent(log: EventLogger, entry: KubeWatchLogEntry): void {
  const [level, msg] = LEVEL_AND_MESSAGE[entry.event];
  log[level](entry, msg);
}

/** A logger that drops everything (the default when none is given; the service passes a pino child). */
export const silentLogger: EventLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
