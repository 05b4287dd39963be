// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../errors/app-error.ts';
import { parseNabTimestamp } from './nab-timestamp.ts';
import { parseNabProfiles, STANDARD_PROFILES } from './profiles.ts';
import { parseNabWindows } from './windows.ts';

test('parseNabProfiles reads NAB profiles.json and matches the embedded defaults', () => {
  const json = {
    standard: { CostMatrix: { tpWeight: 1.0, fnWeight: 1.0, fpWeight: 0.11, tnWeight: 1.0 } },
    reward_low_FP_rate: { CostMatrix: { tpWeight: 1.0, fnWeight: 1.0, fpWeight: 0.22, tnWeight: 1.0 } },
    reward_low_FN_rate: { CostMatrix: { tpWeight: 1.0, fnWeight: 2.0, fpWeight: 0.11, tnWeight: 1.0 } },
  };
  assert.deepEqual(parseNabProfiles(json), STANDARD_PROFILES);
});

test('parseNabProfiles rejects a missing weight with a message naming the profile and key', () => {
  assert.throws(
    () => parseNabProfiles({ custom: { CostMatrix: { tpWeight: 1, fnWeight: 1, tnWeight: 1 } } }),
    (err: unknown) => err instanceof InputError && /custom.*fpWeight/.test(err.message),
  );
  assert.throws(() => parseNabProfiles([]), InputError);
});

test('parseNabTimestamp reads NAB timestamps as UTC and rejects garbage', () => {
  assert.equal(parseNabTimestamp('2014-04-10 07:15:00.000000'), Date.UTC(2014, 3, 10, 7, 15));
  assert.equal(parseNabTimestamp('2014-04-10 07:15:00'), Date.UTC(2014, 3, 10, 7, 15));
  assert.equal(parseNabTimestamp('2014-04-10T07:15:30.5Z'), Date.UTC(2014, 3, 10, 7, 15, 30, 500));
  assert.equal(parseNabTimestamp('1397114100'), 1397114100 * 1000);
  assert.ok(Number.isNaN(parseNabTimestamp('yesterday')));
  assert.ok(Number.isNaN(parseNabTimestamp('2014-13-10 07:15:00')));
});

test('parseNabWindows reads combined_windows.json and rejects inverted windows', () => {
  const w = parseNabWindows({ 'a/b.csv': [['2014-04-10 07:15:00.000000', '2014-04-11 16:45:00.000000']], 'a/c.csv': [] });
  assert.deepEqual(w.get('a/b.csv'), [[Date.UTC(2014, 3, 10, 7, 15), Date.UTC(2014, 3, 11, 16, 45)]]);
  assert.deepEqual(w.get('a/c.csv'), []);
  assert.throws(() => parseNabWindows({ x: [['2014-04-11 00:00:00', '2014-04-10 00:00:00']] }), InputError);
});
