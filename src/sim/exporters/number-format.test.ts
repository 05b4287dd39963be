// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatGoFloat, formatSecondsTimestamp, rfc3339Seconds, roundToNanos } from './number-format.ts';
import { formatBinaryBytes, formatCpuNanoCores, parseQuantity } from './quantity.ts';

void describe('formatGoFloat', () => {
  // Expected strings are Go's strconv.FormatFloat(v, 'g', -1, 64), most of them seen in the 1.35 captures.
  const cases: [number, string][] = [
    [0, '0'],
    [1, '1'],
    [110, '110'],
    [0.25, '0.25'],
    [0.04, '0.04'],
    [62.148052, '62.148052'],
    [196608, '196608'],
    [999999, '999999'],
    [1e6, '1e+06'],
    [3145728, '3.145728e+06'],
    [917110784, '9.17110784e+08'],
    [8216887296, '8.216887296e+09'],
    [977896124416, '9.77896124416e+11'],
    [1782468771, '1.782468771e+09'],
    [1750607841.8297591, '1.7506078418297591e+09'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1.5e-7, '1.5e-07'],
    [1e21, '1e+21'],
    [1e100, '1e+100'],
    [-2.5, '-2.5'],
    [-1234567, '-1.234567e+06'],
    [NaN, 'NaN'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
  ];
  for (const [v, want] of cases) {
    void it(`${v} → ${want}`, () => assert.equal(formatGoFloat(v), want));
  }
});

void describe('time and rounding helpers', () => {
  void it('writes OpenMetrics second timestamps without exponent', () => {
    assert.equal(formatSecondsTimestamp(1_700_000_000_000), '1700000000');
    assert.equal(formatSecondsTimestamp(1_700_000_000_500), '1700000000.5');
    assert.equal(formatSecondsTimestamp(1_700_000_000_123), '1700000000.123');
    assert.equal(formatSecondsTimestamp(1_700_000_000_020), '1700000000.02');
  });

  void it('writes RFC 3339 at second precision', () => {
    assert.equal(rfc3339Seconds(Date.parse('2026-06-26T10:14:31.987Z')), '2026-06-26T10:14:31Z');
  });

  void it('rounds CPU seconds to nanoseconds', () => {
    assert.equal(roundToNanos(315.00000000000006), 315);
    assert.equal(roundToNanos(0.1 + 0.2), 0.3);
  });
});

void describe('quantities', () => {
  const parse: [string, number | undefined][] = [
    ['500m', 0.5],
    ['2', 2],
    ['1.5', 1.5],
    ['250u', 0.00025],
    ['100n', 1e-7],
    ['1k', 1000],
    ['1M', 1e6],
    ['1Ki', 1024],
    ['128Mi', 128 * 1024 ** 2],
    ['10Gi', 10 * 1024 ** 3],
    ['1Ti', 1024 ** 4],
    ['5e3', 5000],
    ['2E', 2e18],
    ['abc', undefined],
    ['1Zi', undefined],
  ];
  for (const [text, want] of parse) {
    void it(`parses ${text}`, () => assert.equal(parseQuantity(text), want));
  }

  void it('formats CPU usage as metrics-server does', () => {
    assert.equal(formatCpuNanoCores(1_966_817), '1966817n');
    assert.equal(formatCpuNanoCores(1500), '1500n');
    assert.equal(formatCpuNanoCores(2_000), '2u');
    assert.equal(formatCpuNanoCores(250_000_000), '250m');
    assert.equal(formatCpuNanoCores(2_000_000_000), '2');
    assert.equal(formatCpuNanoCores(0), '0');
  });

  void it('formats memory usage as metrics-server does', () => {
    assert.equal(formatBinaryBytes(17_854_464), '17436Ki');
    assert.equal(formatBinaryBytes(17 * 1024 * 1024), '17Mi');
    assert.equal(formatBinaryBytes(3 * 1024 ** 3), '3Gi');
    assert.equal(formatBinaryBytes(1000), '1000');
    assert.equal(formatBinaryBytes(0), '0');
  });
});
