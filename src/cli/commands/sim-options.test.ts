// SPDX-License-Identifier: Apache-2.0
// `krm sim` flags: the scenario clock's speed and start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../errors/app-error.ts';
import { parseFlags, simFlagsSchema } from './sim-options.ts';

const base = { scenario: 'demo', port: '0', host: '127.0.0.1', speed: '1' };

test('--start takes an ISO 8601 time with a zone, as epoch ms; without it the start is left to the scenario', () => {
  assert.equal(parseFlags(simFlagsSchema, { ...base, start: '2026-01-05T00:00:00Z' }).start, Date.UTC(2026, 0, 5));
  assert.equal(parseFlags(simFlagsSchema, { ...base, start: '2026-01-05T02:30:00.5+02:00' }).start, Date.UTC(2026, 0, 5, 0, 30, 0, 500));
  assert.equal(parseFlags(simFlagsSchema, base).start, undefined);
  for (const bad of ['2026-01-05', '2026-01-05T00:00:00', 'yesterday', '2026-13-45T00:00:00Z', '2026-02-30T00:00:00Z', '2026-01-05T24:00:00Z', '2026-01-05T10:60:00Z', '2026-01-05T10:00:60Z']) {
    assert.throws(() => parseFlags(simFlagsSchema, { ...base, start: bad }), (e: unknown) => e instanceof ConfigError && e.message.startsWith('invalid value for --start'), bad);
  }
});

test('--speed 0 stands the clock still; a negative speed is refused', () => {
  assert.equal(parseFlags(simFlagsSchema, { ...base, speed: '0' }).speed, 0);
  assert.throws(() => parseFlags(simFlagsSchema, { ...base, speed: '-1' }), /invalid value for --speed/);
});
