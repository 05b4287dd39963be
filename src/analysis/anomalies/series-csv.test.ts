// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../errors/app-error.ts';
import { scoreSeriesCsv } from './score-series-csv.ts';
import { parseSeriesCsv } from './series-csv.ts';

/** Rows 2119-2127 of NAB's realAWSCloudwatch/ec2_disk_write_bytes_1ef3de.csv (MIT licence, Copyright (c) Numenta,
 * github.com/numenta/NAB): a daylight-saving hour folded into one repeated timestamp. */
const NAB_EXCERPT = `timestamp,value
2014-03-09 01:54:00,0.0
2014-03-09 01:59:00,0.0
2014-03-09 03:00:00,0.0
2014-03-09 03:00:00,0.0
2014-03-09 03:00:00,0.0
2014-03-09 03:04:00,0.0
2014-03-09 03:09:00,0.0
2014-03-09 03:14:00,0.0
2014-03-09 03:19:00,0.0
`;

function throwsAtLine(text: string, line: number, what: RegExp): void {
  assert.throws(
    () => parseSeriesCsv(text),
    (err: unknown) => {
      assert.ok(err instanceof InputError, 'an InputError');
      assert.equal(err.code, 'KRM_INPUT_INVALID');
      assert.match(err.message, new RegExp(`^line ${line}: `));
      assert.match(err.message, what);
      assert.deepEqual(err.details, { line });
      return true;
    },
  );
}

test('parses NAB files, including a repeated timestamp', () => {
  const s = parseSeriesCsv(NAB_EXCERPT);
  assert.equal(s.values.length, 9);
  assert.equal(s.timestampsMs[2], s.timestampsMs[4]);
  assert.equal(s.timestampTexts[0], '2014-03-09 01:54:00');
});

test('accepts CRLF, a BOM, quoted fields, extra columns in any order and blank lines', () => {
  const s = parseSeriesCsv('\uFEFFvalue,"timestamp",host\r\n1.5,2024-01-01 00:00:00,a\r\n\r\n2,2024-01-01 00:05:00,b\r\n');
  assert.deepEqual([...s.values], [1.5, 2]);
  assert.equal(s.timestampsMs[1], Date.UTC(2024, 0, 1, 0, 5));
});

test('empty and NaN values are gaps', () => {
  const s = parseSeriesCsv('timestamp,value\n2024-01-01 00:00:00,\n2024-01-01 00:05:00,NaN\n2024-01-01 00:10:00,3\n');
  assert.ok(Number.isNaN(s.values[0]) && Number.isNaN(s.values[1]));
  assert.equal(s.values[2], 3);
});

test('bad input names the line: missing column, unsorted, non-numeric, bad timestamp, short row', () => {
  throwsAtLine('', 1, /empty input/);
  throwsAtLine('time,value\n2024-01-01 00:00:00,1\n', 1, /missing column "timestamp"/);
  throwsAtLine('timestamp,val\n2024-01-01 00:00:00,1\n', 1, /missing column "value"/);
  throwsAtLine('timestamp,value\n2024-01-01 00:10:00,1\n2024-01-01 00:15:00,1\n2024-01-01 00:05:00,1\n', 4, /before the previous row/);
  throwsAtLine('timestamp,value\n2024-01-01 00:00:00,1\n2024-01-01 00:05:00,abc\n', 3, /value "abc" is not a number/);
  throwsAtLine('timestamp,value\n2024-01-01 00:00:00,1\n\nnot a date,1\n', 4, /timestamp "not a date"/);
  throwsAtLine('timestamp,value\n2024-01-01 00:00:00\n', 2, /expected at least 2 fields/);
  throwsAtLine('timestamp,value\n2024-01-01 00:00:00,Infinity\n', 2, /not a number/);
});

test('scoreSeriesCsv echoes the fields and appends anomaly_score', () => {
  const out = scoreSeriesCsv(NAB_EXCERPT).trimEnd().split('\n');
  assert.equal(out[0], 'timestamp,value,anomaly_score');
  assert.equal(out.length, 10);
  assert.equal(out[3], '2014-03-09 03:00:00,0.0,0.000000');
  const gap = scoreSeriesCsv('timestamp,value\n2024-01-01 00:00:00,\n');
  assert.equal(gap, 'timestamp,value,anomaly_score\n2024-01-01 00:00:00,,0.000000\n');
});
