// SPDX-License-Identifier: Apache-2.0
// A counting semaphore. The watch loops share one with a single permit so that relists run one kind at a time:
// a LIST holds every page's objects in memory until it is applied, and at 150,000 pods two concurrent relists
// would double that peak.
import { whenAborted } from '../../runtime/when-aborted.ts';

export interface Semaphore {
  /** Waits for a permit; returns its release function. Rejects with the signal's reason if aborted while waiting. */
  acquire(signal: AbortSignal): Promise<() => void>;
  /** Callers waiting for a permit. */
  readonly waiting: number;
}

export function createSemaphore(permits = 1): Semaphore {
  let free = permits;
  const queue: Array<() => void> = [];
  const releaser = (): (() => void) => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = queue.shift();
      if (next) next();
      else free++;
    };
  };
  return {
    acquire(signal) {
      if (signal.aborted) return Promise.reject(signal.reason);
      if (free > 0) {
        free--;
        return Promise.resolve(releaser());
      }
      return new Promise((resolve, reject) => {
        const grant = (): void => {
          cancel();
          resolve(releaser());
        };
        queue.push(grant);
        const cancel = whenAborted(signal, () => {
          const i = queue.indexOf(grant);
          if (i >= 0) queue.splice(i, 1);
          reject(signal.reason);
        });
      });
    },
    get waiting() {
      return queue.length;
    },
  };
}
