// SPDX-License-Identifier: Apache-2.0
// Every error code of the product, with the exit code (CLI) it maps to and a one-line explanation. docs/errors.md
// documents each; a test keeps the two in step.

export const ERROR_CODES = {
  KRM_CONFIG_INVALID: { exitCode: 2, doc: 'A flag, environment variable or configuration value is invalid.' },
  KRM_SCENARIO_INVALID: { exitCode: 2, doc: 'A simulator scenario file does not match the scenario schema.' },
  KRM_SCENARIO_NOT_FOUND: { exitCode: 2, doc: 'No built-in scenario or file has the given name.' },
  KRM_INPUT_INVALID: { exitCode: 2, doc: 'An input file (cluster dump, CSV) cannot be read or parsed.' },
  KRM_LISTEN_FAILED: { exitCode: 3, doc: 'The server could not listen on the requested host and port.' },
  KRM_INTERNAL: { exitCode: 3, doc: 'An unexpected error; the message and cause say more.' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;
