// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../errors/app-error.ts';
import { parseDotenv } from './dotenv.ts';

test('parses KEY=VALUE lines with comments, blanks, export and quotes', () => {
  const text = [
    '# a comment',
    '',
    'KRM_PORT=9000',
    '  KRM_HOST = 127.0.0.1  ',
    'export KRM_CLUSTER_NAME=prod',
    'KRM_LOG_LEVEL=debug # trailing comment',
    'KRM_SLACK_CHANNEL="#alerts"',
    "KRM_AUTH_TOKEN='a$b \"c\" #d'",
    'KRM_MAIL_TO="a@x.io,b@x.io" # recipients',
    'ESCAPED="line1\\nline2\\t\\"q\\" \\\\"',
    'HASH_IN_VALUE=abc#def',
    'EMPTY=',
    'KRM_PORT=9001',
  ].join('\n');
  assert.deepEqual(parseDotenv(text, '.env'), {
    KRM_PORT: '9001',
    KRM_HOST: '127.0.0.1',
    KRM_CLUSTER_NAME: 'prod',
    KRM_LOG_LEVEL: 'debug',
    KRM_SLACK_CHANNEL: '#alerts',
    KRM_AUTH_TOKEN: 'a$b "c" #d',
    KRM_MAIL_TO: 'a@x.io,b@x.io',
    ESCAPED: 'line1\nline2\t"q" \\',
    HASH_IN_VALUE: 'abc#def',
    EMPTY: '',
  });
});

test('accepts CRLF line endings', () => {
  assert.deepEqual(parseDotenv('A=1\r\nB="2"\r\n', '.env'), { A: '1', B: '2' });
});

const bad: ReadonlyArray<[string, RegExp]> = [
  ['just text', /^\.env line 1: expected KEY=VALUE$/],
  ['A=1\n1BAD=2', /^\.env line 2: expected KEY=VALUE$/],
  ['A="open', /^\.env line 1: unterminated quoted value/],
  ["A='open", /^\.env line 1: unterminated quoted value/],
  ['A="x" y', /^\.env line 1: unexpected text after the closing quote$/],
];

for (const [text, message] of bad) {
  test(`rejects ${JSON.stringify(text)} naming the line`, () => {
    assert.throws(
      () => parseDotenv(text, '.env'),
      (err: unknown) => err instanceof ConfigError && err.code === 'KRM_CONFIG_INVALID' && message.test(err.message),
    );
  });
}
