// SPDX-License-Identifier: Apache-2.0
// The file reader `loadConfig` is given in production; tests pass an in-memory one.
import { readFileSync } from 'node:fs';

/** Reads a UTF-8 text file, or returns `undefined` when it does not exist. Other errors (EACCES, EISDIR) throw. */
export function readTextFileIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
