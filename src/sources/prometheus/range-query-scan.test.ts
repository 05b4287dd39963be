// SPDX-License-Identifier: Apache-2.0
// The direct matrix scan against JSON.parse (parseMatrix): the same series from the text Prometheus writes, and no
// answer (so that JSON.parse decodes it, with its error codes) for any other text.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEnvelope } from './client.ts';
import { parseMatrix } from './range-query.ts';
import { scanMatrix } from './range-query-scan.ts';

const body = (result: string, after = ''): string => `{"status":"success","data":{"resultType":"matrix","result":[${result}]}${after}}`;

const TWO = [
  '{"metric":{"namespace":"shop","pod":"api-1","container":"app"},"values":[[1733450000,"0.25"],[1733450300.5,"1e+09"],[1733450600,"NaN"],[1733450900,"+Inf"]]}',
  '{"metric":{"namespace":"we\\"ird}{","pod":"p\\\\1","container":"c\\u00e9","__name__":"x"},"values":[]}',
].join(',');

describe('scanMatrix', () => {
  test('decodes what JSON.parse decodes: labels with escapes, fractional times, NaN and infinities, empty series', () => {
    for (const text of [body(TWO), body(''), body(TWO, ',"warnings":["too many samples"]'), body(TWO, ',"infos":["x"]')]) {
      const scanned = scanMatrix(text);
      assert.ok(scanned, text);
      assert.deepEqual(scanned, parseMatrix(parseEnvelope(200, text)));
    }
    const [first] = scanMatrix(body(TWO)) ?? [];
    assert.deepEqual([...(first?.timestampsMs ?? [])], [1733450000000, 1733450300500, 1733450600000, 1733450900000]);
    assert.deepEqual([...(first?.values ?? [])].slice(0, 2), [0.25, 1e9]);
  });

  test('leaves every other text to JSON.parse', () => {
    const others = [
      '{"status":"error","errorType":"bad_data","error":"parse error"}',
      '{"status":"success","data":{"resultType":"vector","result":[]}}',
      '{ "status": "success", "data": {"resultType":"matrix","result":[]}}',
      '{"status":"success","warnings":["w"],"data":{"resultType":"matrix","result":[]}}',
      body('{"metric":{},"values":[[1,2]]}'),
      body('{"metric":{},"values":[[1,"2"]'),
      body('{"metric":{"a":"b"},"values":[["x","2"]]}'),
      body(TWO).slice(0, -3),
      `${body(TWO)} trailing`,
      '<html>502 Bad Gateway</html>',
    ];
    for (const text of others) assert.equal(scanMatrix(text), undefined, text);
  });
});
