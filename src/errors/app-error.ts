// SPDX-License-Identifier: Apache-2.0
// The product's error base: a stable code, a message, an optional cause. Translated to HTTP answers or exit codes
// in exactly one place per boundary (the CLI's main, the API's error handler).
import type { ErrorCode } from './codes.ts';

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;
  constructor(code: ErrorCode, message: string, opts: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = opts.details;
  }
}

/** Bad flags, bad configuration or a bad input file: exit code 2 before anything is opened. */
export class ConfigError extends AppError {}

/** Bad input data (a scenario file, a dump, a CSV). */
export class InputError extends AppError {}

/** Normalizes a thrown value into an Error for logging. */
export function toError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
