// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderLogs } from './render-logs.ts';
import { flavorOf } from './env.ts';
import type { LogRequest } from './types.ts';

const START = Date.parse('2026-06-26T10:14:29Z');

function run(over: Partial<LogRequest>): string {
  return renderLogs({
    profile: 'web',
    seed: 42,
    containerName: 'orders',
    image: 'registry.example.com/shop/orders:1.4.2',
    startedAtMs: START,
    endMs: START + 45_000,
    previous: true,
    ...over,
  });
}

// The same check as the end-to-end test of `kubectl logs --previous` on a crash-looping pod.
const STACK_TRACE = /(\bat \S+|panic:|Exception|Traceback)/;

void test('crashloop --previous ends with the runtime stack trace of a refused database connection', () => {
  const cases: [string, RegExp][] = [
    ['node:20-alpine', /Error: connect ECONNREFUSED 10\.96\.\d+\.\d+:\d+\n {4}at TCPConnectWrap\.afterConnect[\s\S]*Node\.js v20\.\d+\.\d+\n$/],
    ['golang:1.24', /panic: failed to connect to database: dial tcp [\d.]+:\d+: connect: connection refused\n\ngoroutine 1 \[running\]:\nmain\.mustOpenDB/],
    ['eclipse-temurin:21-jre', /Application run failed\n\norg\.springframework[\s\S]*Caused by: java\.net\.ConnectException: Connection refused\n\tat /],
    ['python:3.12-slim', /Traceback \(most recent call last\):[\s\S]*(psycopg2|pymysql)\.\S+: /],
  ];
  for (const [image, pattern] of cases) {
    const out = run({ profile: 'crashloop', image });
    assert.match(out, STACK_TRACE, image);
    assert.match(out, pattern, image);
    assert.match(out, /attempt 1\b[\s\S]*attempt 2\b[\s\S]*giving up/, `${image}: retries before giving up`);
  }
});

void test('crashloop of a running container shows only the retries so far', () => {
  const out = run({ profile: 'crashloop', image: 'golang:1.24', previous: false, endMs: START + 10_000 });
  assert.match(out, /attempt 3/);
  assert.doesNotMatch(out, /panic:|giving up/);
});

void test('oom --previous: memory warnings climb to the limit, then the runtime OOM report where there is one', () => {
  const java = run({ profile: 'oom', image: 'eclipse-temurin:21', endMs: START + 3_600_000, tailLines: 60 });
  assert.match(java, /heap usage at 9\d%/);
  assert.match(java, /java\.lang\.OutOfMemoryError: Java heap space/);
  const node = run({ profile: 'oom', image: 'node:20', endMs: START + 3_600_000, tailLines: 30 });
  assert.match(node, /FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory/);
  const go = run({ profile: 'oom', image: 'golang:1.24', endMs: START + 3_600_000 });
  const pct = [...go.matchAll(/\((\d+)%\)/g)].map((m) => Number(m[1]));
  assert.ok(pct.length > 10);
  assert.ok((pct.at(-1) ?? 0) >= 95, 'ends near the limit');
  assert.ok((pct[0] ?? 100) < (pct.at(-1) ?? 0), 'grows over time');
  assert.match(go.trimEnd().split('\n').at(-1) ?? '', /level=warning msg="memory usage/);
});

void test('web logs mix levels, 5xx lines and connection errors over a day', () => {
  const out = run({ previous: false, endMs: START + 24 * 3_600_000, image: 'node:20' });
  for (const level of ['debug:', 'info:', 'warn:', 'error:']) assert.ok(out.includes(level), level);
  assert.match(out, / 5\d\d \d+ms\n/);
  assert.match(out, /ECONNREFUSED|timeout of \d+ms exceeded/);
});

void test('nginx web logs: entrypoint preamble, combined access log with probes, upstream errors', () => {
  const young = run({ previous: false, image: 'nginx:1.27.3', endMs: START + 600_000 });
  assert.match(young, /^\/docker-entrypoint\.sh: \/docker-entrypoint\.d\/ is not empty/);
  assert.match(young, /\[notice\] 1#1: nginx\/1\.27\.3/);
  assert.match(young, /^10\.244\.\d+\.\d+ - - \[26\/Jun\/2026:10:\d\d:\d\d \+0000\] "GET \/healthz HTTP\/1\.1" 200 2 "-" "kube-probe\/1\.35" "-"$/m);
  const day = run({ previous: false, image: 'nginx:1.27.3', endMs: START + 24 * 3_600_000 });
  assert.match(day, /\[error\] 29#29: \*\d+ (connect\(\) failed \(111: Connection refused\)|upstream timed out)/);
});

void test('json-service lines are JSON objects with a level and a message', () => {
  for (const image of ['golang:1.24', 'node:20', 'eclipse-temurin:21', 'python:3.12']) {
    const out = run({ profile: 'json-service', image, previous: false, endMs: START + 3_600_000, tailLines: 200 });
    for (const line of out.trimEnd().split('\n')) {
      if (!line.startsWith('{')) continue;
      const rec = JSON.parse(line) as Record<string, unknown>;
      assert.ok(['level', 'levelname'].some((k) => typeof rec[k] === 'string'), `${image}: ${line}`);
      assert.ok(['msg', 'message'].some((k) => typeof rec[k] === 'string'), `${image}: ${line}`);
    }
  }
});

void test('batch: progress counts up and a finished run ends at 100 % with a summary', () => {
  const out = run({ profile: 'batch', image: 'python:3.12', endMs: START + 20 * 60_000 });
  const done = [...out.matchAll(/processed (\d+)\/(\d+) records/g)].map((m) => Number(m[1]));
  assert.ok(done.every((n, i) => i === 0 || n >= (done[i - 1] ?? 0)));
  assert.match(out, /processed (\d+)\/\1 records \(100\.0%\)\n.*wrote \d+ rows[\s\S]*finished successfully in 1200s\n$/);
});

void test('database logs by engine', () => {
  const pg = run({ profile: 'database', image: 'postgres:16.4', previous: false, endMs: START + 3_600_000 });
  assert.match(pg, /UTC \[1\] LOG: {2}starting PostgreSQL 16\.4/);
  assert.match(pg, /UTC \[1\] LOG: {2}database system is ready to accept connections/);
  assert.match(pg, /LOG: {2}checkpoint (starting|complete)/);
  const redis = run({ profile: 'database', image: 'redis:7.2', previous: false, endMs: START + 3_600_000 });
  assert.match(redis, /^1:M \d\d Jun 2026 [\d:.]+ \* Ready to accept connections tcp$/m);
  const mysql = run({ profile: 'database', image: 'mysql:8.4', previous: false, endMs: START + 600_000 });
  assert.match(mysql, /\[Server\] \/usr\/sbin\/mysqld: ready for connections/);
});

void test('flavorOf: server and runtime images by name, unknown images stable per repository', () => {
  assert.equal(flavorOf('docker.io/library/nginx:alpine'), 'nginx');
  assert.equal(flavorOf('postgres:16.4'), 'postgres');
  assert.equal(flavorOf('bitnami/redis:7.2'), 'redis');
  assert.equal(flavorOf('quay.io/prometheus/node-exporter:v1.8.2'), 'go');
  assert.equal(flavorOf('node:20-alpine'), 'node');
  assert.equal(flavorOf('eclipse-temurin:21-jre'), 'java');
  assert.equal(flavorOf('python:3.12-slim'), 'python');
  const a = flavorOf('registry.example.com/shop/orders:1.4.2');
  assert.equal(flavorOf('registry.example.com/shop/orders:2.0.0'), a);
  assert.ok(['node', 'go', 'java', 'python'].includes(a));
});
